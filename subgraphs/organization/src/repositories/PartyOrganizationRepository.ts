import type { DataSource, EntityManager } from 'typeorm';
import { SqlParams } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';
import type { PartyOrganization } from '../entities';
import { scopeSql } from './scope';

const COLUMNS = `o.id, o.name, o.kind, o.sector, o.parent_id AS "parentId", o.region_code AS "regionCode",
  o.founded_on AS "foundedOn", o.dissolved_on AS "dissolvedOn", o.dissolution_reason AS "dissolutionReason"`;

export class PartyOrganizationRepository {
  constructor(private readonly db: DataSource) {}

  async findByIds(ids: readonly string[], scope: Scope, manager: EntityManager = this.db.manager): Promise<PartyOrganization[]> {
    const p = new SqlParams();
    return manager.query(
      `SELECT ${COLUMNS} FROM party_organization o WHERE o.id = ANY(${p.add(ids)}::uuid[]) AND ${scopeSql.organization(p, 'o', scope)}`,
      p.values,
    );
  }

  async findChildren(parentIds: readonly string[], scope: Scope): Promise<PartyOrganization[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT ${COLUMNS} FROM party_organization o
        WHERE o.parent_id = ANY(${p.add(parentIds)}::uuid[]) AND ${scopeSql.organization(p, 'o', scope)}
        ORDER BY o.region_code, o.name, o.id`,
      p.values,
    );
  }

  /** The undissolved industry committee of a region (行业党委), which new branches report to by default. */
  async findIndustryCommittee(regionCode: string, sector: string, manager: EntityManager): Promise<PartyOrganization | null> {
    const rows: PartyOrganization[] = await manager.query(
      `SELECT ${COLUMNS} FROM party_organization o
        WHERE o.region_code = $1 AND o.kind = 'INDUSTRY_COMMITTEE' AND o.sector = $2 AND o.dissolved_on IS NULL
        ORDER BY o.founded_on LIMIT 1`,
      [regionCode, sector],
    );
    return rows[0] ?? null;
  }
}
