import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The member facts Party-building platforms keep: democratic appraisal grades (民主评议党员), vanguard
 * posts and responsibility zones (先锋岗、责任区), pledges (亮身份、亮职责、亮承诺) and Party dues (党费).
 *
 * Grades, posts and pledges are counted per county, practice, year and fact in
 * `member_fact_stats`, by statement triggers in the writing transaction, so a region's counts cost
 * one row per county and fact however many people it has. A fact counts where its member's record
 * is: when a record moves to another region or practice, its facts' counts move with it. Dues are
 * not counted: arrears grow with the calendar, and are read from `member_dues.owed_from`.
 */
export class MemberFacts1700000134000 implements MigrationInterface {
  name = 'MemberFacts1700000134000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE member_appraisal (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id         uuid NOT NULL REFERENCES member (id),
        year              integer NOT NULL CHECK (year BETWEEN 1921 AND 9999),
        grade             text NOT NULL CHECK (grade IN ('EXCELLENT', 'QUALIFIED', 'BASICALLY_QUALIFIED', 'UNQUALIFIED')),
        -- The branch that appraised the member, and its meeting of the year (an activity of the
        -- activities subgraph, checked when the grade was recorded).
        organization_id   uuid NOT NULL,
        activity_id       uuid NOT NULL,
        recorded_on       date NOT NULL,
        correction_reason text,
        UNIQUE (member_id, year)
      )`);
    await db.query(`CREATE INDEX member_appraisal_grade_idx ON member_appraisal (year, grade, member_id)`);

    await db.query(`
      CREATE TABLE vanguard_post (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id       uuid NOT NULL REFERENCES member (id),
        kind            text NOT NULL CHECK (kind IN ('VANGUARD_POST', 'RESPONSIBILITY_ZONE')),
        title           text NOT NULL,
        institution_id  uuid NOT NULL,
        organization_id uuid NOT NULL,
        started_on      date NOT NULL,
        ended_on        date,
        CHECK (ended_on IS NULL OR ended_on >= started_on)
      )`);
    await db.query(`CREATE INDEX vanguard_post_member_idx ON vanguard_post (member_id, started_on)`);

    await db.query(`
      CREATE TABLE member_pledge (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id       uuid NOT NULL REFERENCES member (id),
        year            integer NOT NULL CHECK (year BETWEEN 1921 AND 9999),
        institution_id  uuid NOT NULL,
        organization_id uuid NOT NULL,
        commitment      text NOT NULL,
        pledged_on      date NOT NULL,
        closed_on       date,
        CHECK (closed_on IS NULL OR closed_on >= pledged_on),
        UNIQUE (member_id, year)
      )`);

    await db.query(`
      CREATE TABLE member_dues (
        member_id  uuid PRIMARY KEY REFERENCES member (id),
        category   text NOT NULL CHECK (category IN ('EMPLOYED', 'RETIRED', 'STUDENT', 'HARDSHIP')),
        -- Money in fen (分): the monthly base (income after tax, or pension) and what a month costs.
        base_fen    bigint CHECK (base_fen >= 0),
        rate_bp     integer CHECK (rate_bp > 0),
        monthly_fen integer NOT NULL CHECK (monthly_fen >= 0),
        -- First days of months: the first month owed, and the first month not yet paid. Months
        -- are paid in order, so every month from owed_from on is unpaid.
        from_month date NOT NULL CHECK (extract(day FROM from_month) = 1),
        owed_from  date NOT NULL CHECK (extract(day FROM owed_from) = 1 AND owed_from >= from_month),
        CHECK ((category IN ('EMPLOYED', 'RETIRED')) = (base_fen IS NOT NULL AND rate_bp IS NOT NULL))
      )`);
    // The arrears work list reads the members owing longest first.
    await db.query(`CREATE INDEX member_dues_owed_idx ON member_dues (owed_from, member_id)`);
    await db.query(`
      CREATE TABLE dues_payment (
        member_id  uuid NOT NULL REFERENCES member_dues (member_id),
        month      date NOT NULL CHECK (extract(day FROM month) = 1),
        amount_fen integer NOT NULL CHECK (amount_fen >= 0),
        paid_on    date NOT NULL,
        PRIMARY KEY (member_id, month)
      )`);

    await db.query(`
      CREATE TABLE member_fact_stats (
        region_code   char(6) NOT NULL,
        practice_kind text NOT NULL,
        -- The appraisal's or pledge's year; 0 for posts, which count while they last.
        year          integer NOT NULL,
        fact          text NOT NULL,
        count         integer NOT NULL DEFAULT 0,
        PRIMARY KEY (region_code, practice_kind, year, fact)
      )`);
    // The facts each table counts: people without a practice are counted nowhere, as in member_region_stats.
    await db.query(`
      CREATE VIEW member_fact AS
        SELECT member_id, year, grade AS fact FROM member_appraisal
        UNION ALL SELECT member_id, 0, kind FROM vanguard_post WHERE ended_on IS NULL
        UNION ALL SELECT member_id, year, 'PLEDGE' FROM member_pledge`);
    for (const [table, year, fact, counted] of [
      ['member_appraisal', 't.year', 't.grade', 'true'],
      ['vanguard_post', '0', 't.kind', 't.ended_on IS NULL'],
      ['member_pledge', 't.year', `'PLEDGE'`, 'true'],
    ]) {
      const changes = (alias: string, sign: number) =>
        `SELECT t.member_id, ${year} AS year, ${fact} AS fact, ${sign} AS sign FROM ${alias} t WHERE ${counted}`;
      for (const [event, tables, rows] of [
        ['insert', 'NEW TABLE AS added', changes('added', 1)],
        ['update', 'OLD TABLE AS removed NEW TABLE AS added', `${changes('removed', -1)} UNION ALL ${changes('added', 1)}`],
        ['delete', 'OLD TABLE AS removed', changes('removed', -1)],
      ]) {
        // Statement-level, so that loading many facts at once costs one statement, not one per fact.
        await db.query(`
          CREATE FUNCTION ${table}_count_${event}() RETURNS trigger
          LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
          BEGIN
            ${countChanges(rows)};
            RETURN NULL;
          END $$`);
        await db.query(`
          CREATE TRIGGER ${table}_count_${event} AFTER ${event.toUpperCase()} ON ${table}
          REFERENCING ${tables} FOR EACH STATEMENT EXECUTE FUNCTION ${table}_count_${event}()`);
      }
    }
    // A record that moves takes its facts' counts along.
    await db.query(`
      CREATE FUNCTION member_fact_stats_move() RETURNS trigger
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF (OLD.region_code, OLD.practice_kind) IS DISTINCT FROM (NEW.region_code, NEW.practice_kind) THEN
          INSERT INTO member_fact_stats AS s (region_code, practice_kind, year, fact, count)
          SELECT c.region_code, c.practice_kind, f.year, f.fact, c.sign * count(*)
            FROM member_fact f
           CROSS JOIN (VALUES (OLD.region_code, OLD.practice_kind, -1), (NEW.region_code, NEW.practice_kind, 1)) AS c(region_code, practice_kind, sign)
           WHERE f.member_id = NEW.id AND c.practice_kind IS NOT NULL
           GROUP BY c.region_code, c.practice_kind, c.sign, f.year, f.fact
          ON CONFLICT (region_code, practice_kind, year, fact) DO UPDATE SET count = s.count + EXCLUDED.count;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER member_fact_stats_move AFTER UPDATE OF region_code, practice_kind ON member
      FOR EACH ROW EXECUTE FUNCTION member_fact_stats_move()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TRIGGER member_fact_stats_move ON member');
    await db.query('DROP FUNCTION member_fact_stats_move()');
    for (const table of ['member_appraisal', 'vanguard_post', 'member_pledge']) {
      for (const event of ['insert', 'update', 'delete']) {
        await db.query(`DROP TRIGGER ${table}_count_${event} ON ${table}`);
        await db.query(`DROP FUNCTION ${table}_count_${event}()`);
      }
    }
    await db.query('DROP VIEW member_fact');
    for (const table of ['member_fact_stats', 'dues_payment', 'member_dues', 'member_pledge', 'vanguard_post', 'member_appraisal']) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}

/** Adds what the changes (member_id, year, fact, sign) make to the counters of each member's region and practice. */
function countChanges(changes: string): string {
  return `INSERT INTO member_fact_stats AS s (region_code, practice_kind, year, fact, count)
          SELECT m.region_code, m.practice_kind, c.year, c.fact, sum(c.sign)
            FROM (${changes}) AS c JOIN member m ON m.id = c.member_id
           WHERE m.practice_kind IS NOT NULL
           GROUP BY m.region_code, m.practice_kind, c.year, c.fact
          HAVING sum(c.sign) <> 0
          ON CONFLICT (region_code, practice_kind, year, fact) DO UPDATE SET count = s.count + EXCLUDED.count`;
}
