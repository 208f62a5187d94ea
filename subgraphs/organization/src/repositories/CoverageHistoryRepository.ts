import type { DataSource } from 'typeorm';
import { prefixRange, regionPrefix } from '../../../../shared/src/regions';
import { regionScopeSql, SqlParams } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';
import type { InstitutionKind } from '../entities';
import type { CoverageCounts } from './InstitutionRepository';
import { scopeSql } from './scope';

/** One year-end of a region's coverage. */
export interface CoverageYearCounts extends CoverageCounts {
  year: number;
}

export interface CoverageHistoryKey {
  regionCode: string;
  kind: InstitutionKind;
  fromYear: number;
  toYear: number;
}

const SUMS = `institutions, standalone, joint, party_organizations, standalone_branches, joint_branches`;

const COLUMNS = (sum: (column: string) => string) => `
  ${sum('institutions')}::int AS institutions, ${sum('standalone')}::int AS standalone, ${sum('joint')}::int AS joint,
  ${sum('party_organizations')}::int AS "partyOrganizations", ${sum('standalone_branches')}::int AS "standaloneBranches",
  ${sum('joint_branches')}::int AS "jointBranches"`;

/**
 * Year-end coverage from the per-county, per-year changes in `coverage_history` (kept by the
 * triggers of the CoverageHistory migration): each year's figure is the sum of the changes up to
 * it. A branch, whose scope is its own organization and the institutions it covers rather than a
 * region range, has its rows counted year by year instead.
 */
export class CoverageHistoryRepository {
  constructor(private readonly db: DataSource) {}

  /** Every year of every key, in one statement; the answer lists the years of each key in order. */
  async coverageHistory(keys: readonly CoverageHistoryKey[], scope: Scope): Promise<CoverageYearCounts[][]> {
    const p = new SqlParams();
    const ranges = keys.map((k) => prefixRange(regionPrefix(k.regionCode)));
    const q = `unnest(${p.add(ranges.map((r) => r.from))}::char(6)[], ${p.add(ranges.map((r) => r.to))}::char(6)[], ${p.add(keys.map((k) => k.kind))}::text[],
                      ${p.add(keys.map((k) => k.fromYear))}::int[], ${p.add(keys.map((k) => k.toYear))}::int[])
               WITH ORDINALITY AS q(from_code, to_code, kind, from_year, to_year, ordinal)
               CROSS JOIN LATERAL generate_series(q.from_year, q.to_year) AS y(year)`;
    let rows: (CoverageYearCounts & { ordinal: string })[];
    if (!scope.organizationId) {
      // The first year reads every change up to it; each later year only its own, added on by the window.
      rows = await this.db.query(
        `SELECT q.ordinal, y.year, ${COLUMNS((c) => `sum(d.${c}) OVER (PARTITION BY q.ordinal ORDER BY y.year)`)}
           FROM ${q}
           CROSS JOIN LATERAL (
             SELECT ${SUMS.split(', ').map((c) => `coalesce(sum(h.${c}), 0) AS ${c}`).join(', ')}
               FROM coverage_history h
              WHERE h.region_code >= q.from_code AND h.region_code < q.to_code AND ${regionScopeSql(p, 'h.region_code', scope)}
                AND h.sector = q.kind AND h.year <= y.year AND (y.year = q.from_year OR h.year = y.year)
           ) AS d
          ORDER BY q.ordinal, y.year`,
        p.values,
      );
    } else {
      const counted = (from: string, to: string) => `${from} <= y.year AND (${to} IS NULL OR ${to} > y.year)`;
      rows = await this.db.query(
        `WITH facts AS (
           SELECT i.region_code, i.kind AS sector, coalesce(history_year(i.approved_on), 0) AS from_year, history_year(i.closed_on) AS to_year,
                  1 AS institutions, 0 AS standalone, 0 AS joint, 0 AS party_organizations, 0 AS standalone_branches, 0 AS joint_branches
             FROM institution i
            WHERE (i.state = 'OPERATING' OR i.closed_on IS NOT NULL) AND ${scopeSql.institution(p, 'i', scope)}
           UNION ALL
           SELECT c.counted_region, c.counted_sector, c.counted_from, c.counted_to,
                  0, (c.counted_kind = 'STANDALONE')::int, (c.counted_kind = 'JOINT')::int, 0, 0, 0
             FROM institution_coverage_period c JOIN institution i ON i.id = c.institution_id
            WHERE c.counted_kind IS NOT NULL AND c.party_organization_id = ${p.add(scope.organizationId)} AND ${scopeSql.institution(p, 'i', scope)}
           UNION ALL
           SELECT o.region_code, o.sector, history_year(o.founded_on), history_year(o.dissolved_on),
                  0, 0, 0, (o.kind <> 'INDUSTRY_COMMITTEE')::int, (o.kind = 'STANDALONE_BRANCH')::int, (o.kind = 'JOINT_BRANCH')::int
             FROM party_organization o WHERE ${scopeSql.organization(p, 'o', scope)}
         )
         SELECT q.ordinal, y.year, ${COLUMNS((c) => `coalesce(sum(f.${c}) FILTER (WHERE ${counted('f.from_year', 'f.to_year')}), 0)`)}
           FROM ${q}
           LEFT JOIN facts f ON f.region_code >= q.from_code AND f.region_code < q.to_code AND f.sector = q.kind
          GROUP BY q.ordinal, y.year
          ORDER BY q.ordinal, y.year`,
        p.values,
      );
    }
    const byKey: CoverageYearCounts[][] = keys.map(() => []);
    for (const { ordinal, ...row } of rows) byKey[Number(ordinal) - 1].push(row);
    return byKey;
  }
}
