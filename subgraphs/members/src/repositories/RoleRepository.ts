import type { DataSource, EntityManager } from 'typeorm';
import { combinedQuery } from '../../../../shared/src/combined-statements';
import { SqlParams, unseenArray } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';
import type { Member, RoleAssignment, RoleKind } from '../entities';
import { MEMBER_COLUMNS } from './MemberRepository';
import { scopeSql } from './scope';

const COLUMNS = `r.id, r.member_id AS "memberId", r.kind, r.organization_id AS "organizationId", r.station_id AS "stationId",
  r.region_code AS "regionCode", r.started_on AS "startedOn", r.ended_on AS "endedOn"`;

/** A station as its current roles show it: its region, and its head where the caller's tier sees one. */
export interface StationHead {
  stationId: string;
  regionCode: string;
  member: Member | null;
}

export type RoleOwner = 'member_id' | 'organization_id' | 'station_id';

export class RoleRepository {
  constructor(private readonly db: DataSource) {}

  async findByIds(ids: readonly string[], scope: Scope, manager: EntityManager = this.db.manager): Promise<RoleAssignment[]> {
    const p = new SqlParams();
    return manager.query(`SELECT ${COLUMNS} FROM role_assignment r WHERE r.id = ANY(${unseenArray(p, ids, 'uuid[]')}) AND ${scopeSql.role(p, 'r', scope)}`, p.values);
  }

  /** Roles of several members, organizations or stations, optionally of some kinds and current only. */
  async findByOwners(
    owner: RoleOwner,
    ids: readonly string[],
    options: { activeOnly: boolean; kinds?: readonly RoleKind[] },
    scope: Scope,
  ): Promise<RoleAssignment[]> {
    const p = new SqlParams();
    const conditions = [`r.${owner} = ANY(${unseenArray(p, ids, 'uuid[]')})`, scopeSql.role(p, 'r', scope)];
    if (options.activeOnly) conditions.push('r.ended_on IS NULL');
    if (options.kinds) conditions.push(`r.kind = ANY(${unseenArray(p, options.kinds, 'text[]')})`);
    return this.db.query(`SELECT ${COLUMNS} FROM role_assignment r WHERE ${conditions.join(' AND ')} ORDER BY r.started_on, r.id`, p.values);
  }

  /**
   * Each station that has a current role, in one statement: its region (every role at a station is
   * held in the station's region, whatever the caller's tier) and its head, the longest-serving
   * current STATION_HEAD role in the caller's tier, with the member when the tier sees the record
   * (`member` null otherwise, as reading the role and then the member would give). A station with
   * no current role gives no row.
   */
  async findStationHeads(stationIds: readonly string[], scope: Scope): Promise<StationHead[]> {
    const p = new SqlParams();
    // Sent with the dashboard's member counters when they are asked at the same moment.
    const rows: ({ stationId: string; stationRegionCode: string } & Member)[] = await combinedQuery(
      this.db,
      `SELECT DISTINCT ON (r.station_id) r.station_id AS "stationId", r.region_code AS "stationRegionCode", ${MEMBER_COLUMNS}
         FROM role_assignment r
         LEFT JOIN member m ON m.id = r.member_id AND r.kind = 'STATION_HEAD' AND ${scopeSql.role(p, 'r', scope)} AND ${scopeSql.member(p, 'm', scope)}
        WHERE r.station_id = ANY(${unseenArray(p, stationIds, 'uuid[]')}) AND r.ended_on IS NULL
        ORDER BY r.station_id, r.kind = 'STATION_HEAD' DESC, r.started_on, r.id`,
      p.values,
    );
    return rows.map(({ stationId, stationRegionCode, ...member }) => ({ stationId, regionCode: stationRegionCode, member: member.id === null ? null : (member as Member) }));
  }
}
