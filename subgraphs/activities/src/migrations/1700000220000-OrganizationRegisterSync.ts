import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The register of Party organizations follows the organization subgraph's changes: each row keeps
 * the revision it was copied at (0 for one described when an activity was recorded), and one row
 * keeps where in the organization subgraph's stream of changes this register has read up to.
 */
export class OrganizationRegisterSync1700000220000 implements MigrationInterface {
  name = 'OrganizationRegisterSync1700000220000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE registered_organization ADD COLUMN revision integer NOT NULL DEFAULT 0`);
    await db.query(`
      CREATE TABLE organization_register_cursor (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        cursor    text NOT NULL,
        read_at   timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE organization_register_cursor');
    await db.query('ALTER TABLE registered_organization DROP COLUMN revision');
  }
}
