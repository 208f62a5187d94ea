import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Year-end counts of practitioners and Party members for every year, kept by triggers in the same
 * transaction as every write to `member`, so a region's history costs one row per county, practice
 * and year in which something changed, however many people it has.
 *
 * A person is counted in a placement (`member_placement`): where and as what they practise, from
 * when to when. Moving to another region or practice closes one placement and opens the next, on
 * the day the move is recorded, or on the day a transfer of the formal relation was received.
 * Within a placement the person counts as a practitioner from when they began practising, as a
 * Party member from their admission (入党) and as a full member from the day they were made full
 * (转正): those dates are facts about the person, so a status recorded late still counts from its
 * date. Each counted interval adds +1 in the year it starts and -1 in the year it ends; the
 * year-end figure of a year is the sum of the changes of that year and every year before it.
 */
export class MemberHistory1700000126000 implements MigrationInterface {
  name = 'MemberHistory1700000126000';

  async up(db: QueryRunner): Promise<void> {
    // When the person began to practise (执业起始日期): today when a practice is recorded without one.
    // People recorded before the column existed have none and count from year 0.
    await db.query(`ALTER TABLE member ADD COLUMN practising_since date`);
    await db.query(`
      CREATE FUNCTION history_today() RETURNS date
      LANGUAGE sql STABLE AS $$ SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date $$`);
    await db.query(`
      CREATE FUNCTION history_year(day date) RETURNS integer
      LANGUAGE sql IMMUTABLE AS $$ SELECT extract(year FROM day)::integer $$`);
    await db.query(`
      CREATE FUNCTION member_set_practising_since() RETURNS trigger
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF NEW.practice_kind IS NOT NULL AND NEW.practising_since IS NULL AND (TG_OP = 'INSERT' OR OLD.practice_kind IS NULL) THEN
          NEW.practising_since := history_today();
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER member_set_practising_since BEFORE INSERT OR UPDATE OF practice_kind ON member
      FOR EACH ROW EXECUTE FUNCTION member_set_practising_since()`);

    await db.query(`
      CREATE TABLE member_history (
        region_code   char(6) NOT NULL,
        practice_kind text NOT NULL,
        year          integer NOT NULL,
        practitioners integer NOT NULL DEFAULT 0,
        party_members integer NOT NULL DEFAULT 0,
        full_members  integer NOT NULL DEFAULT 0,
        PRIMARY KEY (region_code, practice_kind, year)
      )`);

    await db.query(`
      CREATE TABLE member_placement (
        id            bigserial PRIMARY KEY,
        member_id     uuid NOT NULL REFERENCES member (id) ON DELETE CASCADE,
        region_code   char(6) NOT NULL,
        practice_kind text NOT NULL,
        -- Null: since the person began practising.
        from_date     date,
        to_date       date,
        -- What the placement adds to member_history, as last counted: the years from which the
        -- person counts as a practitioner, a Party member and a full member (null: not at all),
        -- and the year the placement ends.
        counted_practitioner_from integer,
        counted_party_from        integer,
        counted_full_from         integer,
        counted_to                integer,
        CHECK (to_date IS NULL OR from_date IS NULL OR to_date >= from_date)
      )`);
    await db.query(`CREATE UNIQUE INDEX member_placement_open_uq ON member_placement (member_id) WHERE to_date IS NULL`);
    await db.query(`CREATE INDEX member_placement_member_idx ON member_placement (member_id)`);

    await db.query(`
      CREATE FUNCTION member_placement_count() RETURNS trigger
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        m record;
        since date;
      BEGIN
        -- People inserted in bulk bring their placements counted, set-based (member_history_track_insert).
        IF TG_OP = 'INSERT' AND NEW.counted_practitioner_from IS NOT NULL THEN
          RETURN NEW;
        END IF;
        SELECT practising_since, party_status, joined_on, full_on INTO m FROM member WHERE id = NEW.member_id;
        since := greatest(m.practising_since, NEW.from_date);
        NEW.counted_practitioner_from := coalesce(history_year(since), 0);
        NEW.counted_party_from := CASE WHEN m.party_status IN ('PROBATIONARY', 'FULL') THEN coalesce(history_year(greatest(since, m.joined_on)), 0) END;
        NEW.counted_full_from := CASE WHEN m.party_status = 'FULL' THEN coalesce(history_year(greatest(since, m.full_on)), 0) END;
        NEW.counted_to := history_year(NEW.to_date);
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER member_placement_count BEFORE INSERT OR UPDATE ON member_placement
      FOR EACH ROW EXECUTE FUNCTION member_placement_count()`);
    // Statement-level, so that loading many people at once costs a few statements, not a few per person.
    for (const [event, tables, changes] of [
      ['INSERT', 'NEW TABLE AS added', changesOf('added', 1)],
      ['UPDATE', 'OLD TABLE AS removed NEW TABLE AS added', `${changesOf('removed', -1)} UNION ALL ${changesOf('added', 1)}`],
      ['DELETE', 'OLD TABLE AS removed', changesOf('removed', -1)],
    ]) {
      await db.query(`
        CREATE FUNCTION member_placement_track_${event.toLowerCase()}() RETURNS trigger
        LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
        BEGIN
          INSERT INTO member_history AS h (region_code, practice_kind, year, practitioners, party_members, full_members)
          SELECT region_code, practice_kind, year, sum(practitioners), sum(party_members), sum(full_members)
            FROM (${changes}) AS changes
           GROUP BY region_code, practice_kind, year
          HAVING sum(practitioners) <> 0 OR sum(party_members) <> 0 OR sum(full_members) <> 0
          ON CONFLICT (region_code, practice_kind, year) DO UPDATE
            SET practitioners = h.practitioners + EXCLUDED.practitioners,
                party_members = h.party_members + EXCLUDED.party_members,
                full_members  = h.full_members + EXCLUDED.full_members;
          RETURN NULL;
        END $$`);
      await db.query(`
        CREATE TRIGGER member_placement_track_${event.toLowerCase()} AFTER ${event} ON member_placement
        REFERENCING ${tables} FOR EACH STATEMENT EXECUTE FUNCTION member_placement_track_${event.toLowerCase()}()`);
    }

    await db.query(`
      CREATE FUNCTION member_history_track() RETURNS trigger
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        boundary date;
      BEGIN
        IF (OLD.region_code, OLD.practice_kind) IS DISTINCT FROM (NEW.region_code, NEW.practice_kind) THEN
          boundary := history_today();
          IF NEW.organization_id IS DISTINCT FROM OLD.organization_id THEN
            -- A transfer moves the person from the day the receiving branch received them.
            SELECT least(boundary, min(from_date)) INTO boundary FROM organization_membership
             WHERE member_id = NEW.id AND organization_id = NEW.organization_id AND to_date IS NULL;
          END IF;
          SELECT greatest(boundary, max(from_date)) INTO boundary FROM member_placement WHERE member_id = NEW.id AND to_date IS NULL;
          UPDATE member_placement SET to_date = boundary WHERE member_id = NEW.id AND to_date IS NULL;
          IF NEW.practice_kind IS NOT NULL THEN
            INSERT INTO member_placement (member_id, region_code, practice_kind, from_date) VALUES (NEW.id, NEW.region_code, NEW.practice_kind, boundary);
          END IF;
        END IF;
        IF (OLD.practising_since, OLD.party_status, OLD.joined_on, OLD.full_on) IS DISTINCT FROM (NEW.practising_since, NEW.party_status, NEW.joined_on, NEW.full_on) THEN
          -- Recounted by member_placement_count.
          UPDATE member_placement SET to_date = to_date WHERE member_id = NEW.id;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER member_history_track
      AFTER UPDATE OF region_code, practice_kind, organization_id, practising_since, party_status, joined_on, full_on ON member
      FOR EACH ROW EXECUTE FUNCTION member_history_track()`);
    await db.query(`
      CREATE FUNCTION member_history_track_insert() RETURNS trigger
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        -- Counted as member_placement_count counts them.
        INSERT INTO member_placement (member_id, region_code, practice_kind, counted_practitioner_from, counted_party_from, counted_full_from)
        SELECT id, region_code, practice_kind, coalesce(history_year(practising_since), 0),
               CASE WHEN party_status IN ('PROBATIONARY', 'FULL') THEN coalesce(history_year(greatest(practising_since, joined_on)), 0) END,
               CASE WHEN party_status = 'FULL' THEN coalesce(history_year(greatest(practising_since, full_on)), 0) END
          FROM added WHERE practice_kind IS NOT NULL;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER member_history_track_insert AFTER INSERT ON member
      REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION member_history_track_insert()`);

    await db.query(`
      INSERT INTO member_placement (member_id, region_code, practice_kind)
      SELECT id, region_code, practice_kind FROM member WHERE practice_kind IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TRIGGER member_history_track_insert ON member');
    await db.query('DROP TRIGGER member_history_track ON member');
    await db.query('DROP TABLE member_placement');
    await db.query('DROP TABLE member_history');
    await db.query('DROP TRIGGER member_set_practising_since ON member');
    await db.query('DROP FUNCTION member_history_track_insert()');
    await db.query('DROP FUNCTION member_history_track()');
    for (const event of ['insert', 'update', 'delete']) await db.query(`DROP FUNCTION member_placement_track_${event}()`);
    await db.query('DROP FUNCTION member_placement_count()');
    await db.query('DROP FUNCTION member_set_practising_since()');
    await db.query('DROP FUNCTION history_year(date)');
    await db.query('DROP FUNCTION history_today()');
    await db.query('ALTER TABLE member DROP COLUMN practising_since');
  }
}

/**
 * What the placements in a transition table add to member_history, times `sign`: each counted
 * interval (practitioner, Party member, full member) adds one in the year it starts and takes it
 * back in the year it ends; an interval that ends in the year it starts counts at no year-end.
 */
function changesOf(table: string, sign: number): string {
  return `SELECT t.region_code, t.practice_kind, e.year,
                 ${sign} * e.sign * i.practitioners AS practitioners, ${sign} * e.sign * i.party_members AS party_members,
                 ${sign} * e.sign * i.full_members AS full_members
            FROM ${table} t
           CROSS JOIN LATERAL (VALUES (t.counted_practitioner_from, 1, 0, 0), (t.counted_party_from, 0, 1, 0), (t.counted_full_from, 0, 0, 1))
                 AS i(from_year, practitioners, party_members, full_members)
           CROSS JOIN LATERAL (VALUES (i.from_year, 1), (t.counted_to, -1)) AS e(year, sign)
           WHERE i.from_year IS NOT NULL AND e.year IS NOT NULL AND (t.counted_to IS NULL OR i.from_year < t.counted_to)`;
}
