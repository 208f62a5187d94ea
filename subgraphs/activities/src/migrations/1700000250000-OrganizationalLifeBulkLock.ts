import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The lock on one organization's lines (see `OrganizationalLifeRecountLock1700000240000`). */
const LINES_LOCK = `hashtext('sanji.organizational_life_line')`;
/** The lock on every organization's lines at once, apart from the one-organization keys. */
const ALL_LINES_LOCK = `hashtext('sanji.organizational_life_lines'), 0`;
/** Above this many organizations, a recount locks them all at once rather than one by one. */
const ONE_BY_ONE_AT_MOST = 32;

/**
 * A recount of many organizations at once (the register copying a whole province, the demo load,
 * an import) takes one lock rather than one per organization: PostgreSQL holds every lock of a
 * transaction in a shared table of bounded size, and a lock apiece for tens of thousands of
 * organizations ran out of it ("out of shared memory").
 *
 * Every recount first takes the lock on all lines: shared when it then locks its organizations one
 * by one (in the order of their keys), exclusive when it locks them all. So recounts of a few
 * organizations wait only for those of the same organizations, and for a recount of many, which
 * waits for them all.
 */
export class OrganizationalLifeBulkLock1700000250000 implements MigrationInterface {
  name = 'OrganizationalLifeBulkLock1700000250000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION organizational_life_lock(organization_ids uuid[]) RETURNS void
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        keys integer[];
        key integer;
      BEGIN
        -- In the order of the keys themselves: two ids may share one.
        SELECT coalesce(array_agg(DISTINCT hashtext(id::text) ORDER BY hashtext(id::text)), '{}') INTO keys
          FROM unnest(organization_ids) AS t(id) WHERE id IS NOT NULL;
        IF cardinality(keys) = 0 THEN RETURN; END IF;
        IF cardinality(keys) > ${ONE_BY_ONE_AT_MOST} THEN
          PERFORM pg_advisory_xact_lock(${ALL_LINES_LOCK});
          RETURN;
        END IF;
        PERFORM pg_advisory_xact_lock_shared(${ALL_LINES_LOCK});
        FOREACH key IN ARRAY keys LOOP
          PERFORM pg_advisory_xact_lock(${LINES_LOCK}, key);
        END LOOP;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION organizational_life_lock(organization_ids uuid[]) RETURNS void
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        key integer;
      BEGIN
        FOR key IN SELECT DISTINCT hashtext(id::text) FROM unnest(organization_ids) AS t(id) WHERE id IS NOT NULL ORDER BY 1 LOOP
          PERFORM pg_advisory_xact_lock(${LINES_LOCK}, key);
        END LOOP;
      END $$`);
  }
}
