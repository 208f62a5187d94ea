import type { DataSource } from 'typeorm';
import { prefixRange, regionPrefix } from '../../../../shared/src/regions';
import { regionScopeSql, SqlParams } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';
import type { PracticeKind } from '../entities';
import type { MemberStatsCounts } from './MemberRepository';
import { scopeSql } from './scope';

/** One year-end of a region's people. */
export interface MemberYearCounts extends MemberStatsCounts {
  year: number;
}

export interface MemberHistoryKey {
  regionCode: string;
  practice: PracticeKind;
  fromYear: number;
  toYear: number;
}

/**
 * Year-end people and Party members from the per-county, per-year changes in `member_history`
 * (kept by the triggers of the MemberHistory migration): each year's figure is the sum of the
 * changes up to it. A branch, whose scope is its members rather than a region range, has their
 * placements counted year by year instead.
 */
export class MemberHistoryRepository {
  constructor(private readonly db: DataSource) {}

  /** Every year of every key, in one statement; the answer lists the years of each key in order. */
  async memberHistory(keys: readonly MemberHistoryKey[], scope: Scope): Promise<MemberYearCounts[][]> {
    const p = new SqlParams();
    const ranges = keys.map((k) => prefixRange(regionPrefix(k.regionCode)));
    const q = `unnest(${p.add(ranges.map((r) => r.from))}::char(6)[], ${p.add(ranges.map((r) => r.to))}::char(6)[], ${p.add(keys.map((k) => k.practice))}::text[],
                      ${p.add(keys.map((k) => k.fromYear))}::int[], ${p.add(keys.map((k) => k.toYear))}::int[])
               WITH ORDINALITY AS q(from_code, to_code, practice, from_year, to_year, ordinal)
               CROSS JOIN LATERAL generate_series(q.from_year, q.to_year) AS y(year)`;
    let rows: (MemberYearCounts & { ordinal: string })[];
    if (!scope.organizationId) {
      // The first year reads every change up to it; each later year only its own, added on by the window.
      rows = await this.db.query(
        `SELECT q.ordinal, y.year,
                (sum(d.practitioners) OVER w)::int AS practitioners, (sum(d.party_members) OVER w)::int AS "partyMembers",
                (sum(d.full_members) OVER w)::int AS "fullMembers"
           FROM ${q}
           CROSS JOIN LATERAL (
             SELECT coalesce(sum(h.practitioners), 0) AS practitioners, coalesce(sum(h.party_members), 0) AS party_members,
                    coalesce(sum(h.full_members), 0) AS full_members
               FROM member_history h
              WHERE h.region_code >= q.from_code AND h.region_code < q.to_code AND ${regionScopeSql(p, 'h.region_code', scope)}
                AND h.practice_kind = q.practice AND h.year <= y.year AND (y.year = q.from_year OR h.year = y.year)
           ) AS d
         WINDOW w AS (PARTITION BY q.ordinal ORDER BY y.year)
          ORDER BY q.ordinal, y.year`,
        p.values,
      );
    } else {
      const counted = (from: string) => `${from} <= y.year AND (c.counted_to IS NULL OR c.counted_to > y.year)`;
      rows = await this.db.query(
        `SELECT q.ordinal, y.year,
                count(c.id) FILTER (WHERE ${counted('c.counted_practitioner_from')})::int AS practitioners,
                count(c.id) FILTER (WHERE ${counted('c.counted_party_from')})::int AS "partyMembers",
                count(c.id) FILTER (WHERE ${counted('c.counted_full_from')})::int AS "fullMembers"
           FROM ${q}
           LEFT JOIN (member_placement c JOIN member m ON m.id = c.member_id AND ${scopeSql.member(p, 'm', scope)})
             ON c.region_code >= q.from_code AND c.region_code < q.to_code AND c.practice_kind = q.practice
          GROUP BY q.ordinal, y.year
          ORDER BY q.ordinal, y.year`,
        p.values,
      );
    }
    const byKey: MemberYearCounts[][] = keys.map(() => []);
    for (const { ordinal, ...row } of rows) byKey[Number(ordinal) - 1].push(row);
    return byKey;
  }
}
