import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the stations' work lists read: a register of institutions following the organization
 * subgraph's stream of changes (as the register of Party organizations does), so the lists of
 * institutions without a visit or without a checkpoint are one statement over this schema; and
 * the indexes that make each institution's last visit and each checkpoint one index probe.
 */
export class WorkLists1700000230000 implements MigrationInterface {
  name = 'WorkLists1700000230000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE registered_institution (
        institution_id        uuid PRIMARY KEY,
        region_code           char(6) NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        kind                  text NOT NULL,
        state                 text NOT NULL CHECK (state IN ('OPERATING', 'CLOSED')),
        approved_on           date,
        closed_on             date,
        party_organization_id uuid,
        revision              integer NOT NULL,
        described_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX registered_institution_region_idx ON registered_institution (region_code, institution_id)`);
    await db.query(`CREATE INDEX registered_institution_organization_idx ON registered_institution (party_organization_id) WHERE party_organization_id IS NOT NULL`);
    await db.query(`
      CREATE TABLE institution_register_cursor (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        cursor    text NOT NULL,
        read_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX activity_visit_idx ON activity (institution_id, held_on DESC) WHERE kind = 'GUIDANCE_VISIT' AND status = 'HELD'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX activity_visit_idx');
    await db.query('DROP TABLE institution_register_cursor');
    await db.query('DROP TABLE registered_institution');
  }
}
