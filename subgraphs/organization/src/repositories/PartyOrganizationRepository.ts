import type { DataSource, EntityManager } from 'typeorm';
import { SqlParams, unseenArray } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';
import type { PartyOrganization, PartyOrganizationKind } from '../entities';
import { changesAfter, type ChangeCursor } from './changes';
import { scopeSql } from './scope';

const COLUMNS = `o.id, o.name, o.kind, o.sector, o.parent_id AS "parentId", o.region_code AS "regionCode",
  o.founded_on AS "foundedOn", o.dissolved_on AS "dissolvedOn", o.dissolution_reason AS "dissolutionReason"`;

/** What a Party organization is, as another subgraph's register keeps it. */
export interface PartyOrganizationDescription {
  id: string;
  kind: PartyOrganizationKind;
  regionCode: string;
  foundedOn: string;
  dissolvedOn: string | null;
  revision: number;
}

export class PartyOrganizationRepository {
  constructor(private readonly db: DataSource) {}

  /** Organizations changed after the cursor, as another subgraph's register reads them. */
  changesAfter(after: ChangeCursor, first: number) {
    return changesAfter<PartyOrganizationDescription>(
      this.db,
      'party_organization',
      `c.id, c.kind, c.region_code AS "regionCode", c.founded_on AS "foundedOn", c.dissolved_on AS "dissolvedOn", c.revision`,
      after,
      first,
    );
  }

  async findByIds(ids: readonly string[], scope: Scope, manager: EntityManager = this.db.manager): Promise<PartyOrganization[]> {
    const p = new SqlParams();
    return manager.query(
      `SELECT ${COLUMNS} FROM party_organization o WHERE o.id = ANY(${unseenArray(p, ids, 'uuid[]')}) AND ${scopeSql.organization(p, 'o', scope)}`,
      p.values,
    );
  }

  async findChildren(parentIds: readonly string[], scope: Scope): Promise<PartyOrganization[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT ${COLUMNS} FROM party_organization o
        WHERE o.parent_id = ANY(${unseenArray(p, parentIds, 'uuid[]')}) AND ${scopeSql.organization(p, 'o', scope)}
        ORDER BY o.region_code, o.name, o.id`,
      p.values,
    );
  }

  /** Organizations by name (a ledger's natural key is the name within a region), in the scope given. */
  async findByNames(names: readonly string[], scope: Scope, manager: EntityManager = this.db.manager): Promise<PartyOrganization[]> {
    if (names.length === 0) return [];
    const p = new SqlParams();
    return manager.query(
      `SELECT ${COLUMNS} FROM party_organization o WHERE o.name = ANY(${p.add(names)}::text[]) AND ${scopeSql.organization(p, 'o', scope)}`,
      p.values,
    );
  }

  /** The undissolved industry committees of several regions, oldest first, as `findIndustryCommittee` picks them. */
  async findIndustryCommittees(regionCodes: readonly string[], manager: EntityManager = this.db.manager): Promise<PartyOrganization[]> {
    if (regionCodes.length === 0) return [];
    return manager.query(
      `SELECT ${COLUMNS} FROM party_organization o
        WHERE o.region_code = ANY($1::char(6)[]) AND o.kind = 'INDUSTRY_COMMITTEE' AND o.dissolved_on IS NULL
        ORDER BY o.founded_on`,
      [regionCodes],
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
