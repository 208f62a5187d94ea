import type { DataSource } from 'typeorm';
import { SqlParams } from '../../../../shared/src/sql';
import type { RegionLevel } from '../../../../shared/src/regions';
import type { Scope } from '../../../../shared/src/viewer';
import type { GuidanceStation, Region } from '../entities';
import { scopeSql } from './scope';

const COLUMNS = `r.code, r.name, r.level, r.parent_code AS "parentCode"`;

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
   * statement: what a region's page shows first, read before its fields ask for it.
   */
  async findWithChildren(codes: readonly string[], scope: Scope): Promise<(Region & { station: GuidanceStation | null })[]> {
    const p = new SqlParams();
    const asked = p.add(codes);
    return this.db.query(
      `SELECT ${COLUMNS},
              (SELECT json_build_object('id', s.id, 'name', s.name, 'tier', s.tier, 'functional', s.functional, 'regionCode', s.region_code,
                                        'parentId', s.parent_id, 'establishedOn', s.established_on)
                 FROM guidance_station s
                WHERE s.region_code = r.code AND NOT s.functional AND ${scopeSql.station(p, 's', scope)}) AS station
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
