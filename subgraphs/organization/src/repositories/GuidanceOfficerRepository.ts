import type { DataSource, EntityManager } from 'typeorm';
import { SqlParams, unseenArray } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';
import type { GuidanceOfficerAssignment } from '../entities';
import { scopeSql } from './scope';

const COLUMNS = `a.id, a.officer_member_id AS "officerMemberId", a.station_id AS "stationId",
  a.institution_id AS "institutionId", a.region_code AS "regionCode", a.started_on AS "startedOn", a.ended_on AS "endedOn"`;

export type AssignmentOwner = 'institution_id' | 'station_id';

export class GuidanceOfficerRepository {
  constructor(private readonly db: DataSource) {}

  async findByIds(ids: readonly string[], scope: Scope, manager: EntityManager = this.db.manager): Promise<GuidanceOfficerAssignment[]> {
    const p = new SqlParams();
    return manager.query(
      `SELECT ${COLUMNS} FROM guidance_officer_assignment a WHERE a.id = ANY(${unseenArray(p, ids, 'uuid[]')}) AND ${scopeSql.assignment(p, 'a', scope)}`,
      p.values,
    );
  }

  /** Assignments of several institutions or stations, oldest first. */
  async findByOwners(owner: AssignmentOwner, ownerIds: readonly string[], activeOnly: boolean, scope: Scope): Promise<GuidanceOfficerAssignment[]> {
    const p = new SqlParams();
    const active = activeOnly ? 'AND a.ended_on IS NULL' : '';
    return this.db.query(
      `SELECT ${COLUMNS} FROM guidance_officer_assignment a
        WHERE a.${owner} = ANY(${unseenArray(p, ownerIds, 'uuid[]')}) ${active} AND ${scopeSql.assignment(p, 'a', scope)}
        ORDER BY a.started_on, a.id`,
      p.values,
    );
  }
}
