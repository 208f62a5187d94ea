import type { DataSource, EntityManager } from 'typeorm';
import { SqlParams } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';
import type { RegisteredOrganization } from '../entities';
import { scopeSql } from './scope';

export interface OrganizationDescription {
  id: string;
  kind: string;
  regionCode: string;
  foundedOn: string;
  dissolvedOn: string | null;
}

/** The Party organizations this subgraph knows of, as the organization subgraph described them. */
export class OrganizationRegister {
  constructor(private readonly db: DataSource) {}

  async findByIds(ids: readonly string[], scope: Scope): Promise<RegisteredOrganization[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT o.organization_id AS "organizationId", o.region_code AS "regionCode", o.kind, o.founded_on AS "foundedOn", o.dissolved_on AS "dissolvedOn",
              o.described_at AS "describedAt"
         FROM registered_organization o WHERE o.organization_id = ANY(${p.add(ids)}::uuid[]) AND ${scopeSql.organization(p, 'o', scope)}`,
      p.values,
    );
  }

  /** Records what the organization subgraph has just said of an organization, inside the caller's transaction. */
  async describe(manager: EntityManager, organization: OrganizationDescription): Promise<void> {
    await manager.query(
      `INSERT INTO registered_organization (organization_id, region_code, kind, founded_on, dissolved_on, described_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (organization_id) DO UPDATE
          SET region_code = excluded.region_code, kind = excluded.kind, founded_on = excluded.founded_on,
              dissolved_on = excluded.dissolved_on, described_at = excluded.described_at`,
      [organization.id, organization.regionCode, organization.kind, organization.foundedOn, organization.dissolvedOn],
    );
  }
}
