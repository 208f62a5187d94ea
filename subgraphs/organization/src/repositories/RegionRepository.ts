import type { DataSource } from 'typeorm';
import { regionScopeSql, SqlParams, unseenArray } from '../../../../shared/src/sql';
import { prefixRange, regionLevel, regionPrefix, type RegionLevel } from '../../../../shared/src/regions';
import type { Scope } from '../../../../shared/src/viewer';
import type { GuidanceStation, Region } from '../entities';
import { scopeSql } from './scope';

const COLUMNS = `r.code, r.name, r.level, r.parent_code AS "parentCode"`;

/** Coverage counters summed over one subtree (named by its code prefix) in one sector, then the counts in `CoverageCounts` order. */
export type CoverageCounterRow = [prefix: string, sector: string, institutions: number, standalone: number, joint: number,
  partyOrganizations: number, standaloneBranches: number, jointBranches: number];

export type RegionWithSurroundings = Region & { station: GuidanceStation | null; coverage: CoverageCounterRow[] | null };

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
   * one per county and sector.
   */
  async findWithChildren(codes: readonly string[], scope: Scope): Promise<RegionWithSurroundings[]> {
    const p = new SqlParams();
    // The same plan serves one code or several: kept once per connection (see `unseenArray`).
    const asked = unseenArray(p, codes, 'char(6)[]');
    const ranges = codes.map((code) => prefixRange(regionPrefix(code)));
    // A child's subtree is the counters whose codes begin with its prefix: a city's 4 digits, a county's 6.
    const childPrefixLengths = codes.map((code) => (regionLevel(code) === 'PROVINCE' ? 4 : 6));
    const coverage = scope.organizationId
      ? 'NULL::json'
      : `(SELECT json_agg(json_build_array(g.part, g.sector, g.institutions, g.standalone, g.joint, g.party_organizations, g.standalone_branches, g.joint_branches))
            FROM (SELECT left(c.region_code, q.part_length) AS part, c.sector, sum(c.institutions)::int AS institutions, sum(c.standalone)::int AS standalone,
                         sum(c.joint)::int AS joint, sum(c.party_organizations)::int AS party_organizations,
                         sum(c.standalone_branches)::int AS standalone_branches, sum(c.joint_branches)::int AS joint_branches
                    FROM unnest(${asked}, ${unseenArray(p, ranges.map((r) => r.from), 'char(6)[]')}, ${unseenArray(p, ranges.map((r) => r.to), 'char(6)[]')},
                                ${unseenArray(p, childPrefixLengths, 'int[]')}) AS q(code, from_code, to_code, part_length)
                    JOIN coverage_region_stats c ON c.region_code >= q.from_code AND c.region_code < q.to_code
                   WHERE q.code = r.code AND ${regionScopeSql(p, 'c.region_code', scope)}
                   GROUP BY 1, 2) g)`;
    // The station joined once, not looked up per region: a subquery per row scanned the stations for each.
    return this.db.query(
      `SELECT ${COLUMNS},
              CASE WHEN s.id IS NULL THEN NULL
                   ELSE json_build_object('id', s.id, 'name', s.name, 'tier', s.tier, 'functional', s.functional, 'regionCode', s.region_code,
                                          'parentId', s.parent_id, 'establishedOn', s.established_on) END AS station,
              ${coverage} AS coverage
         FROM region r
         LEFT JOIN guidance_station s ON s.region_code = r.code AND NOT s.functional AND ${scopeSql.station(p, 's', scope)}
        WHERE (r.code = ANY(${asked}) OR r.parent_code = ANY(${asked})) AND ${scopeSql.region(p, 'r', scope)}
        ORDER BY r.code`,
      p.values,
    );
  }

  async list(scope: Scope, level: RegionLevel | null, parentCode: string | null): Promise<Region[]> {
    const p = new SqlParams();
    const conditions = [scopeSql.region(p, 'r', scope)];
    if (level) conditions.push(`r.level = ${p.add(level)}`);
    if (parentCode) conditions.push(`r.parent_code = ${p.add(parentCode)}`);
    return this.db.query(`SELECT ${COLUMNS} FROM region r WHERE ${conditions.join(' AND ')} ORDER BY r.code`, p.values);
  }
}
