import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Year-end coverage counts for every year, kept by triggers in the same transaction as every write
 * to `institution` and `party_organization`, so a region's history costs one row per county,
 * sector and year in which something changed, however many institutions it has.
 *
 * Each counted fact is an interval of dates, and adds +1 in the year it starts and -1 in the year
 * it ends: an institution from its approval to its closing, an organization from its founding to
 * its dissolution, a coverage link (`institution_coverage_period`) from when it was made to when
 * it was undone, clipped to both of those. The year-end figure of a year is the sum of the changes
 * of that year and every year before it. A fact with no start date counts from year 0.
 */
export class CoverageHistory1700000036000 implements MigrationInterface {
  name = 'CoverageHistory1700000036000';

  async up(db: QueryRunner): Promise<void> {
    // The day an institution closed; cleared if it reopens. A closed institution without one
    // closed before records were kept and counts in no year.
    await db.query(`ALTER TABLE institution ADD COLUMN closed_on date`);
    await db.query(`
      CREATE FUNCTION history_today() RETURNS date
      LANGUAGE sql STABLE AS $$ SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date $$`);
    await db.query(`
      CREATE FUNCTION institution_set_closed_on() RETURNS trigger
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF NEW.state = 'OPERATING' THEN
          NEW.closed_on := NULL;
        ELSIF TG_OP = 'UPDATE' AND OLD.state = 'OPERATING' AND NEW.closed_on IS NOT DISTINCT FROM OLD.closed_on THEN
          NEW.closed_on := history_today();
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER institution_set_closed_on BEFORE INSERT OR UPDATE OF state, closed_on ON institution
      FOR EACH ROW EXECUTE FUNCTION institution_set_closed_on()`);

    await db.query(`
      CREATE TABLE coverage_history (
        region_code         char(6) NOT NULL,
        sector              text NOT NULL,
        year                integer NOT NULL,
        institutions        integer NOT NULL DEFAULT 0,
        standalone          integer NOT NULL DEFAULT 0,
        joint               integer NOT NULL DEFAULT 0,
        party_organizations integer NOT NULL DEFAULT 0,
        standalone_branches integer NOT NULL DEFAULT 0,
        joint_branches      integer NOT NULL DEFAULT 0,
        PRIMARY KEY (region_code, sector, year)
      )`);
    // The interval [from_year, to_year) adds n times each value in from_year and takes it back in
    // to_year; an interval that ends in the year it starts counts at no year-end.
    await db.query(`
      CREATE FUNCTION coverage_history_add(region char(6), sector text, from_year integer, to_year integer, n integer,
                                           institutions integer, standalone integer, joint integer,
                                           party_organizations integer, standalone_branches integer, joint_branches integer) RETURNS void
      LANGUAGE sql SET search_path FROM CURRENT AS $$
        INSERT INTO coverage_history AS h (region_code, sector, year, institutions, standalone, joint, party_organizations, standalone_branches, joint_branches)
        SELECT region, sector, t.year, t.sign * n * institutions, t.sign * n * standalone, t.sign * n * joint,
               t.sign * n * party_organizations, t.sign * n * standalone_branches, t.sign * n * joint_branches
          FROM (VALUES (from_year, 1), (to_year, -1)) AS t(year, sign)
         WHERE t.year IS NOT NULL AND (to_year IS NULL OR from_year < to_year)
        ON CONFLICT (region_code, sector, year) DO UPDATE
          SET institutions        = h.institutions + EXCLUDED.institutions,
              standalone          = h.standalone + EXCLUDED.standalone,
              joint               = h.joint + EXCLUDED.joint,
              party_organizations = h.party_organizations + EXCLUDED.party_organizations,
              standalone_branches = h.standalone_branches + EXCLUDED.standalone_branches,
              joint_branches      = h.joint_branches + EXCLUDED.joint_branches
      $$`);
    await db.query(`
      CREATE FUNCTION history_year(day date) RETURNS integer
      LANGUAGE sql IMMUTABLE AS $$ SELECT extract(year FROM day)::integer $$`);

    // Which organization covered an institution, when. A link made with the organization, or
    // with the institution, counts from the founding; one made later, from the day it was made.
    await db.query(`
      CREATE TABLE institution_coverage_period (
        id                    bigserial PRIMARY KEY,
        institution_id        uuid NOT NULL REFERENCES institution (id) ON DELETE CASCADE,
        party_organization_id uuid NOT NULL REFERENCES party_organization (id) ON DELETE CASCADE,
        from_date             date,
        to_date               date,
        -- What the period adds to coverage_history, as last counted: the institution's region and
        -- sector, STANDALONE or JOINT (null: nothing), and the years it covers.
        counted_region        char(6),
        counted_sector        text,
        counted_kind          text,
        counted_from          integer,
        counted_to            integer,
        CHECK (to_date IS NULL OR from_date IS NULL OR to_date >= from_date)
      )`);
    await db.query(`CREATE UNIQUE INDEX institution_coverage_period_open_uq ON institution_coverage_period (institution_id) WHERE to_date IS NULL`);
    await db.query(`CREATE INDEX institution_coverage_period_institution_idx ON institution_coverage_period (institution_id)`);
    await db.query(`CREATE INDEX institution_coverage_period_organization_idx ON institution_coverage_period (party_organization_id)`);

    await db.query(`
      CREATE FUNCTION institution_coverage_period_count() RETURNS trigger
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        i record;
        o record;
      BEGIN
        -- Institutions inserted in bulk bring their periods counted, set-based (see below).
        IF TG_OP = 'INSERT' AND NEW.counted_from IS NOT NULL THEN
          RETURN NEW;
        END IF;
        SELECT region_code, kind, approved_on, state, closed_on INTO i FROM institution WHERE id = NEW.institution_id;
        -- A change of the organization that has not committed yet is waited for, then counted.
        SELECT kind, founded_on, dissolved_on INTO o FROM party_organization WHERE id = NEW.party_organization_id FOR SHARE;
        NEW.counted_region := i.region_code;
        NEW.counted_sector := i.kind;
        NEW.counted_kind := CASE WHEN o.kind IN ('STANDALONE_BRANCH', 'GENERAL_BRANCH') THEN 'STANDALONE' WHEN o.kind = 'JOINT_BRANCH' THEN 'JOINT' END;
        NEW.counted_from := coalesce(history_year(greatest(i.approved_on, NEW.from_date, o.founded_on)), 0);
        NEW.counted_to := history_year(least(CASE WHEN i.state = 'CLOSED' THEN i.closed_on END, NEW.to_date, o.dissolved_on));
        IF (i.state = 'CLOSED' AND i.closed_on IS NULL) OR NEW.counted_to <= NEW.counted_from THEN
          NEW.counted_kind := NULL;
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER institution_coverage_period_count BEFORE INSERT OR UPDATE ON institution_coverage_period
      FOR EACH ROW EXECUTE FUNCTION institution_coverage_period_count()`);
    // Statement-level, so that loading many institutions at once costs a few statements, not a few each.
    for (const [event, tables, changes] of [
      ['INSERT', 'NEW TABLE AS added', periodChanges('added', 1)],
      ['UPDATE', 'OLD TABLE AS removed NEW TABLE AS added', `${periodChanges('removed', -1)} UNION ALL ${periodChanges('added', 1)}`],
      ['DELETE', 'OLD TABLE AS removed', periodChanges('removed', -1)],
    ]) {
      await db.query(`
        CREATE FUNCTION institution_coverage_period_track_${event.toLowerCase()}() RETURNS trigger
        LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
        BEGIN
          INSERT INTO coverage_history AS h (region_code, sector, year, standalone, joint)
          SELECT region_code, sector, year, sum(standalone), sum(joint) FROM (${changes}) AS changes
           GROUP BY region_code, sector, year
          HAVING sum(standalone) <> 0 OR sum(joint) <> 0
          ON CONFLICT (region_code, sector, year) DO UPDATE
            SET standalone = h.standalone + EXCLUDED.standalone, joint = h.joint + EXCLUDED.joint;
          RETURN NULL;
        END $$`);
      await db.query(`
        CREATE TRIGGER institution_coverage_period_track_${event.toLowerCase()} AFTER ${event} ON institution_coverage_period
        REFERENCING ${tables} FOR EACH STATEMENT EXECUTE FUNCTION institution_coverage_period_track_${event.toLowerCase()}()`);
    }

    await db.query(`
      CREATE FUNCTION coverage_history_track_institution() RETURNS trigger
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        counted_changed boolean := TG_OP = 'UPDATE' AND (OLD.region_code, OLD.kind, OLD.approved_on, OLD.state, OLD.closed_on)
                                   IS DISTINCT FROM (NEW.region_code, NEW.kind, NEW.approved_on, NEW.state, NEW.closed_on);
        boundary date;
        fresh boolean;
      BEGIN
        IF TG_OP = 'DELETE' OR counted_changed THEN
          IF OLD.state = 'OPERATING' OR OLD.closed_on IS NOT NULL THEN
            PERFORM coverage_history_add(OLD.region_code, OLD.kind, coalesce(history_year(OLD.approved_on), 0), history_year(OLD.closed_on), -1, 1, 0, 0, 0, 0, 0);
          END IF;
        END IF;
        IF counted_changed THEN
          IF NEW.state = 'OPERATING' OR NEW.closed_on IS NOT NULL THEN
            PERFORM coverage_history_add(NEW.region_code, NEW.kind, coalesce(history_year(NEW.approved_on), 0), history_year(NEW.closed_on), 1, 1, 0, 0, 0, 0, 0);
          END IF;
        END IF;
        IF TG_OP = 'DELETE' THEN
          RETURN NULL;
        END IF;
        IF counted_changed THEN
          -- Recounted by institution_coverage_period_count.
          UPDATE institution_coverage_period SET to_date = to_date WHERE institution_id = NEW.id;
        END IF;
        IF NEW.party_organization_id IS DISTINCT FROM OLD.party_organization_id THEN
          SELECT greatest(history_today(), max(from_date)) INTO boundary FROM institution_coverage_period WHERE institution_id = NEW.id AND to_date IS NULL;
          UPDATE institution_coverage_period SET to_date = boundary WHERE institution_id = NEW.id AND to_date IS NULL;
          IF NEW.party_organization_id IS NOT NULL THEN
            SELECT revision = 1 AND changed_in = pg_current_xact_id() INTO fresh FROM party_organization WHERE id = NEW.party_organization_id;
            INSERT INTO institution_coverage_period (institution_id, party_organization_id, from_date)
            VALUES (NEW.id, NEW.party_organization_id, CASE WHEN fresh THEN NULL ELSE boundary END);
          END IF;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER coverage_history_track_institution
      AFTER DELETE OR UPDATE OF region_code, kind, approved_on, state, closed_on, party_organization_id ON institution
      FOR EACH ROW EXECUTE FUNCTION coverage_history_track_institution()`);
    // New institutions, set-based: their operating years, and their links counted from the founding.
    await db.query(`
      CREATE FUNCTION coverage_history_track_new_institutions() RETURNS trigger
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        INSERT INTO coverage_history AS h (region_code, sector, year, institutions)
        SELECT i.region_code, i.kind, e.year, sum(e.sign)
          FROM added i
         CROSS JOIN LATERAL (VALUES (coalesce(history_year(i.approved_on), 0), 1), (history_year(i.closed_on), -1)) AS e(year, sign)
         WHERE (i.state = 'OPERATING' OR i.closed_on IS NOT NULL) AND e.year IS NOT NULL
           AND (i.closed_on IS NULL OR coalesce(history_year(i.approved_on), 0) < history_year(i.closed_on))
         GROUP BY 1, 2, 3
        HAVING sum(e.sign) <> 0
        ON CONFLICT (region_code, sector, year) DO UPDATE SET institutions = h.institutions + EXCLUDED.institutions;
        -- As institution_coverage_period_count counts them, organizations locked the same way.
        PERFORM 1 FROM party_organization WHERE id IN (SELECT party_organization_id FROM added) ORDER BY id FOR SHARE;
        INSERT INTO institution_coverage_period (institution_id, party_organization_id, counted_region, counted_sector, counted_kind, counted_from, counted_to)
        SELECT c.id, c.party_organization_id, c.region_code, c.kind,
               CASE WHEN (c.state = 'CLOSED' AND c.closed_on IS NULL) OR c.counted_to <= c.counted_from THEN NULL ELSE c.covering END,
               c.counted_from, c.counted_to
          FROM (SELECT i.id, i.party_organization_id, i.region_code, i.kind, i.state, i.closed_on,
                       CASE WHEN o.kind IN ('STANDALONE_BRANCH', 'GENERAL_BRANCH') THEN 'STANDALONE' WHEN o.kind = 'JOINT_BRANCH' THEN 'JOINT' END AS covering,
                       coalesce(history_year(greatest(i.approved_on, o.founded_on)), 0) AS counted_from,
                       history_year(least(CASE WHEN i.state = 'CLOSED' THEN i.closed_on END, o.dissolved_on)) AS counted_to
                  FROM added i JOIN party_organization o ON o.id = i.party_organization_id) AS c;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER coverage_history_track_new_institutions AFTER INSERT ON institution
      REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION coverage_history_track_new_institutions()`);

    await db.query(`
      CREATE FUNCTION coverage_history_track_organization() RETURNS trigger
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND (OLD.region_code, OLD.sector, OLD.kind, OLD.founded_on, OLD.dissolved_on)
                                IS NOT DISTINCT FROM (NEW.region_code, NEW.sector, NEW.kind, NEW.founded_on, NEW.dissolved_on) THEN
          RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          PERFORM coverage_history_add(OLD.region_code, OLD.sector, history_year(OLD.founded_on), history_year(OLD.dissolved_on), -1, 0, 0, 0,
                                       (OLD.kind <> 'INDUSTRY_COMMITTEE')::int, (OLD.kind = 'STANDALONE_BRANCH')::int, (OLD.kind = 'JOINT_BRANCH')::int);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          PERFORM coverage_history_add(NEW.region_code, NEW.sector, history_year(NEW.founded_on), history_year(NEW.dissolved_on), 1, 0, 0, 0,
                                       (NEW.kind <> 'INDUSTRY_COMMITTEE')::int, (NEW.kind = 'STANDALONE_BRANCH')::int, (NEW.kind = 'JOINT_BRANCH')::int);
        END IF;
        IF TG_OP = 'UPDATE' AND (OLD.kind, OLD.founded_on, OLD.dissolved_on) IS DISTINCT FROM (NEW.kind, NEW.founded_on, NEW.dissolved_on) THEN
          -- Waits for links to the organization in flight, so the recount on a fresh snapshot sees them.
          PERFORM 1 FROM institution WHERE party_organization_id = NEW.id FOR SHARE;
          UPDATE institution_coverage_period SET to_date = to_date WHERE party_organization_id = NEW.id;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER coverage_history_track_organization
      AFTER INSERT OR DELETE OR UPDATE OF region_code, sector, kind, founded_on, dissolved_on ON party_organization
      FOR EACH ROW EXECUTE FUNCTION coverage_history_track_organization()`);

    // What is there already: organizations, institutions, and their links as of the founding.
    await db.query(`
      SELECT coverage_history_add(region_code, sector, history_year(founded_on), history_year(dissolved_on), 1, 0, 0, 0,
                                  (kind <> 'INDUSTRY_COMMITTEE')::int, (kind = 'STANDALONE_BRANCH')::int, (kind = 'JOINT_BRANCH')::int)
        FROM party_organization`);
    await db.query(`
      SELECT coverage_history_add(region_code, kind, coalesce(history_year(approved_on), 0), history_year(closed_on), 1, 1, 0, 0, 0, 0, 0)
        FROM institution WHERE state = 'OPERATING'`);
    await db.query(`
      INSERT INTO institution_coverage_period (institution_id, party_organization_id)
      SELECT id, party_organization_id FROM institution WHERE party_organization_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TRIGGER coverage_history_track_organization ON party_organization');
    await db.query('DROP TRIGGER coverage_history_track_new_institutions ON institution');
    await db.query('DROP TRIGGER coverage_history_track_institution ON institution');
    await db.query('DROP TABLE institution_coverage_period');
    await db.query('DROP TABLE coverage_history');
    await db.query('DROP TRIGGER institution_set_closed_on ON institution');
    await db.query('DROP FUNCTION coverage_history_track_organization()');
    await db.query('DROP FUNCTION coverage_history_track_institution()');
    await db.query('DROP FUNCTION coverage_history_track_new_institutions()');
    for (const event of ['insert', 'update', 'delete']) await db.query(`DROP FUNCTION institution_coverage_period_track_${event}()`);
    await db.query('DROP FUNCTION institution_coverage_period_count()');
    await db.query('DROP FUNCTION coverage_history_add(char, text, integer, integer, integer, integer, integer, integer, integer, integer, integer)');
    await db.query('DROP FUNCTION history_year(date)');
    await db.query('DROP FUNCTION institution_set_closed_on()');
    await db.query('DROP FUNCTION history_today()');
    await db.query('ALTER TABLE institution DROP COLUMN closed_on');
  }
}

/**
 * What the coverage periods in a transition table add to coverage_history, times `sign`: one
 * standalone or joint institution from the year the period starts counting, taken back in the year
 * it stops.
 */
function periodChanges(table: string, sign: number): string {
  return `SELECT t.counted_region AS region_code, t.counted_sector AS sector, e.year,
                 ${sign} * e.sign * (t.counted_kind = 'STANDALONE')::int AS standalone, ${sign} * e.sign * (t.counted_kind = 'JOINT')::int AS joint
            FROM ${table} t CROSS JOIN LATERAL (VALUES (t.counted_from, 1), (t.counted_to, -1)) AS e(year, sign)
           WHERE t.counted_kind IS NOT NULL AND e.year IS NOT NULL`;
}
