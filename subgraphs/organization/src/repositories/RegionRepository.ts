import type { DataSource } from 'typeorm';
import { listOf, listSql, numbersOf, regionScopeSql, SqlParams, unseenArray } from '../../../../shared/src/sql';
import { prefixRange, regionLevel, regionPrefix, type RegionLevel } from '../../../../shared/src/regions';
import type { Scope } from '../../../../shared/src/viewer';
import type { GuidanceStation, InstitutionKind, Region } from '../entities';
import { scopeSql } from './scope';

const COLUMNS = `r.code, r.name, r.level, r.parent_code AS "parentCode"`;

/** Coverage counters summed over one subtree (named by its code prefix) in one sector, then the counts in `CoverageCounts` order. */
export type CoverageCounterRow = [prefix: string, sector: string, institutions: number, standalone: number, joint: number,
  partyOrganizations: number, standaloneBranches: number, jointBranches: number];

export type RegionWithSurroundings = Region & { station: GuidanceStation | null; coverage: CoverageCounterRow[] | null };

/** A region's station as `findWithChildren` reads it, a column each (all null when the region has none). */
interface StationColumns {
  stationId: string | null;
  stationName: string | null;
  stationTier: GuidanceStation['tier'] | null;
  stationFunctional: boolean | null;
  stationRegionCode: string | null;
  stationParentId: string | null;
  stationEstablishedOn: GuidanceStation['establishedOn'] | null;
}

/** The columns of `CoverageCounterRow`, each listed over a region's subtrees and sectors (see `listSql`). */
const COVERAGE_LISTS = ['part', 'sector', 'institutions', 'standalone', 'joint', 'party_organizations', 'standalone_branches', 'joint_branches'] as const;
type CoverageLists = Record<(typeof COVERAGE_LISTS)[number], string | null>;

/** The counter rows a region's lists hold; null when no coverage was read for it. */
function coverageRows(lists: CoverageLists): CoverageCounterRow[] | null {
  if (lists.part === null) return null;
  const parts = listOf(lists.part);
  const sectors = listOf(lists.sector);
  const [institutions, standalone, joint, partyOrganizations, standaloneBranches, jointBranches] = COVERAGE_LISTS.slice(2).map((list) => numbersOf(lists[list]));
  return parts.map((part, i) => [part, sectors[i], institutions[i], standalone[i], joint[i], partyOrganizations[i], standaloneBranches[i], jointBranches[i]]);
}

export class RegionRepository {
  constructor(private readonly db: DataSource) {}

