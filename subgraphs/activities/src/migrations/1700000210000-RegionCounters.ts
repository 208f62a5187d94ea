import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Counters are kept for every region a row lies in, province, city and county, keyed by the
 * region's code prefix, so each region's figures are read off its own rows.
 */
const PREFIX_LENGTHS = 'unnest(ARRAY[2, 4, 6]) AS n(length)';

/** The last owing year of an organization not dissolved: later than any year asked of. */
export const NEVER_DISSOLVED = 9999;

/**
 * Per-region counters of activities and of organizational life, kept by statement triggers in the
 * same transaction as every write, so a region's statistics cost a few rows of its own however
 * many activities and organizations lie under it.
 *
 * Compliance depends on the day it is asked (which periods have ended) and on the province's rule
 * (which frequency applies), so the counters keep what neither changes:
 * - `organizational_life_population`: the organizations that owe organizational life, by region,
 *   founding year and month, and last owing year; the obligations of a year follow from these.
 * - `organizational_life_line`: each organization's months with a held activity, per year and kind.
 * - `organizational_life_region_stats`: per region, year, kind, every possible period length (1,
 *   3, 6, 12 months) and period, how many organizations have held an activity in each owed period
 *   up to and including it. An obligation is met on a given day exactly when that holds for the
 *   last period ended by then, so the query reads the one row of the rule's period length.
 */
