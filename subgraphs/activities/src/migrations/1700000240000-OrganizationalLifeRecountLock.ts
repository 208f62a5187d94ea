import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The advisory-lock space of an organization's organizational-life lines: the first key names the
 * lines, the second the organization (`hashtext` of its id). Nothing else in the project takes
 * advisory locks; a two-key lock never meets a one-key (bigint) one.
 */
const LINES_LOCK = `hashtext('sanji.organizational_life_line')`;

/**
 * An organization's organizational-life lines are recounted one transaction at a time.
 *
 * A recount deletes an organization's lines and inserts them again. Recording an activity and
 * copying the organization's registration at the same moment both recounted its lines, and the
 * later of the two to commit either failed on inserting a line the other had just inserted
 * (`organizational_life_line_pkey`), or left a line counted with the registration it read before
 * the other committed.
 *
 * So every recount first takes, for each of its organizations, an advisory lock held to the end of
 * its transaction, in the order of the keys, so that two transactions never wait on each other in
 * a circle: `organizational_life_recount` keeps its name and arguments (the activity and register
 * triggers call it) and locks before counting, in what it was, now `organizational_life_recount_lines`.
 * A change of registrations takes the locks before its trigger reads which lines to recount (the
 * lock triggers are named to fire before the population ones, triggers of an event firing in the
 * order of their names), so a line committed meanwhile is seen and counted with the registration.
 */
export class OrganizationalLifeRecountLock1700000240000 implements MigrationInterface {
  name = 'OrganizationalLifeRecountLock1700000240000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION organizational_life_lock(organization_ids uuid[]) RETURNS void
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        key integer;
      BEGIN
        -- In the order of the keys themselves: two ids may share one.
        FOR key IN SELECT DISTINCT hashtext(id::text) FROM unnest(organization_ids) AS t(id) WHERE id IS NOT NULL ORDER BY 1 LOOP
          PERFORM pg_advisory_xact_lock(${LINES_LOCK}, key);
        END LOOP;
      END $$`);
    await db.query(`ALTER FUNCTION organizational_life_recount(uuid[], integer[], text[]) RENAME TO organizational_life_recount_lines`);
    await db.query(`
      CREATE FUNCTION organizational_life_recount(organization_ids uuid[], years integer[], kinds text[]) RETURNS void
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        PERFORM organizational_life_lock(organization_ids);
        PERFORM organizational_life_recount_lines(organization_ids, years, kinds);
      END $$`);

    // Each transition table is read in its own branch: the one a trigger lacks must not be planned.
    // Old and new ids are locked together, so in one order.
    await db.query(`
      CREATE FUNCTION organizational_life_lock_track() RETURNS trigger
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        organization_ids uuid[] := '{}';
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          organization_ids := organization_ids || ARRAY(SELECT o.organization_id FROM old_organization o);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          organization_ids := organization_ids || ARRAY(SELECT o.organization_id FROM new_organization o);
        END IF;
        PERFORM organizational_life_lock(organization_ids);
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER organizational_life_lock_insert AFTER INSERT ON registered_organization REFERENCING NEW TABLE AS new_organization
                    FOR EACH STATEMENT EXECUTE FUNCTION organizational_life_lock_track()`);
    await db.query(`CREATE TRIGGER organizational_life_lock_update AFTER UPDATE ON registered_organization REFERENCING OLD TABLE AS old_organization NEW TABLE AS new_organization
                    FOR EACH STATEMENT EXECUTE FUNCTION organizational_life_lock_track()`);
    await db.query(`CREATE TRIGGER organizational_life_lock_delete AFTER DELETE ON registered_organization REFERENCING OLD TABLE AS old_organization
                    FOR EACH STATEMENT EXECUTE FUNCTION organizational_life_lock_track()`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const op of ['insert', 'update', 'delete']) await db.query(`DROP TRIGGER organizational_life_lock_${op} ON registered_organization`);
    await db.query('DROP FUNCTION organizational_life_lock_track()');
    await db.query('DROP FUNCTION organizational_life_recount(uuid[], integer[], text[])');
    await db.query('ALTER FUNCTION organizational_life_recount_lines(uuid[], integer[], text[]) RENAME TO organizational_life_recount');
    await db.query('DROP FUNCTION organizational_life_lock(uuid[])');
  }
}
