import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-region counts of people and Party members, kept by a trigger in the same transaction as
 * every write to `member`, so region statistics cost one row per county, however many people.
 */
export class MemberRegionStats1700000110000 implements MigrationInterface {
  name = 'MemberRegionStats1700000110000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE member_region_stats (
        region_code   char(6) NOT NULL,
        practice_kind text NOT NULL,
        practitioners integer NOT NULL DEFAULT 0,
        party_members integer NOT NULL DEFAULT 0,
        full_members  integer NOT NULL DEFAULT 0,
        PRIMARY KEY (region_code, practice_kind)
      )`);
    await db.query(`
      CREATE FUNCTION member_region_stats_add(region char(6), practice text, status text, sign integer) RETURNS void
      LANGUAGE sql SET search_path FROM CURRENT AS $$
        INSERT INTO member_region_stats AS s (region_code, practice_kind, practitioners, party_members, full_members)
        VALUES (region, practice, sign,
                CASE WHEN status IN ('PROBATIONARY', 'FULL') THEN sign ELSE 0 END,
                CASE WHEN status = 'FULL' THEN sign ELSE 0 END)
        ON CONFLICT (region_code, practice_kind) DO UPDATE
          SET practitioners = s.practitioners + EXCLUDED.practitioners,
              party_members = s.party_members + EXCLUDED.party_members,
              full_members  = s.full_members + EXCLUDED.full_members
      $$`);
    await db.query(`
      CREATE FUNCTION member_region_stats_track() RETURNS trigger
      -- Whoever writes to member, with whatever search_path, updates this schema's counters.
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.practice_kind IS NOT NULL THEN
          PERFORM member_region_stats_add(OLD.region_code, OLD.practice_kind, OLD.party_status, -1);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.practice_kind IS NOT NULL THEN
          PERFORM member_region_stats_add(NEW.region_code, NEW.practice_kind, NEW.party_status, 1);
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER member_region_stats_track
      AFTER INSERT OR DELETE OR UPDATE OF region_code, practice_kind, party_status ON member
      FOR EACH ROW EXECUTE FUNCTION member_region_stats_track()`);
    await db.query(`
      INSERT INTO member_region_stats (region_code, practice_kind, practitioners, party_members, full_members)
      SELECT region_code, practice_kind, count(*),
             count(*) FILTER (WHERE party_status IN ('PROBATIONARY', 'FULL')), count(*) FILTER (WHERE party_status = 'FULL')
        FROM member WHERE practice_kind IS NOT NULL GROUP BY region_code, practice_kind`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TRIGGER member_region_stats_track ON member');
    await db.query('DROP FUNCTION member_region_stats_track()');
    await db.query('DROP FUNCTION member_region_stats_add(char, text, text, integer)');
    await db.query('DROP TABLE member_region_stats');
  }
}
