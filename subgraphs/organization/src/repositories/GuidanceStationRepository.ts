import type { DataSource } from 'typeorm';
import { SqlParams, unseenArray } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';
import type { GuidanceStation } from '../entities';
import { scopeSql } from './scope';

const COLUMNS = `s.id, s.name, s.tier, s.functional, s.region_code AS "regionCode", s.parent_id AS "parentId",
  s.established_on AS "establishedOn"`;

export class GuidanceStationRepository {
  constructor(private readonly db: DataSource) {}

  async findByIds(ids: readonly string[], scope: Scope): Promise<GuidanceStation[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT ${COLUMNS} FROM guidance_station s WHERE s.id = ANY(${unseenArray(p, ids, 'uuid[]')}) AND ${scopeSql.station(p, 's', scope)}`,
      p.values,
    );
  }

  /** The territorial station of each region. */
  async findByRegionCodes(codes: readonly string[], scope: Scope): Promise<GuidanceStation[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT ${COLUMNS} FROM guidance_station s
        WHERE s.region_code = ANY(${unseenArray(p, codes, 'char(6)[]')}) AND NOT s.functional AND ${scopeSql.station(p, 's', scope)}`,
      p.values,
    );
  }

  async findChildren(parentIds: readonly string[], scope: Scope): Promise<GuidanceStation[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT ${COLUMNS} FROM guidance_station s
        WHERE s.parent_id = ANY(${unseenArray(p, parentIds, 'uuid[]')}) AND ${scopeSql.station(p, 's', scope)}
        ORDER BY s.region_code, s.functional, s.name`,
      p.values,
    );
  }
}
