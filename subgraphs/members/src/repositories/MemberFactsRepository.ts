import type { DataSource, EntityManager } from 'typeorm';
import { prefixRange, regionPrefix } from '../../../../shared/src/regions';
import { regionScopeSql, regionSubtree, regionSubtreeSql, SqlParams, unseenArray, unseenValue, writtenAsConstants } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';
import type { Member, PracticeKind } from '../entities';
import type { AppraisalGrade, DuesCategory, VanguardKind } from '../facts';
import { MEMBER_COLUMNS } from './MemberRepository';
import { scopeSql } from './scope';

export interface AppraisalRecord {
  id: string;
  memberId: string;
  year: number;
  grade: AppraisalGrade;
  organizationId: string;
  activityId: string;
  recordedOn: string;
  correctionReason: string | null;
}

export interface VanguardPostRecord {
  id: string;
  memberId: string;
  kind: VanguardKind;
  title: string;
  institutionId: string;
  organizationId: string;
  startedOn: string;
  endedOn: string | null;
}

export interface PledgeRecord {
  id: string;
  memberId: string;
  year: number;
  institutionId: string;
  organizationId: string;
  commitment: string;
  pledgedOn: string;
  closedOn: string | null;
}

/** A member's dues: money in fen, months as the first day of the month. */
export interface DuesRecord {
  memberId: string;
  category: DuesCategory;
  baseFen: number | null;
  rateBasisPoints: number | null;
  monthlyFen: number;
  fromMonth: string;
  owedFrom: string;
}

/** Counts of the facts of one region, practice and year, by fact (a grade, a kind of post, `PLEDGE`). */
export type FactCounts = Partial<Record<string, number>>;

export interface FactStatsKey {
  regionCode: string;
  practice: PracticeKind | null;
  /** The appraisals' and pledges' year; posts are always counted as they stand. */
  year: number;
}

const APPRAISAL = `a.id, a.member_id AS "memberId", a.year, a.grade, a.organization_id AS "organizationId", a.activity_id AS "activityId",
  a.recorded_on AS "recordedOn", a.correction_reason AS "correctionReason"`;
const POST = `v.id, v.member_id AS "memberId", v.kind, v.title, v.institution_id AS "institutionId", v.organization_id AS "organizationId",
  v.started_on AS "startedOn", v.ended_on AS "endedOn"`;
const PLEDGE = `g.id, g.member_id AS "memberId", g.year, g.institution_id AS "institutionId", g.organization_id AS "organizationId",
  g.commitment, g.pledged_on AS "pledgedOn", g.closed_on AS "closedOn"`;
const DUES = `d.member_id AS "memberId", d.category, d.base_fen::float8 AS "baseFen", d.rate_bp AS "rateBasisPoints", d.monthly_fen AS "monthlyFen",
  d.from_month AS "fromMonth", d.owed_from AS "owedFrom"`;

/**
 * The facts of member records, read in the caller's tier: each statement joins the member and
 * applies the member's tier test, so a fact is seen exactly where its member is.
 */
export class MemberFactsRepository {
  constructor(private readonly db: DataSource) {}

