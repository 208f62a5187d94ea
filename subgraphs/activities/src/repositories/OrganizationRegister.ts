import type { DataSource, EntityManager } from 'typeorm';
import { SqlParams, unseenArray } from '../../../../shared/src/sql';
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

/** A description from the organization subgraph's stream of changes, with its revision. */
export interface RevisedOrganization extends OrganizationDescription {
  revision: number;
}

/** The Party organizations this subgraph knows of, as the organization subgraph described them. */
export class OrganizationRegister {
  constructor(private readonly db: DataSource) {}

  async findByIds(ids: readonly string[], scope: Scope): Promise<RegisteredOrganization[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT o.organization_id AS "organizationId", o.region_code AS "regionCode", o.kind, o.founded_on AS "foundedOn", o.dissolved_on AS "dissolvedOn",
              o.described_at AS "describedAt"
         FROM registered_organization o WHERE o.organization_id = ANY(${unseenArray(p, ids, 'uuid[]')}) AND ${scopeSql.organization(p, 'o', scope)}`,
      p.values,
    );
  }

  /**
   * Records what the organization subgraph has just said of an organization as an activity is
   * recorded, inside that transaction. A row already copied from the stream of changes is left
   * alone: the stream is ordered, a lookup made before the transaction may not be.
   */
  async describe(manager: EntityManager, organization: OrganizationDescription): Promise<void> {
    await manager.query(
      `INSERT INTO registered_organization AS r (organization_id, region_code, kind, founded_on, dissolved_on, described_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (organization_id) DO UPDATE
          SET region_code = excluded.region_code, kind = excluded.kind, founded_on = excluded.founded_on,
              dissolved_on = excluded.dissolved_on, described_at = excluded.described_at
        WHERE r.revision = 0`,
      [organization.id, organization.regionCode, organization.kind, organization.foundedOn, organization.dissolvedOn],
    );
  }

  /** The descriptions newer than the rows kept, or of organizations not registered yet. */
  async newerThanKept(descriptions: readonly RevisedOrganization[]): Promise<RevisedOrganization[]> {
    if (descriptions.length === 0) return [];
    const kept: { id: string; revision: number }[] = await this.db.query(
      `SELECT organization_id AS id, revision FROM registered_organization WHERE organization_id = ANY($1::uuid[])`,
      [descriptions.map((d) => d.id)],
    );
    const revisions = new Map(kept.map((row) => [row.id, row.revision]));
    return descriptions.filter((d) => (revisions.get(d.id) ?? -1) < d.revision);
  }

  /** Copies the descriptions newer than the rows kept, in one statement; returns those it copied, with what they replaced. */
  async apply(manager: EntityManager, descriptions: readonly RevisedOrganization[]): Promise<{ after: RevisedOrganization; before: OrganizationDescription | null }[]> {
    if (descriptions.length === 0) return [];
    const column = <K extends keyof RevisedOrganization>(key: K) => descriptions.map((d) => d[key]);
    const rows: (RevisedOrganization & { before: OrganizationDescription | null })[] = await manager.query(
      `WITH incoming AS (
         SELECT * FROM unnest($1::uuid[], $2::char(6)[], $3::text[], $4::date[], $5::date[], $6::int[])
                    AS i (organization_id, region_code, kind, founded_on, dissolved_on, revision)),
       previous AS (
         SELECT r.* FROM registered_organization r JOIN incoming i USING (organization_id))
       INSERT INTO registered_organization AS r (organization_id, region_code, kind, founded_on, dissolved_on, revision, described_at)
       SELECT organization_id, region_code, kind, founded_on, dissolved_on, revision, now() FROM incoming
       ON CONFLICT (organization_id) DO UPDATE
          SET region_code = excluded.region_code, kind = excluded.kind, founded_on = excluded.founded_on,
              dissolved_on = excluded.dissolved_on, revision = excluded.revision, described_at = excluded.described_at
        WHERE r.revision < excluded.revision
       RETURNING r.organization_id AS id, r.region_code AS "regionCode", r.kind, to_char(r.founded_on, 'YYYY-MM-DD') AS "foundedOn",
                 to_char(r.dissolved_on, 'YYYY-MM-DD') AS "dissolvedOn", r.revision,
                 (SELECT json_build_object('id', p.organization_id, 'regionCode', p.region_code, 'kind', p.kind,
                                           'foundedOn', p.founded_on, 'dissolvedOn', p.dissolved_on)
                    FROM previous p WHERE p.organization_id = r.organization_id) AS before`,
      [column('id'), column('regionCode'), column('kind'), column('foundedOn'), column('dissolvedOn'), column('revision')],
    );
    return rows.map(({ before, ...after }) => ({ after, before }));
  }

  /** Where this register has read the organization subgraph's changes up to; null before the first read. */
  async cursor(manager: EntityManager = this.db.manager): Promise<string | null> {
    const rows: { cursor: string }[] = await manager.query(`SELECT cursor FROM organization_register_cursor`);
    return rows[0]?.cursor ?? null;
  }

  async saveCursor(manager: EntityManager, cursor: string): Promise<void> {
    await manager.query(
      `INSERT INTO organization_register_cursor (cursor, read_at) VALUES ($1, now())
       ON CONFLICT (singleton) DO UPDATE SET cursor = excluded.cursor, read_at = excluded.read_at`,
      [cursor],
    );
  }
}
