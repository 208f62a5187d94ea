import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What other subgraphs need to keep their register of institutions current, as for Party
 * organizations: every change to what an institution is for their work lists (its kind, region,
 * state, approval and closing days, covering organization) raises its `revision` and records the
 * transaction that made it.
 */
export class InstitutionChanges1700000040000 implements MigrationInterface {
  name = 'InstitutionChanges1700000040000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE institution ADD COLUMN revision integer NOT NULL DEFAULT 1, ADD COLUMN changed_in xid8 NOT NULL DEFAULT pg_current_xact_id()`);
    // Named to fire after institution_set_closed_on (BEFORE triggers fire in name order), so the closing day it sets is seen.
    await db.query(`
      CREATE FUNCTION institution_track_change() RETURNS trigger
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          NEW.revision := 1;
          NEW.changed_in := pg_current_xact_id();
        ELSIF (NEW.kind, NEW.region_code, NEW.state, NEW.approved_on, NEW.closed_on, NEW.party_organization_id)
              IS DISTINCT FROM (OLD.kind, OLD.region_code, OLD.state, OLD.approved_on, OLD.closed_on, OLD.party_organization_id) THEN
          NEW.revision := OLD.revision + 1;
          NEW.changed_in := pg_current_xact_id();
        ELSE
          NEW.revision := OLD.revision;
          NEW.changed_in := OLD.changed_in;
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER institution_track_change BEFORE INSERT OR UPDATE ON institution FOR EACH ROW EXECUTE FUNCTION institution_track_change()`);
    await db.query(`CREATE INDEX institution_changed_idx ON institution (changed_in, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TRIGGER institution_track_change ON institution');
    await db.query('DROP FUNCTION institution_track_change()');
    await db.query('ALTER TABLE institution DROP COLUMN changed_in, DROP COLUMN revision');
  }
}
