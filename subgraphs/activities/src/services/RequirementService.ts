import type { DataSource } from 'typeorm';
import { writeAudit } from '../../../../shared/src/audit';
import { badUserInput, forbidden, notFound } from '../../../../shared/src/errors';
import { isRegionCode, regionLevel } from '../../../../shared/src/regions';
import { inTransaction } from '../../../../shared/src/transaction';
import { todayInChina } from '../../../../shared/src/validation';
import { regionInScope, type Caller } from '../../../../shared/src/viewer';
import type { ActivityKind, Frequency, Requirement } from '../entities';
import { NATIONAL_FROM_YEAR, ORGANIZATIONAL_LIFE_KINDS } from '../rules';
import { requireEditor } from './access';

export interface SetRequirement {
  provinceCode: string;
  kind: ActivityKind;
  frequency: Frequency;
  fromYear: number;
}

/** The rules of organizational life as data: a province sets its own frequency of a kind from a year on. */
export class RequirementService {
  constructor(private readonly db: DataSource) {}

  async set(caller: Caller, input: SetRequirement): Promise<Requirement> {
    requireEditor(caller, { stationsOnly: true });
    if (caller.viewer.tier !== 'PROVINCE') throw forbidden('A province’s rules of organizational life are set by its provincial tier.');
    if (!isRegionCode(input.provinceCode) || regionLevel(input.provinceCode) !== 'PROVINCE') {
      throw badUserInput('provinceCode must be a province-level GB/T 2260 code, e.g. 210000.', 'provinceCode');
    }
    if (!regionInScope(caller.scope, input.provinceCode)) throw notFound('Province', input.provinceCode, 'provinceCode');
    if (!ORGANIZATIONAL_LIFE_KINDS.includes(input.kind)) throw badUserInput(`${input.kind} is not a kind of organizational life with a required frequency.`, 'kind');
    const latest = Number(todayInChina().slice(0, 4)) + 1;
    if (!Number.isInteger(input.fromYear) || input.fromYear <= NATIONAL_FROM_YEAR || input.fromYear > latest) {
      throw badUserInput(`fromYear must be after ${NATIONAL_FROM_YEAR} and at most ${latest}.`, 'fromYear');
    }
    const key = [input.provinceCode, input.kind, input.fromYear];
    return inTransaction(this.db, async (m) => {
      const select = `SELECT region_code AS "regionCode", kind, from_year AS "fromYear", frequency FROM requirement WHERE region_code = $1 AND kind = $2 AND from_year = $3`;
      const [before]: Requirement[] = await m.query(`${select} FOR UPDATE`, key);
      await m.query(
        `INSERT INTO requirement (region_code, kind, from_year, frequency) VALUES ($1, $2, $3, $4)
         ON CONFLICT (region_code, kind, from_year) DO UPDATE SET frequency = excluded.frequency`,
        [...key, input.frequency],
      );
      const [after]: Requirement[] = await m.query(select, key);
      await writeAudit(m, caller, {
        action: 'setOrganizationalLifeRequirement',
        entity: 'Requirement',
        entityId: key.join(':'),
        regionCode: input.provinceCode,
        before,
        after,
      });
      return after;
    });
  }
}
