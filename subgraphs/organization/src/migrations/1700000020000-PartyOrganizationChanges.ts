import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What other subgraphs need to keep their register of Party organizations current: every change
 * to what an organization is (its kind, region, founding and dissolution) raises its `revision`
 * and records the transaction that made it, so a reader can ask for everything committed since
 * its last read and never miss a transaction that committed late.
 */
export class PartyOrganizationChanges1700000020000 implements MigrationInterface {
  name = 'PartyOrganizationChanges1700000020000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE party_organization ADD COLUMN revision integer NOT NULL DEFAULT 1, ADD COLUMN changed_in xid8 NOT NULL DEFAULT pg_current_xact_id()`);
    await db.query(`
      CREATE FUNCTION party_organization_mark_change() RETURNS trigger
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          NEW.revision := 1;
          NEW.changed_in := pg_current_xact_id();
        ELSIF (NEW.kind, NEW.region_code, NEW.founded_on, NEW.dissolved_on) IS DISTINCT FROM (OLD.kind, OLD.region_code, OLD.founded_on, OLD.dissolved_on) THEN
          NEW.revision := OLD.revision + 1;
          NEW.changed_in := pg_current_xact_id();
        ELSE
          NEW.revision := OLD.revision;
          NEW.changed_in := OLD.changed_in;
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER party_organization_mark_change BEFORE INSERT OR UPDATE ON party_organization FOR EACH ROW EXECUTE FUNCTION party_organization_mark_change()`);
    await db.query(`CREATE INDEX party_organization_changed_idx ON party_organization (changed_in, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TRIGGER party_organization_mark_change ON party_organization');
    await db.query('DROP FUNCTION party_organization_mark_change()');
    await db.query('ALTER TABLE party_organization DROP COLUMN changed_in, DROP COLUMN revision');
  }
}
