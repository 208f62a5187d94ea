import type { DataSource } from 'typeorm';
import { regionScopeSql, SqlParams } from '../../../../shared/src/sql';
import { prefixRange, regionPrefix, type RegionLevel } from '../../../../shared/src/regions';
import type { Scope } from '../../../../shared/src/viewer';
import type { GuidanceStation, Region } from '../entities';
import { scopeSql } from './scope';

const COLUMNS = `r.code, r.name, r.level, r.parent_code AS "parentCode"`;

/** One county's coverage counters in one sector: region, sector, then the counts in `CoverageCounts` order. */
export type CoverageCounterRow = [regionCode: string, sector: string, institutions: number, standalone: number, joint: number,
  partyOrganizations: number, standaloneBranches: number, jointBranches: number];

export type RegionWithSurroundings = Region & { station: GuidanceStation | null; coverage: CoverageCounterRow[] | null };

export class RegionRepository {
  constructor(private readonly db: DataSource) {}

  async findByCodes(codes: readonly string[], scope: Scope): Promise<Region[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT ${COLUMNS} FROM region r WHERE r.code = ANY(${p.add(codes)}::char(6)[]) AND ${scopeSql.region(p, 'r', scope)}`,
      p.values,
    );
  }

  async findChildren(parentCodes: readonly string[], scope: Scope): Promise<Region[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT ${COLUMNS} FROM region r
        WHERE r.parent_code = ANY(${p.add(parentCodes)}::char(6)[]) AND ${scopeSql.region(p, 'r', scope)}
        ORDER BY r.code`,
      p.values,
    );
  }

  /**
   * The regions asked for and their children, each with its territorial station, in one
   * statement: what a region's page shows first, read before its fields ask for it. A station
   * tier's caller also gets each region asked for its coverage counters, one row per county and
   * sector of its subtree (`coverage`, null for the children and for a branch, whose coverage is
   * counted from the rows).
   */
  async findWithChildren(codes: readonly string[], scope: Scope): Promise<RegionWithSurroundings[]> {
    const p = new SqlParams();
    const asked = p.add(codes);
    const ranges = codes.map((code) => prefixRange(regionPrefix(code)));
    const coverage = scope.organizationId
      ? 'NULL::json'
      : `(SELECT json_agg(json_build_array(s.region_code, s.sector, s.institutions, s.standalone, s.joint, s.party_organizations,
                                           s.standalone_branches, s.joint_branches))
            FROM unnest(${asked}::char(6)[], ${p.add(ranges.map((r) => r.from))}::char(6)[], ${p.add(ranges.map((r) => r.to))}::char(6)[]) AS q(code, from_code, to_code)
            JOIN coverage_region_stats s ON s.region_code >= q.from_code AND s.region_code < q.to_code
           WHERE q.code = r.code AND ${regionScopeSql(p, 's.region_code', scope)})`;
    return this.db.query(
      `SELECT ${COLUMNS},
              (SELECT json_build_object('id', s.id, 'name', s.name, 'tier', s.tier, 'functional', s.functional, 'regionCode', s.region_code,
                                        'parentId', s.parent_id, 'establishedOn', s.established_on)
                 FROM guidance_station s
                WHERE s.region_code = r.code AND NOT s.functional AND ${scopeSql.station(p, 's', scope)}) AS station,
              ${coverage} AS coverage
         FROM region r
        WHERE (r.code = ANY(${asked}::char(6)[]) OR r.parent_code = ANY(${asked}::char(6)[])) AND ${scopeSql.region(p, 'r', scope)}
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