export class RegionCounters1700000210000 implements MigrationInterface {
  name = 'RegionCounters1700000210000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE activity_region_stats (
        year          integer NOT NULL,
        region_prefix text NOT NULL,
        kind          text NOT NULL,
        held          integer NOT NULL DEFAULT 0,
        PRIMARY KEY (year, region_prefix, kind)
      )`);
    await db.query(`
      CREATE TABLE organizational_life_population (
        region_prefix          text NOT NULL,
        founded_year           integer NOT NULL,
        months_before_founding integer NOT NULL,
        last_owing_year        integer NOT NULL,
        organizations          integer NOT NULL DEFAULT 0,
        PRIMARY KEY (region_prefix, founded_year, months_before_founding, last_owing_year)
      )`);
    await db.query(`
      CREATE TABLE organizational_life_line (
        organization_id uuid NOT NULL,
        year            integer NOT NULL,
        kind            text NOT NULL,
        held_months     integer NOT NULL,
        -- What the organization's registration said when the line was counted, to take it back exactly.
        region_code            char(6),
        months_before_founding integer,
        PRIMARY KEY (organization_id, year, kind)
      )`);
    await db.query(`
      CREATE TABLE organizational_life_region_stats (
        year          integer NOT NULL,
        region_prefix text NOT NULL,
        kind          text NOT NULL,
        months        integer NOT NULL,
        last_period   integer NOT NULL,
        organizations integer NOT NULL DEFAULT 0,
        PRIMARY KEY (year, region_prefix, kind, months, last_period)
      )`);

    // The months of a year before an organization owes anything: a period is owed only when it
    // begins on or after the founding day, so a founding after the 1st gives up that month too.
    // NULL when the organization owes nothing that year.
    await db.query(`
      CREATE FUNCTION organizational_life_months_before_founding(kind text, founded_on date, dissolved_on date, year integer) RETURNS integer
      LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE
          WHEN kind NOT IN ('STANDALONE_BRANCH', 'JOINT_BRANCH', 'GENERAL_BRANCH') THEN NULL
          WHEN extract(year FROM founded_on)::int > year THEN NULL
          WHEN dissolved_on IS NOT NULL AND extract(year FROM dissolved_on)::int <= year THEN NULL
          WHEN extract(year FROM founded_on)::int < year THEN 0
          ELSE extract(month FROM founded_on)::int - 1 + (extract(day FROM founded_on)::int > 1)::int
        END
      $$`);
    // For each period length, the periods through which every owed period has a held activity:
    // from the first owed period up to, not including, the first one without.
    await db.query(`
      CREATE FUNCTION organizational_life_covered_periods(months_before_founding integer, held_months integer)
        RETURNS TABLE (months integer, last_period integer)
      LANGUAGE sql IMMUTABLE AS $$
        SELECT m.months, p.last_period
          FROM unnest(ARRAY[1, 3, 6, 12]) AS m(months)
         CROSS JOIN LATERAL (SELECT (months_before_founding + m.months - 1) / m.months AS first_period) f
         CROSS JOIN LATERAL (
               SELECT coalesce(min(p), 12 / m.months) AS gap_period
                 FROM generate_series(f.first_period, 12 / m.months - 1) AS p
                WHERE (held_months >> (p * m.months)) & ((1 << m.months) - 1) = 0) g
         CROSS JOIN generate_series(f.first_period, g.gap_period - 1) AS p(last_period)
         WHERE months_before_founding IS NOT NULL
      $$`);
    // Recounts the lines of the (organization, year, kind) triples given: takes back what each
    // added, reads its held months again, and adds what it adds now.
    const addPeriods = (lines: string, sign: string) => `
        INSERT INTO organizational_life_region_stats AS s (year, region_prefix, kind, months, last_period, organizations)
        SELECT l.year, left(l.region_code, n.length), l.kind, c.months, c.last_period, ${sign}count(*)
          FROM ${lines} l
         CROSS JOIN LATERAL organizational_life_covered_periods(l.months_before_founding, l.held_months) c
         CROSS JOIN ${PREFIX_LENGTHS}
         WHERE l.region_code IS NOT NULL
         GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT (year, region_prefix, kind, months, last_period) DO UPDATE SET organizations = s.organizations + EXCLUDED.organizations`;
    await db.query(`
      CREATE FUNCTION organizational_life_recount(organization_ids uuid[], years integer[], kinds text[]) RETURNS void
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        WITH gone AS (
          DELETE FROM organizational_life_line l
           USING (SELECT DISTINCT * FROM unnest(organization_ids, years, kinds) AS t(organization_id, year, kind)) t
           WHERE l.organization_id = t.organization_id AND l.year = t.year AND l.kind = t.kind
          RETURNING l.*)
        ${addPeriods('gone', '-')};

        WITH counted AS (
          INSERT INTO organizational_life_line (organization_id, year, kind, held_months, region_code, months_before_founding)
          SELECT t.organization_id, t.year, t.kind, h.held_months, o.region_code,
                 organizational_life_months_before_founding(o.kind, o.founded_on, o.dissolved_on, t.year)
            FROM (SELECT DISTINCT * FROM unnest(organization_ids, years, kinds) AS t(organization_id, year, kind)) t
           CROSS JOIN LATERAL (
                 SELECT bit_or(1 << (extract(month FROM a.held_on)::int - 1)) AS held_months
                   FROM activity a
                  WHERE a.organizer_organization_id = t.organization_id AND a.kind = t.kind AND a.status = 'HELD'
                    AND a.held_on BETWEEN make_date(t.year, 1, 1) AND make_date(t.year, 12, 31)) h
            LEFT JOIN registered_organization o ON o.organization_id = t.organization_id
           WHERE h.held_months IS NOT NULL
          RETURNING *)
        ${addPeriods('counted', '')};
      END $$`);

    // Statement triggers with transition tables, so a bulk insert recounts each touched line once.
    // Each transition table is read in its own branch: the one a trigger lacks must not be planned.
    const countActivities = (table: string, sign: string) => `
          INSERT INTO activity_region_stats AS s (year, region_prefix, kind, held)
          SELECT extract(year FROM a.held_on)::int, left(a.region_code, n.length), a.kind, ${sign}count(*)
            FROM ${table} a CROSS JOIN ${PREFIX_LENGTHS} WHERE a.status = 'HELD'
           GROUP BY 1, 2, 3
          ON CONFLICT (year, region_prefix, kind) DO UPDATE SET held = s.held + EXCLUDED.held;
          SELECT organization_ids || array_agg(a.organizer_organization_id), years || array_agg(extract(year FROM a.held_on)::int),
                 kinds || array_agg(a.kind)
            INTO organization_ids, years, kinds
            FROM ${table} a WHERE a.organizer_organization_id IS NOT NULL AND a.kind = ANY(TG_ARGV);`;
    await db.query(`
      CREATE FUNCTION activity_region_stats_track() RETURNS trigger
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        organization_ids uuid[] := '{}';
        years integer[] := '{}';
        kinds text[] := '{}';
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN ${countActivities('old_activity', '-')}
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN ${countActivities('new_activity', '')}
        END IF;
        IF cardinality(organization_ids) > 0 THEN
          PERFORM organizational_life_recount(organization_ids, years, kinds);
        END IF;
        RETURN NULL;
      END $$`);
    const organizationalLifeKinds = `'BRANCH_GENERAL_MEETING', 'BRANCH_COMMITTEE_MEETING', 'PARTY_GROUP_MEETING', 'PARTY_LECTURE',
      'THEME_PARTY_DAY', 'ORGANIZATIONAL_LIFE_MEETING', 'DEMOCRATIC_APPRAISAL'`;
    await db.query(`CREATE TRIGGER activity_region_stats_insert AFTER INSERT ON activity REFERENCING NEW TABLE AS new_activity
                    FOR EACH STATEMENT EXECUTE FUNCTION activity_region_stats_track(${organizationalLifeKinds})`);
    await db.query(`CREATE TRIGGER activity_region_stats_update AFTER UPDATE ON activity REFERENCING OLD TABLE AS old_activity NEW TABLE AS new_activity
                    FOR EACH STATEMENT EXECUTE FUNCTION activity_region_stats_track(${organizationalLifeKinds})`);
    await db.query(`CREATE TRIGGER activity_region_stats_delete AFTER DELETE ON activity REFERENCING OLD TABLE AS old_activity
                    FOR EACH STATEMENT EXECUTE FUNCTION activity_region_stats_track(${organizationalLifeKinds})`);

    // Organizations that owe organizational life, by region, founding and last owing year.
    const population = (table: string, sign: string) => `
          SELECT left(o.region_code, n.length) AS region_prefix, extract(year FROM o.founded_on)::int AS founded_year, f.months_before_founding,
                 coalesce(extract(year FROM o.dissolved_on)::int - 1, ${NEVER_DISSOLVED}) AS last_owing_year, ${sign}count(*) AS organizations
            FROM ${table} o
           CROSS JOIN ${PREFIX_LENGTHS}
           CROSS JOIN LATERAL (SELECT organizational_life_months_before_founding(o.kind, o.founded_on, NULL, extract(year FROM o.founded_on)::int)
                                      AS months_before_founding) f
           WHERE f.months_before_founding IS NOT NULL
           GROUP BY 1, 2, 3, 4`;
    // A registration changes who owes (the population) and where and from when each line counts.
    const countPopulation = (table: string, sign: string) => `
          INSERT INTO organizational_life_population AS s (region_prefix, founded_year, months_before_founding, last_owing_year, organizations)
          SELECT * FROM (${population(table, sign)}) p
          ON CONFLICT (region_prefix, founded_year, months_before_founding, last_owing_year) DO UPDATE SET organizations = s.organizations + EXCLUDED.organizations;
          SELECT organization_ids || array_agg(o.organization_id) INTO organization_ids FROM ${table} o;`;
    await db.query(`
      CREATE FUNCTION organizational_life_population_track() RETURNS trigger
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        organization_ids uuid[] := '{}';
        lines record;
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN ${countPopulation('old_organization', '-')}
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN ${countPopulation('new_organization', '')}
        END IF;
        SELECT array_agg(l.organization_id) AS organization_ids, array_agg(l.year) AS years, array_agg(l.kind) AS kinds INTO lines
          FROM organizational_life_line l WHERE l.organization_id = ANY(organization_ids);
        IF lines.organization_ids IS NOT NULL THEN
          PERFORM organizational_life_recount(lines.organization_ids, lines.years, lines.kinds);
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER organizational_life_population_insert AFTER INSERT ON registered_organization REFERENCING NEW TABLE AS new_organization
                    FOR EACH STATEMENT EXECUTE FUNCTION organizational_life_population_track()`);
    await db.query(`CREATE TRIGGER organizational_life_population_update AFTER UPDATE ON registered_organization REFERENCING OLD TABLE AS old_organization NEW TABLE AS new_organization
                    FOR EACH STATEMENT EXECUTE FUNCTION organizational_life_population_track()`);
    await db.query(`CREATE TRIGGER organizational_life_population_delete AFTER DELETE ON registered_organization REFERENCING OLD TABLE AS old_organization
                    FOR EACH STATEMENT EXECUTE FUNCTION organizational_life_population_track()`);

    // Counts what is already there, as the triggers would have.
    await db.query(`
      INSERT INTO organizational_life_population (region_prefix, founded_year, months_before_founding, last_owing_year, organizations)
      ${population('registered_organization', '')}`);
    await db.query(`
      INSERT INTO activity_region_stats (year, region_prefix, kind, held)
      SELECT extract(year FROM a.held_on)::int, left(a.region_code, n.length), a.kind, count(*)
        FROM activity a CROSS JOIN ${PREFIX_LENGTHS} WHERE a.status = 'HELD' GROUP BY 1, 2, 3`);
    await db.query(`
      SELECT organizational_life_recount(array_agg(organizer_organization_id), array_agg(year), array_agg(kind))
        FROM (SELECT DISTINCT a.organizer_organization_id, extract(year FROM a.held_on)::int AS year, a.kind
                FROM activity a WHERE a.organizer_organization_id IS NOT NULL AND a.kind IN (${organizationalLifeKinds})) a`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const op of ['insert', 'update', 'delete']) await db.query(`DROP TRIGGER activity_region_stats_${op} ON activity`);
    for (const op of ['insert', 'update', 'delete']) await db.query(`DROP TRIGGER organizational_life_population_${op} ON registered_organization`);
    await db.query('DROP FUNCTION organizational_life_population_track()');
    await db.query('DROP FUNCTION activity_region_stats_track()');
    await db.query('DROP FUNCTION organizational_life_recount(uuid[], integer[], text[])');
    await db.query('DROP FUNCTION organizational_life_covered_periods(integer, integer)');
    await db.query('DROP FUNCTION organizational_life_months_before_founding(text, date, date, integer)');
    for (const table of ['organizational_life_region_stats', 'organizational_life_line', 'organizational_life_population', 'activity_region_stats']) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
