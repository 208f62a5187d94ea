import type { DataSource, EntityManager } from 'typeorm';
import { SqlParams, unseenArray } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';
import { CATEGORIES, type CommendationCategory, type CommendationLevel, type CommendationProgram, type ProgramCategory } from '../entities';
import { scopeSql } from './scope';

export const PROGRAM_COLUMNS = `p.id, p.name, p.level, p.region_code AS "regionCode", p.year, p.opens_on AS "opensOn", p.closes_on AS "closesOn"`;

export interface ProgramFilter {
  year?: number | null;
  level?: CommendationLevel | null;
}

/** Newest first, then by region and id. */
export function programSortKey(program: CommendationProgram): string[] {
  return [String(program.year), program.regionCode, program.id];
}

export class ProgramRepository {
  constructor(private readonly db: DataSource) {}

  async findByIds(ids: readonly string[], scope: Scope, manager: EntityManager = this.db.manager): Promise<CommendationProgram[]> {
    const p = new SqlParams();
    return manager.query(
      `SELECT ${PROGRAM_COLUMNS} FROM commendation_program p WHERE p.id = ANY(${unseenArray(p, ids, 'uuid[]')}) AND ${scopeSql.program(p, 'p', scope)}`,
      p.values,
    );
  }

  /** The categories of several programs the caller may see, in the order of the schema. */
  async findCategories(programIds: readonly string[], scope: Scope): Promise<ProgramCategory[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT c.program_id AS "programId", c.category, c.quota, c.region_code AS "regionCode"
         FROM program_category c JOIN commendation_program p ON p.id = c.program_id
        WHERE c.program_id = ANY(${unseenArray(p, programIds, 'uuid[]')}) AND ${scopeSql.program(p, 'p', scope)}
        ORDER BY c.program_id, array_position(${p.add(CATEGORIES)}::text[], c.category)`,
      p.values,
    );
  }

  async findPage(filter: ProgramFilter, size: number, after: string[] | null, scope: Scope): Promise<{ rows: CommendationProgram[]; totalCount: number }> {
    const p = new SqlParams();
    const conditions = [scopeSql.program(p, 'p', scope)];
    if (filter.year != null) conditions.push(`p.year = ${p.add(filter.year)}`);
    if (filter.level) conditions.push(`p.level = ${p.add(filter.level)}`);
    const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM commendation_program p WHERE ${conditions.join(' AND ')}`, p.values);
    if (after) {
      const year = p.add(Number(after[0]));
      conditions.push(`(p.year < ${year} OR (p.year = ${year} AND (p.region_code, p.id) > (${p.add(after[1])}::char(6), ${p.add(after[2])}::uuid)))`);
    }
    const rows = await this.db.query(
      `SELECT ${PROGRAM_COLUMNS} FROM commendation_program p WHERE ${conditions.join(' AND ')}
        ORDER BY p.year DESC, p.region_code, p.id LIMIT ${p.add(size + 1)}`,
      p.values,
    );
    return { rows, totalCount: count };
  }

  /** Locks a category's quota row: approvals in the category queue up behind it, so the quota holds. */
  async lockCategory(manager: EntityManager, programId: string, category: CommendationCategory): Promise<ProgramCategory | undefined> {
    const [row] = await manager.query(
      `SELECT program_id AS "programId", category, quota, region_code AS "regionCode"
         FROM program_category WHERE program_id = $1 AND category = $2 FOR UPDATE`,
      [programId, category],
    );
    return row;
  }
}
