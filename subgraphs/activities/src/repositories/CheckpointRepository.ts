import type { DataSource, EntityManager } from 'typeorm';
import { SqlParams, unseenArray } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';
import type { Checkpoint } from '../entities';
import { scopeSql } from './scope';

const COLUMNS = `c.id, c.institution_id AS "institutionId", c.region_code AS "regionCode", c.organization_id AS "organizationId", c.year,
  c.stage, c.checked_on AS "checkedOn", c.result, c.commitment_letter_received AS "commitmentLetterReceived", c.notes`;

const STAGE_ORDER = `array_position(ARRAY['APPROVAL', 'ANNUAL_INSPECTION', 'ANNUAL_ASSESSMENT'], c.stage)`;

export class CheckpointRepository {
  constructor(private readonly db: DataSource) {}

  async findByIds(ids: readonly string[], scope: Scope, manager: EntityManager = this.db.manager): Promise<Checkpoint[]> {
    const p = new SqlParams();
    return manager.query(`SELECT ${COLUMNS} FROM checkpoint c WHERE c.id = ANY(${unseenArray(p, ids, 'uuid[]')}) AND ${scopeSql.checkpoint(p, 'c', scope)}`, p.values);
  }

  /** Checkpoints of several institutions, of one year or all, oldest first. */
  async findByInstitutions(institutionIds: readonly string[], year: number | null, scope: Scope): Promise<Checkpoint[]> {
    const p = new SqlParams();
    const conditions = [`c.institution_id = ANY(${unseenArray(p, institutionIds, 'uuid[]')})`, scopeSql.checkpoint(p, 'c', scope)];
    if (year !== null) conditions.push(`c.year = ${p.add(year)}`);
    return this.db.query(
      `SELECT ${COLUMNS} FROM checkpoint c WHERE ${conditions.join(' AND ')} ORDER BY c.checked_on, ${STAGE_ORDER}, c.id`,
      p.values,
    );
  }
}
