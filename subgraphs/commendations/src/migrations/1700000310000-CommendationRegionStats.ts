import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Commendations per region, year, status, category and level, kept by a trigger in the same
 * transaction as every write to `commendation`, so region statistics read a bounded number of rows
 * per region however many nominations the years pile up.
 */
export class CommendationRegionStats1700000310000 implements MigrationInterface {
  name = 'CommendationRegionStats1700000310000';

  async up(db: QueryRunner): Promise<void> {
    // Year first: every read asks for one year of a range of regions, an index range scan this way.
    await db.query(`
      CREATE TABLE commendation_region_stats (
        region_code   char(6) NOT NULL,
        year          int NOT NULL,
        status        text NOT NULL,
        category      text NOT NULL,
        level         text NOT NULL,
        commendations integer NOT NULL DEFAULT 0,
        PRIMARY KEY (year, region_code, status, category, level)
      )`);
    // The arguments are named apart from the columns, which would otherwise win inside the function.
    await db.query(`
      CREATE FUNCTION commendation_region_stats_add(region char(6), award_year int, award_status text,
                                                    award_category text, award_level text, sign integer) RETURNS void
      LANGUAGE sql SET search_path FROM CURRENT AS $$
        INSERT INTO commendation_region_stats AS s (region_code, year, status, category, level, commendations)
        VALUES (region, award_year, award_status, award_category, award_level, sign)
        ON CONFLICT (year, region_code, status, category, level) DO UPDATE
          SET commendations = s.commendations + EXCLUDED.commendations
      $$`);
    await db.query(`
      CREATE FUNCTION commendation_region_stats_track() RETURNS trigger
      -- Whoever writes to commendation, with whatever search_path, updates this schema's counters.
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          PERFORM commendation_region_stats_add(OLD.region_code, OLD.year, OLD.status, OLD.category, OLD.level, -1);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          PERFORM commendation_region_stats_add(NEW.region_code, NEW.year, NEW.status, NEW.category, NEW.level, 1);
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER commendation_region_stats_track
      AFTER INSERT OR DELETE OR UPDATE OF region_code, year, status, category, level ON commendation
      FOR EACH ROW EXECUTE FUNCTION commendation_region_stats_track()`);
    await db.query(`
      INSERT INTO commendation_region_stats (region_code, year, status, category, level, commendations)
      SELECT region_code, year, status, category, level, count(*) FROM commendation GROUP BY region_code, year, status, category, level`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TRIGGER commendation_region_stats_track ON commendation');
    await db.query('DROP FUNCTION commendation_region_stats_track()');
    await db.query('DROP FUNCTION commendation_region_stats_add(char, int, text, text, text, integer)');
    await db.query('DROP TABLE commendation_region_stats');
  }
}
