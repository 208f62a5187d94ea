import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The facts whose work lists read them by region: dues (arrears) and appraisal grades (不合格). */
const FACT_TABLES = ['member_dues', 'member_appraisal'] as const;

/**
 * A member's dues and appraisal grades carry the member's region, kept by triggers, so a region's
 * arrears and its members graded 不合格 are one range of an index led by the region: a work list
 * then reads the region's rows, however many there are elsewhere in the country.
 */
export class FactsRegion1700000137000 implements MigrationInterface {
  name = 'FactsRegion1700000137000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION member_fact_region() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        NEW.region_code := (SELECT m.region_code FROM member m WHERE m.id = NEW.member_id);
        RETURN NEW;
      END $$`);
    for (const table of FACT_TABLES) {
      await db.query(`ALTER TABLE ${table} ADD COLUMN region_code char(6)`);
      await db.query(`UPDATE ${table} f SET region_code = m.region_code FROM member m WHERE m.id = f.member_id`);
      await db.query(`ALTER TABLE ${table} ALTER COLUMN region_code SET NOT NULL`);
      await db.query(`CREATE TRIGGER ${table}_region BEFORE INSERT OR UPDATE OF member_id ON ${table} FOR EACH ROW EXECUTE FUNCTION member_fact_region()`);
    }
    await db.query(`
      CREATE FUNCTION member_region_to_facts() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        UPDATE member_dues SET region_code = NEW.region_code WHERE member_id = NEW.id;
        UPDATE member_appraisal SET region_code = NEW.region_code WHERE member_id = NEW.id;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER member_region_to_facts AFTER UPDATE OF region_code ON member
         FOR EACH ROW WHEN (OLD.region_code IS DISTINCT FROM NEW.region_code) EXECUTE FUNCTION member_region_to_facts()`);
    await db.query(`CREATE INDEX member_dues_region_owed_idx ON member_dues (region_code, owed_from, member_id)`);
    await db.query(`DROP INDEX member_dues_owed_idx`);
    await db.query(`CREATE INDEX member_appraisal_region_grade_idx ON member_appraisal (year, grade, region_code, member_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX member_appraisal_region_grade_idx`);
    await db.query(`CREATE INDEX member_dues_owed_idx ON member_dues (owed_from, member_id)`);
    await db.query(`DROP INDEX member_dues_region_owed_idx`);
    await db.query(`DROP TRIGGER member_region_to_facts ON member`);
    await db.query(`DROP FUNCTION member_region_to_facts()`);
    for (const table of FACT_TABLES) {
      await db.query(`DROP TRIGGER ${table}_region ON ${table}`);
      await db.query(`ALTER TABLE ${table} DROP COLUMN region_code`);
    }
    await db.query(`DROP FUNCTION member_fact_region()`);
  }
}
