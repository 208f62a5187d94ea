import type { DataSource } from 'typeorm';
import { writeAudit } from '../../../../shared/src/audit';
import { badUserInput, forbidden, notFound } from '../../../../shared/src/errors';
import { isRegionCode } from '../../../../shared/src/regions';
import { inTransaction } from '../../../../shared/src/transaction';
import { requireName, requirePastDate, todayInChina } from '../../../../shared/src/validation';
import { regionInScope, type Caller } from '../../../../shared/src/viewer';
import type { OrganizationDirectory } from '../directory';
import type { CommendationCategory, CommendationProgram } from '../entities';
import type { Repositories } from '../repositories';
import { categoriesProblem, programDatesProblem, programLevelOf } from '../rules';

export interface CreateProgram {
  name: string;
  regionCode: string;
  year: number;
  opensOn: string;
  closesOn: string;
  categories: { category: CommendationCategory; quota: number }[];
}

/**
 * Evaluation programs (评先选优). Opening one is an admin's task, for a region of the admin's own
 * tier; national programs come from the Ministry of Justice and are not opened here.
 */
export class ProgramService {
  constructor(
    private readonly db: DataSource,
    private readonly repos: Repositories,
    private readonly organization: OrganizationDirectory,
  ) {}

  async create(caller: Caller, input: CreateProgram): Promise<CommendationProgram> {
    const { viewer } = caller;
    if (!viewer.roles.includes('admin') || (viewer.tier !== 'PROVINCE' && viewer.tier !== 'CITY' && viewer.tier !== 'COUNTY')) {
      throw forbidden('Opening an evaluation program needs the admin role of a guidance station.');
    }
    const name = requireName(input.name, 'name', 100);
    const opensOn = requirePastDate(input.opensOn, 'opensOn');
    // A program announces when it will close, so closesOn alone may lie ahead.
    const datesProblem = programDatesProblem(opensOn, input.closesOn);
    if (datesProblem) throw badUserInput(datesProblem, 'closesOn');
    const thisYear = Number(todayInChina().slice(0, 4));
    if (!Number.isInteger(input.year) || input.year < 1949 || input.year > thisYear) throw badUserInput(`year must be between 1949 and ${thisYear}.`, 'year');
    const problem = categoriesProblem(input.categories);
    if (problem) throw badUserInput(problem, 'categories');
    const code = input.regionCode;
    const known = isRegionCode(code) && regionInScope(caller.scope, code) && (await this.organization.regionExists(code, caller.authorization));
    if (!known) throw notFound('Region', code, 'regionCode');
    const level = programLevelOf(code);

    return inTransaction(this.db, async (m) => {
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO commendation_program (name, level, region_code, year, opens_on, closes_on) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [name, level, code, input.year, opensOn, input.closesOn],
      );
      await m.query(
        `INSERT INTO program_category (program_id, category, quota, region_code) SELECT $1, category, quota, $2 FROM unnest($3::text[], $4::int[]) AS t(category, quota)`,
        [id, code, input.categories.map((c) => c.category), input.categories.map((c) => c.quota)],
      );
      const [created] = await this.repos.programs.findByIds([id], caller.scope, m);
      await writeAudit(m, caller, { action: 'createCommendationProgram', entity: 'CommendationProgram', entityId: id, regionCode: code, after: { ...created, categories: input.categories } });
      return created;
    });
  }
}
