import type { DataSource, EntityManager } from 'typeorm';
import { prefixRange, regionPrefix } from '../../../../shared/src/regions';
import { regionScopeSql, SqlParams } from '../../../../shared/src/sql';
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

/**
 * The statistics statement over the commendations of each (region, year) pair `q`, counted from
 * `source` rows matching `where`, where `tally` is how many commendations a group of them makes.
 * One scan per pair yields the totals by status, by status and category, and by status and level.
 * Counters that fell to zero stay behind as rows, so empty groups are left out by their tally.
 */
function statsSql(p: SqlParams, pairs: string, rows: { source: string; where: string; tally: string }): string {
  const categories = p.add(CATEGORIES);
  const levels = p.add(LEVELS);
  const ofStatus = (status: CommendationStatus) => `coalesce(sum(t.count) FILTER (WHERE t.total = 'status' AND t.status = '${status}'), 0)::int`;
  return `SELECT s.approved, s.nominated, s.rejected, s.revoked, s."byCategory", s."byLevel"
      FROM ${pairs}
     CROSS JOIN LATERAL (
       SELECT ${ofStatus('APPROVED')} AS approved, ${ofStatus('NOMINATED')} AS nominated,
              ${ofStatus('REJECTED')} AS rejected, ${ofStatus('REVOKED')} AS revoked,
              coalesce(json_agg(json_build_object('category', t.category, 'count', t.count)
                                ORDER BY array_position(${categories}::text[], t.category))
                         FILTER (WHERE t.total = 'category' AND t.status = 'APPROVED'), '[]') AS "byCategory",
              coalesce(json_agg(json_build_object('level', t.level, 'count', t.count)
                                ORDER BY array_position(${levels}::text[], t.level))
                         FILTER (WHERE t.total = 'level' AND t.status = 'APPROVED'), '[]') AS "byLevel"
         FROM (SELECT c.status, c.category, c.level, ${rows.tally}::int AS count,
                      CASE GROUPING(c.category, c.level) WHEN 3 THEN 'status' WHEN 1 THEN 'category' ELSE 'level' END AS total
                 FROM ${rows.source} WHERE ${rows.where}
                GROUP BY GROUPING SETS ((c.status), (c.status, c.category), (c.status, c.level))
               HAVING ${rows.tally} > 0) AS t
     ) AS s
     ORDER BY q.ordinal`;
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

  /**
   * Statistics of several (region, year) pairs, in one statement: from the per-region counters for
   * a station tier, by counting for a branch (whose scope is its organization's rows, which no
   * counter tells apart).
   */
  async stats(keys: readonly { regionCode: string; year: number }[], scope: Scope): Promise<CommendationStatsRow[]> {
    const p = new SqlParams();
    const ranges = keys.map((k) => prefixRange(regionPrefix(k.regionCode)));
    const pairs = `unnest(${p.add(ranges.map((r) => r.from))}::char(6)[], ${p.add(ranges.map((r) => r.to))}::char(6)[],
                          ${p.add(keys.map((k) => k.year))}::int[]) WITH ORDINALITY AS q(from_code, to_code, year, ordinal)`;
    const inPair = 'c.region_code >= q.from_code AND c.region_code < q.to_code AND c.year = q.year';
    if (!scope.organizationId) {
      return this.db.query(
        statsSql(p, pairs, {
          source: 'commendation_region_stats c',
          where: `${inPair} AND ${regionScopeSql(p, 'c.region_code', scope)}`,
          tally: 'sum(c.commendations)',
        }),
        p.values,
      );
    }
    return this.db.query(
      statsSql(p, pairs, { source: 'commendation c', where: `${inPair} AND ${scopeSql.commendation(p, 'c', scope)}`, tally: 'count(*)' }),
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
