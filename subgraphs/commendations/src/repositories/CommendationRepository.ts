import type { DataSource, EntityManager } from 'typeorm';
import { prefixRange, regionPrefix } from '../../../../shared/src/regions';
import { listOf, listSql, numbersOf, regionScopeSql, regionSubtreeSql, SqlParams, unseenArray } from '../../../../shared/src/sql';
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

/** Counts of commendations by (status, category, level), as one (region, year) pair's statement row lists them (see `listSql`). */
interface CommendationGroups {
  statuses: string | null;
  categories: string | null;
  levels: string | null;
  counts: string | null;
}

/**
 * A pair's statistics from its groups. The statement only collects the rows and the totals by
 * status, category and level are summed here: as grouping sets and JSON objects per pair in SQL
 * they cost PostgreSQL twice the statement's time for the counters' few rows. The columns travel as
 * comma-separated lists (`listSql`). Counters that fell to zero stay behind as rows, so a category
 * or level is listed only when it counts an approved award.
 */
function tallied(groups: CommendationGroups): CommendationStatsRow {
  const byStatus: Record<CommendationStatus, number> = { APPROVED: 0, NOMINATED: 0, REJECTED: 0, REVOKED: 0 };
  const approvedByCategory = new Map<CommendationCategory, number>();
  const approvedByLevel = new Map<CommendationLevel, number>();
  const categories = listOf<CommendationCategory>(groups.categories);
  const levels = listOf<CommendationLevel>(groups.levels);
  const counts = numbersOf(groups.counts);
  listOf<CommendationStatus>(groups.statuses).forEach((status, i) => {
    const count = counts[i];
    byStatus[status] += count;
    if (status !== 'APPROVED') return;
    approvedByCategory.set(categories[i], (approvedByCategory.get(categories[i]) ?? 0) + count);
    approvedByLevel.set(levels[i], (approvedByLevel.get(levels[i]) ?? 0) + count);
  });
  return {
    approved: byStatus.APPROVED,
    nominated: byStatus.NOMINATED,
    rejected: byStatus.REJECTED,
    revoked: byStatus.REVOKED,
    byCategory: CATEGORIES.filter((category) => (approvedByCategory.get(category) ?? 0) > 0).map((category) => ({ category, count: approvedByCategory.get(category)! })),
    byLevel: LEVELS.filter((level) => (approvedByLevel.get(level) ?? 0) > 0).map((level) => ({ level, count: approvedByLevel.get(level)! })),
  };
}

export class CommendationRepository {
  constructor(private readonly db: DataSource) {}

  async findByIds(ids: readonly string[], scope: Scope, manager: EntityManager = this.db.manager): Promise<Commendation[]> {
    const p = new SqlParams();
    return manager.query(
      `SELECT ${COMMENDATION_COLUMNS} FROM commendation c WHERE c.id = ANY(${unseenArray(p, ids, 'uuid[]')}) AND ${scopeSql.commendation(p, 'c', scope)}`,
      p.values,
    );
  }

  /** The commendations of several recipients of one kind, newest first. */
  async findByRecipients(kind: RecipientKind, ids: readonly string[], scope: Scope): Promise<Commendation[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT ${COMMENDATION_COLUMNS} FROM commendation c
        WHERE c.recipient_id = ANY(${unseenArray(p, ids, 'uuid[]')}) AND c.recipient_kind = ${p.add(kind)} AND ${scopeSql.commendation(p, 'c', scope)}
        ORDER BY c.year DESC, c.nominated_on DESC, c.id`,
      p.values,
    );
  }

  /** Approved awards per category of several programs, among those the caller may see. */
  async approvedCounts(programIds: readonly string[], scope: Scope): Promise<ApprovedCount[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT c.program_id AS "programId", c.category, count(*)::int AS count FROM commendation c
        WHERE c.program_id = ANY(${unseenArray(p, programIds, 'uuid[]')}) AND c.status = 'APPROVED' AND ${scopeSql.commendation(p, 'c', scope)}
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
    // The same plan serves one pair or fifteen (see `unseenArray`).
    const pairs = `unnest(${unseenArray(p, ranges.map((r) => r.from), 'char(6)[]')}, ${unseenArray(p, ranges.map((r) => r.to), 'char(6)[]')},
                          ${unseenArray(p, keys.map((k) => k.year), 'int[]')}) WITH ORDINALITY AS q(from_code, to_code, year, ordinal)`;
    const inPair = 'c.region_code >= q.from_code AND c.region_code < q.to_code AND c.year = q.year';
    const groups = scope.organizationId
      ? `SELECT c.status, c.category, c.level, count(*)::int AS commendations FROM commendation c
          WHERE ${inPair} AND ${scopeSql.commendation(p, 'c', scope)} GROUP BY c.status, c.category, c.level`
      : `SELECT c.status, c.category, c.level, c.commendations FROM commendation_region_stats c
          WHERE ${inPair} AND ${regionScopeSql(p, 'c.region_code', scope)}`;
    const rows: CommendationGroups[] = await this.db.query(
      `SELECT g.statuses, g.categories, g.levels, g.counts
         FROM ${pairs}
        CROSS JOIN LATERAL (
              SELECT ${listSql('t.status')} AS statuses, ${listSql('t.category')} AS categories, ${listSql('t.level')} AS levels,
                     ${listSql('t.commendations')} AS counts
                FROM (${groups}) t) g
        ORDER BY q.ordinal`,
      p.values,
    );
    return rows.map(tallied);
  }

  async findPage(filter: CommendationFilter, size: number, after: string[] | null, scope: Scope): Promise<{ rows: Commendation[]; totalCount: number }> {
    const p = new SqlParams();
    const conditions = [scopeSql.commendation(p, 'c', scope)];
    if (filter.regionCode) {
      conditions.push(regionSubtreeSql(p, 'c.region_code', filter.regionCode));
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
