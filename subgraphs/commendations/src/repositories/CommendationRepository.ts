import type { DataSource, EntityManager } from 'typeorm';
import { prefixRange, regionPrefix } from '../../../../shared/src/regions';
import { SqlParams } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';
import {
  CATEGORIES,
  LEVELS,
  type Commendation,
  type CommendationCategory,
  type CommendationLevel,
  type CommendationStatus,
  type RecipientKind,
} from '../entities';
import { scopeSql } from './scope';

export const COMMENDATION_COLUMNS = `c.id, c.program_id AS "programId", c.category, c.level, c.year, c.status,
  c.recipient_kind AS "recipientKind", c.recipient_id AS "recipientId", c.region_code AS "regionCode",
  c.organization_id AS "organizationId", c.citation, c.representative_body AS "representativeBody",
  c.nominated_on AS "nominatedOn", c.decided_on AS "decidedOn", c.decision_reason AS "decisionReason",
  c.revoked_on AS "revokedOn", c.revocation_reason AS "revocationReason"`;

export interface CommendationFilter {
  programId?: string | null;
  category?: CommendationCategory | null;
  level?: CommendationLevel | null;
  status?: CommendationStatus | null;
  year?: number | null;
  regionCode?: string | null;
}

export interface CommendationStatsRow {
  approved: number;
  nominated: number;
  rejected: number;
  revoked: number;
  byCategory: { category: CommendationCategory; count: number }[];
  byLevel: { level: CommendationLevel; count: number }[];
}

export interface ApprovedCount {
  programId: string;
  category: CommendationCategory;
  count: number;
}

export function commendationSortKey(commendation: Commendation): string[] {
  return [commendation.regionCode, String(commendation.year), commendation.id];
}

export class CommendationRepository {
  constructor(private readonly db: DataSource) {}

  async findByIds(ids: readonly string[], scope: Scope, manager: EntityManager = this.db.manager): Promise<Commendation[]> {
    const p = new SqlParams();
    return manager.query(
      `SELECT ${COMMENDATION_COLUMNS} FROM commendation c WHERE c.id = ANY(${p.add(ids)}::uuid[]) AND ${scopeSql.commendation(p, 'c', scope)}`,
      p.values,
    );
  }

  /** The commendations of several recipients of one kind, newest first. */
  async findByRecipients(kind: RecipientKind, ids: readonly string[], scope: Scope): Promise<Commendation[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT ${COMMENDATION_COLUMNS} FROM commendation c
        WHERE c.recipient_id = ANY(${p.add(ids)}::uuid[]) AND c.recipient_kind = ${p.add(kind)} AND ${scopeSql.commendation(p, 'c', scope)}
        ORDER BY c.year DESC, c.nominated_on DESC, c.id`,
      p.values,
    );
  }

  /** Approved awards per category of several programs, among those the caller may see. */
  async approvedCounts(programIds: readonly string[], scope: Scope): Promise<ApprovedCount[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT c.program_id AS "programId", c.category, count(*)::int AS count FROM commendation c
        WHERE c.program_id = ANY(${p.add(programIds)}::uuid[]) AND c.status = 'APPROVED' AND ${scopeSql.commendation(p, 'c', scope)}
        GROUP BY c.program_id, c.category`,
      p.values,
    );
  }

  /** The approved awards of a program's category, counted inside the transaction that holds its quota row. */
  async countApproved(manager: EntityManager, programId: string, category: CommendationCategory): Promise<number> {
    const [{ count }] = await manager.query(
      `SELECT count(*)::int AS count FROM commendation WHERE program_id = $1 AND category = $2 AND status = 'APPROVED'`,
      [programId, category],
    );
    return count;
  }

  /** Statistics of several (region, year) pairs, in one statement. */
  async stats(keys: readonly { regionCode: string; year: number }[], scope: Scope): Promise<CommendationStatsRow[]> {
    const p = new SqlParams();
    const ranges = keys.map((k) => prefixRange(regionPrefix(k.regionCode)));
    const inRegion = `c.region_code >= q.from_code AND c.region_code < q.to_code AND c.year = q.year AND ${scopeSql.commendation(p, 'c', scope)}`;
    const categories = p.add(CATEGORIES);
    const levels = p.add(LEVELS);
    return this.db.query(
      `SELECT s.approved, s.nominated, s.rejected, s.revoked, g."byCategory", l."byLevel"
         FROM unnest(${p.add(ranges.map((r) => r.from))}::char(6)[], ${p.add(ranges.map((r) => r.to))}::char(6)[],
                     ${p.add(keys.map((k) => k.year))}::int[]) WITH ORDINALITY AS q(from_code, to_code, year, ordinal)
        CROSS JOIN LATERAL (
          SELECT count(*) FILTER (WHERE c.status = 'APPROVED')::int AS approved,
                 count(*) FILTER (WHERE c.status = 'NOMINATED')::int AS nominated,
                 count(*) FILTER (WHERE c.status = 'REJECTED')::int AS rejected,
                 count(*) FILTER (WHERE c.status = 'REVOKED')::int AS revoked
            FROM commendation c WHERE ${inRegion}
        ) AS s
        CROSS JOIN LATERAL (
          SELECT coalesce(json_agg(json_build_object('category', t.category, 'count', t.count)
                                   ORDER BY array_position(${categories}::text[], t.category)), '[]') AS "byCategory"
            FROM (SELECT c.category, count(*)::int AS count FROM commendation c
                   WHERE ${inRegion} AND c.status = 'APPROVED' GROUP BY c.category) AS t
        ) AS g
        CROSS JOIN LATERAL (
          SELECT coalesce(json_agg(json_build_object('level', t.level, 'count', t.count)
                                   ORDER BY array_position(${levels}::text[], t.level)), '[]') AS "byLevel"
            FROM (SELECT c.level, count(*)::int AS count FROM commendation c
                   WHERE ${inRegion} AND c.status = 'APPROVED' GROUP BY c.level) AS t
        ) AS l
        ORDER BY q.ordinal`,
      p.values,
    );
  }

  async findPage(filter: CommendationFilter, size: number, after: string[] | null, scope: Scope): Promise<{ rows: Commendation[]; totalCount: number }> {
    const p = new SqlParams();
    const conditions = [scopeSql.commendation(p, 'c', scope)];
    if (filter.regionCode) {
      const range = prefixRange(regionPrefix(filter.regionCode));
      conditions.push(`c.region_code >= ${p.add(range.from)} AND c.region_code < ${p.add(range.to)}`);
    }
    if (filter.programId) conditions.push(`c.program_id = ${p.add(filter.programId)}`);
    if (filter.category) conditions.push(`c.category = ${p.add(filter.category)}`);
    if (filter.level) conditions.push(`c.level = ${p.add(filter.level)}`);
    if (filter.status) conditions.push(`c.status = ${p.add(filter.status)}`);
    if (filter.year != null) conditions.push(`c.year = ${p.add(filter.year)}`);
    const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM commendation c WHERE ${conditions.join(' AND ')}`, p.values);
    if (after) {
      conditions.push(`(c.region_code, c.year, c.id) > (${p.add(after[0])}::char(6), ${p.add(Number(after[1]))}::int, ${p.add(after[2])}::uuid)`);
    }
    const rows = await this.db.query(
      `SELECT ${COMMENDATION_COLUMNS} FROM commendation c WHERE ${conditions.join(' AND ')}
        ORDER BY c.region_code, c.year, c.id LIMIT ${p.add(size + 1)}`,
      p.values,
    );
    return { rows, totalCount: count };
  }
}