  async findByCodes(codes: readonly string[], scope: Scope): Promise<Region[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT ${COLUMNS} FROM region r WHERE r.code = ANY(${unseenArray(p, codes, 'char(6)[]')}) AND ${scopeSql.region(p, 'r', scope)}`,
      p.values,
    );
  }

  async findChildren(parentCodes: readonly string[], scope: Scope): Promise<Region[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT ${COLUMNS} FROM region r
        WHERE r.parent_code = ANY(${unseenArray(p, parentCodes, 'char(6)[]')}) AND ${scopeSql.region(p, 'r', scope)}
        ORDER BY r.code`,
      p.values,
    );
  }

  /**
   * The regions asked for and their children, each with its territorial station, in one
   * statement: what a region's page shows first, read before its fields ask for it. A station
   * tier's caller also gets each region asked for its coverage counters, summed per sector over
   * each child's subtree and over the region's own code (`coverage`, null for the children and for
   * a branch, whose coverage is counted from the rows): a province's few dozen rows rather than
   * one per county and sector, and only the sectors in `sectors` (all of them for null; none, and
   * no coverage, for an empty list): the page says which it will show. The station comes as
   * columns and the counters as lists (`listSql`), the shapes PostgreSQL builds cheapest; the
   * objects are made here.
   */
  async findWithChildren(codes: readonly string[], sectors: readonly InstitutionKind[] | null, scope: Scope): Promise<RegionWithSurroundings[]> {
    const p = new SqlParams();
    // The same plan serves one code or several: kept once per connection (see `unseenArray`).
    const asked = unseenArray(p, codes, 'char(6)[]');
    const ranges = codes.map((code) => prefixRange(regionPrefix(code)));
    // A child's subtree is the counters whose codes begin with its prefix: a city's 4 digits, a county's 6.
    const childPrefixLengths = codes.map((code) => (regionLevel(code) === 'PROVINCE' ? 4 : 6));
    const coverage = scope.organizationId || sectors?.length === 0
      ? `(SELECT ${COVERAGE_LISTS.map((list) => `NULL::text AS ${list}`).join(', ')}) g`
      : `LATERAL (
           SELECT ${COVERAGE_LISTS.map((list) => `${listSql(`g.${list}`)} AS ${list}`).join(', ')}
             FROM (SELECT left(c.region_code, q.part_length) AS part, c.sector, sum(c.institutions)::int AS institutions, sum(c.standalone)::int AS standalone,
                          sum(c.joint)::int AS joint, sum(c.party_organizations)::int AS party_organizations,
                          sum(c.standalone_branches)::int AS standalone_branches, sum(c.joint_branches)::int AS joint_branches
                     FROM unnest(${asked}, ${unseenArray(p, ranges.map((r) => r.from), 'char(6)[]')}, ${unseenArray(p, ranges.map((r) => r.to), 'char(6)[]')},
                                 ${unseenArray(p, childPrefixLengths, 'int[]')}) AS q(code, from_code, to_code, part_length)
                     JOIN coverage_region_stats c ON c.region_code >= q.from_code AND c.region_code < q.to_code
                    WHERE q.code = r.code AND ${regionScopeSql(p, 'c.region_code', scope)}
                          ${sectors ? `AND c.sector = ANY(${unseenArray(p, sectors, 'text[]')})` : ''}
                    GROUP BY 1, 2) g) g`;
    // The station joined once, not looked up per region: a subquery per row scanned the stations for each.
    const rows: (Region & StationColumns & CoverageLists)[] = await this.db.query(
      `SELECT ${COLUMNS}, s.id AS "stationId", s.name AS "stationName", s.tier AS "stationTier", s.functional AS "stationFunctional",
              s.region_code AS "stationRegionCode", s.parent_id AS "stationParentId", s.established_on AS "stationEstablishedOn",
              ${COVERAGE_LISTS.map((list) => `g.${list}`).join(', ')}
         FROM region r
         LEFT JOIN guidance_station s ON s.region_code = r.code AND NOT s.functional AND ${scopeSql.station(p, 's', scope)}
         LEFT JOIN ${coverage} ON true
        WHERE (r.code = ANY(${asked}) OR r.parent_code = ANY(${asked})) AND ${scopeSql.region(p, 'r', scope)}
        ORDER BY r.code`,
      p.values,
    );
    return rows.map((row) => ({
      code: row.code,
      name: row.name,
      level: row.level,
      parentCode: row.parentCode,
      station:
        row.stationId === null
          ? null
          : {
              id: row.stationId,
              name: row.stationName!,
              tier: row.stationTier!,
              functional: row.stationFunctional!,
              regionCode: row.stationRegionCode!,
              parentId: row.stationParentId,
              establishedOn: row.stationEstablishedOn,
            },
      coverage: coverageRows(row),
    }));
  }

  async list(scope: Scope, level: RegionLevel | null, parentCode: string | null): Promise<Region[]> {
    const p = new SqlParams();
    const conditions = [scopeSql.region(p, 'r', scope)];
    if (level) conditions.push(`r.level = ${p.add(level)}`);
    if (parentCode) conditions.push(`r.parent_code = ${p.add(parentCode)}`);
    return this.db.query(`SELECT ${COLUMNS} FROM region r WHERE ${conditions.join(' AND ')} ORDER BY r.code`, p.values);
  }
}
