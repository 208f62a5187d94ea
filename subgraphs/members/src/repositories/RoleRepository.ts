import type { DataSource, EntityManager } from 'typeorm';
import { SqlParams } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';
import type { RoleAssignment, RoleKind } from '../entities';
import { scopeSql } from './scope';

const COLUMNS = `r.id, r.member_id AS "memberId", r.kind, r.organization_id AS "organizationId", r.station_id AS "stationId",
  r.region_code AS "regionCode", r.started_on AS "startedOn", r.ended_on AS "endedOn"`;

export type RoleOwner = 'member_id' | 'organization_id' | 'station_id';

export class RoleRepository {
  constructor(private readonly db: DataSource) {}

  async findByIds(ids: readonly string[], scope: Scope, manager: EntityManager = this.db.manager): Promise<RoleAssignment[]> {
    const p = new SqlParams();
    return manager.query(`SELECT ${COLUMNS} FROM role_assignment r WHERE r.id = ANY(${p.add(ids)}::uuid[]) AND ${scopeSql.role(p, 'r', scope)}`, p.values);
  }

  /** Roles of several members, organizations or stations, optionally of some kinds and current only. */
  async findByOwners(
    owner: RoleOwner,
    ids: readonly string[],
    options: { activeOnly: boolean; kinds?: readonly RoleKind[] },
    scope: Scope,
  ): Promise<RoleAssignment[]> {
    const p = new SqlParams();
    const conditions = [`r.${owner} = ANY(${p.add(ids)}::uuid[])`, scopeSql.role(p, 'r', scope)];
    if (options.activeOnly) conditions.push('r.ended_on IS NULL');
    if (options.kinds) conditions.push(`r.kind = ANY(${p.add(options.kinds)}::text[])`);
    return this.db.query(`SELECT ${COLUMNS} FROM role_assignment r WHERE ${conditions.join(' AND ')} ORDER BY r.started_on, r.id`, p.values);
  }
}
