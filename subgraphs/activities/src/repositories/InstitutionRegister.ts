import type { DataSource, EntityManager } from 'typeorm';

/** A description from the organization subgraph's stream of institution changes. */
export interface RevisedInstitution {
  id: string;
  kind: string;
  regionCode: string;
  state: string;
  approvedOn: string | null;
  closedOn: string | null;
  partyOrganizationId: string | null;
  revision: number;
}

type InstitutionDescription = Omit<RevisedInstitution, 'revision'>;

/**
 * The institutions this subgraph knows of, as the organization subgraph described them: what the
 * work lists of institutions (no guidance visit, missing checkpoints) are read from.
 */
export class InstitutionRegister {
  constructor(private readonly db: DataSource) {}

  /** The descriptions newer than the rows kept, or of institutions not registered yet. */
  async newerThanKept(descriptions: readonly RevisedInstitution[]): Promise<RevisedInstitution[]> {
    if (descriptions.length === 0) return [];
    const kept: { id: string; revision: number }[] = await this.db.query(
      `SELECT institution_id AS id, revision FROM registered_institution WHERE institution_id = ANY($1::uuid[])`,
      [descriptions.map((d) => d.id)],
    );
    const revisions = new Map(kept.map((row) => [row.id, row.revision]));
    return descriptions.filter((d) => (revisions.get(d.id) ?? -1) < d.revision);
  }

  /** Copies the descriptions newer than the rows kept, in one statement; returns those it copied, with what they replaced. */
  async apply(manager: EntityManager, descriptions: readonly RevisedInstitution[]): Promise<{ after: RevisedInstitution; before: InstitutionDescription | null }[]> {
    if (descriptions.length === 0) return [];
    const column = <K extends keyof RevisedInstitution>(key: K) => descriptions.map((d) => d[key]);
    const rows: (RevisedInstitution & { before: InstitutionDescription | null })[] = await manager.query(
      `WITH incoming AS (
         SELECT * FROM unnest($1::uuid[], $2::char(6)[], $3::text[], $4::text[], $5::date[], $6::date[], $7::uuid[], $8::int[])
                    AS i (institution_id, region_code, kind, state, approved_on, closed_on, party_organization_id, revision)),
       previous AS (
         SELECT r.* FROM registered_institution r JOIN incoming i USING (institution_id))
       INSERT INTO registered_institution AS r (institution_id, region_code, kind, state, approved_on, closed_on, party_organization_id, revision, described_at)
       SELECT institution_id, region_code, kind, state, approved_on, closed_on, party_organization_id, revision, now() FROM incoming
       ON CONFLICT (institution_id) DO UPDATE
          SET region_code = excluded.region_code, kind = excluded.kind, state = excluded.state, approved_on = excluded.approved_on,
              closed_on = excluded.closed_on, party_organization_id = excluded.party_organization_id,
              revision = excluded.revision, described_at = excluded.described_at
        WHERE r.revision < excluded.revision
       RETURNING r.institution_id AS id, r.region_code AS "regionCode", r.kind, r.state, to_char(r.approved_on, 'YYYY-MM-DD') AS "approvedOn",
                 to_char(r.closed_on, 'YYYY-MM-DD') AS "closedOn", r.party_organization_id AS "partyOrganizationId", r.revision,
                 (SELECT json_build_object('id', p.institution_id, 'regionCode', p.region_code, 'kind', p.kind, 'state', p.state,
                                           'approvedOn', p.approved_on, 'closedOn', p.closed_on, 'partyOrganizationId', p.party_organization_id)
                    FROM previous p WHERE p.institution_id = r.institution_id) AS before`,
      [column('id'), column('regionCode'), column('kind'), column('state'), column('approvedOn'), column('closedOn'), column('partyOrganizationId'), column('revision')],
    );
    return rows.map(({ before, ...after }) => ({ after, before }));
  }

  /** Where this register has read the organization subgraph's changes up to; null before the first read. */
  async cursor(manager: EntityManager = this.db.manager): Promise<string | null> {
    const rows: { cursor: string }[] = await manager.query(`SELECT cursor FROM institution_register_cursor`);
    return rows[0]?.cursor ?? null;
  }

  async saveCursor(manager: EntityManager, cursor: string): Promise<void> {
    await manager.query(
      `INSERT INTO institution_register_cursor (cursor, read_at) VALUES ($1, now())
       ON CONFLICT (singleton) DO UPDATE SET cursor = excluded.cursor, read_at = excluded.read_at`,
      [cursor],
    );
  }
}