  async appraisalsOfMembers(memberIds: readonly string[], scope: Scope): Promise<AppraisalRecord[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT ${APPRAISAL} FROM member_appraisal a JOIN member m ON m.id = a.member_id
        WHERE a.member_id = ANY(${unseenArray(p, memberIds, 'uuid[]')}) AND ${scopeSql.member(p, 'm', scope)}
        ORDER BY a.year DESC`,
      p.values,
    );
  }

  async postsOfMembers(memberIds: readonly string[], scope: Scope): Promise<VanguardPostRecord[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT ${POST} FROM vanguard_post v JOIN member m ON m.id = v.member_id
        WHERE v.member_id = ANY(${unseenArray(p, memberIds, 'uuid[]')}) AND ${scopeSql.member(p, 'm', scope)}
        ORDER BY v.started_on DESC, v.id`,
      p.values,
    );
  }

  async pledgesOfMembers(memberIds: readonly string[], scope: Scope): Promise<PledgeRecord[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT ${PLEDGE} FROM member_pledge g JOIN member m ON m.id = g.member_id
        WHERE g.member_id = ANY(${unseenArray(p, memberIds, 'uuid[]')}) AND ${scopeSql.member(p, 'm', scope)}
        ORDER BY g.year DESC`,
      p.values,
    );
  }

  async duesOfMembers(memberIds: readonly string[], scope: Scope): Promise<DuesRecord[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT ${DUES} FROM member_dues d JOIN member m ON m.id = d.member_id
        WHERE d.member_id = ANY(${unseenArray(p, memberIds, 'uuid[]')}) AND ${scopeSql.member(p, 'm', scope)}`,
      p.values,
    );
  }

  async postById(id: string, scope: Scope, manager: EntityManager = this.db.manager): Promise<VanguardPostRecord | undefined> {
    const p = new SqlParams();
    const [row] = await manager.query(
      `SELECT ${POST} FROM vanguard_post v JOIN member m ON m.id = v.member_id WHERE v.id = ${p.add(id)} AND ${scopeSql.member(p, 'm', scope)}`,
      p.values,
    );
    return row;
  }

  async pledgeById(id: string, scope: Scope, manager: EntityManager = this.db.manager): Promise<PledgeRecord | undefined> {
    const p = new SqlParams();
    const [row] = await manager.query(
      `SELECT ${PLEDGE} FROM member_pledge g JOIN member m ON m.id = g.member_id WHERE g.id = ${p.add(id)} AND ${scopeSql.member(p, 'm', scope)}`,
      p.values,
    );
    return row;
  }

  async appraisal(memberId: string, year: number, manager: EntityManager): Promise<AppraisalRecord | undefined> {
    const [row] = await manager.query(`SELECT ${APPRAISAL} FROM member_appraisal a WHERE a.member_id = $1 AND a.year = $2`, [memberId, year]);
    return row;
  }

  async dues(memberId: string, manager: EntityManager): Promise<DuesRecord | undefined> {
    const [row] = await manager.query(`SELECT ${DUES} FROM member_dues d WHERE d.member_id = $1`, [memberId]);
    return row;
  }

  /**
   * The counted facts under each (region, practice, year), in one statement: from the per-county
   * counters for a station tier, by counting the facts of its members for a branch.
   */
  async factStats(keys: readonly FactStatsKey[], scope: Scope): Promise<FactCounts[]> {
    const p = new SqlParams();
    const ranges = keys.map((k) => prefixRange(regionPrefix(k.regionCode)));
    const regions = `unnest(${p.add(ranges.map((r) => r.from))}::char(6)[], ${p.add(ranges.map((r) => r.to))}::char(6)[],
                            ${p.add(keys.map((k) => k.practice))}::text[], ${p.add(keys.map((k) => k.year))}::int[])
                     WITH ORDINALITY AS q(from_code, to_code, practice, year, ordinal)`;
    const rows: { ordinal: string; fact: string; count: number }[] = scope.organizationId
      ? await this.db.query(
          `SELECT q.ordinal, f.fact, count(*)::int AS count FROM ${regions}
            CROSS JOIN LATERAL (
              SELECT f.fact FROM member m JOIN member_fact f ON f.member_id = m.id
               WHERE m.region_code >= q.from_code AND m.region_code < q.to_code AND m.practice_kind IS NOT NULL
                 AND (q.practice IS NULL OR m.practice_kind = q.practice) AND f.year IN (q.year, 0) AND ${scopeSql.member(p, 'm', scope)}
            ) AS f
            GROUP BY q.ordinal, f.fact`,
          p.values,
        )
      : await this.db.query(
          // A lateral read per region, so each reads its own index range rather than the tier's every counter.
          `SELECT q.ordinal, s.fact, s.count FROM ${regions}
            CROSS JOIN LATERAL (
              SELECT s.fact, sum(s.count)::int AS count FROM member_fact_stats s
               WHERE s.region_code >= q.from_code AND s.region_code < q.to_code
                 AND ${regionScopeSql(p, 's.region_code', scope)}
                 AND (q.practice IS NULL OR s.practice_kind = q.practice) AND s.year IN (q.year, 0)
               GROUP BY s.fact
            ) AS s`,
          p.values,
        );
    const counts: FactCounts[] = keys.map(() => ({}));
    for (const row of rows) counts[Number(row.ordinal) - 1][row.fact] = row.count;
    return counts;
  }

  /** Members under a region graded UNQUALIFIED (不合格) in a year, by region, name and id. */
  async unqualifiedPage(regionCode: string, year: number, size: number, after: string[] | null, scope: Scope): Promise<{ rows: Member[]; totalCount: number }> {
    const p = new SqlParams();
    const conditions = [
      `a.year = ${p.add(year)}`,
      `a.grade = 'UNQUALIFIED'`,
      regionSubtreeSql(p, 'a.region_code', regionCode),
      scopeSql.member(p, 'm', scope),
    ];
    const from = `member_appraisal a JOIN member m ON m.id = a.member_id`;
    const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM ${from} WHERE ${conditions.join(' AND ')}`, p.values);
    if (after) conditions.push(`(m.region_code, m.name, m.id) > (${p.add(after[0])}::char(6), ${p.add(after[1])}::text, ${p.add(after[2])}::uuid)`);
    const rows = await this.db.query(
      `SELECT ${MEMBER_COLUMNS} FROM ${from} WHERE ${conditions.join(' AND ')} ORDER BY m.region_code, m.name, m.id LIMIT ${p.add(size + 1)}`,
      p.values,
    );
    return { rows, totalCount: count };
  }

  /**
   * Members under a region whose first unpaid month is `owedBy` or earlier, owing longest first:
   * by the first unpaid month, then by id.
   */
  async arrearsPage(
    regionCode: string,
    owedBy: string,
    size: number,
    after: string[] | null,
    scope: Scope,
  ): Promise<{ rows: (Member & { owedFrom: string })[]; totalCount: number }> {
    const p = new SqlParams();
    // The month is seen by the planner only where the statement's ranges are a province's constants.
    // Beside ranges it cannot see, a plan made for the month always looked cheaper than the plan
    // kept, and the statement was planned again on every call; beside a province's range, the plan
    // made without the month took eight times as long as the plans made for it (0.7 → 5.5 ms).
    const provinceWide = !scope.organizationId && writtenAsConstants(scope) && writtenAsConstants(regionSubtree(regionCode));
    const owed = provinceWide ? `${p.add(owedBy)}::date` : unseenValue(p, owedBy, 'date');
    const conditions = [
      `${regionSubtreeSql(p, 'd.region_code', regionCode)} AND d.owed_from <= ${owed}`,
      // Dues are owed by Party members: a record that is no longer one owes nothing more.
      `m.party_status IN ('PROBATIONARY', 'FULL')`,
      scopeSql.member(p, 'm', scope),
    ];
    const from = `member_dues d JOIN member m ON m.id = d.member_id`;
    const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM ${from} WHERE ${conditions.join(' AND ')}`, p.values);
    if (after) conditions.push(`(d.owed_from, d.member_id) > (${p.add(after[0])}::date, ${p.add(after[1])}::uuid)`);
    const rows = await this.db.query(
      `SELECT d.owed_from AS "owedFrom", ${MEMBER_COLUMNS} FROM ${from} WHERE ${conditions.join(' AND ')}
        ORDER BY d.owed_from, d.member_id LIMIT ${p.add(size + 1)}`,
      p.values,
    );
    return { rows, totalCount: count };
  }
}

/** A region's `MemberStats`: the counts, and what they were asked of, for the facts counted beside them. */
export interface MemberStatsView {
  practitioners: number;
  partyMembers: number;
  fullMembers: number;
  regionCode: string;
  practice: PracticeKind | null;
}

/** A member's dues as one caller reads them: `masked` when the caller reads the member's personal data masked. */
export interface DuesView extends DuesRecord {
  masked: boolean;
}

/** An activity as this subgraph holds it: its key. */
export interface ActivityReference {
  __typename?: 'Activity';
  id: string;
}
