import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A member's dues carry the member's region, kept by triggers, so a region's arrears are one
 * range of an index on (region, first unpaid month): the work list then reads the region's
 * debtors, however many members owe elsewhere in the country.
 */
export class DuesRegion1700000137000 implements MigrationInterface {
  name = 'DuesRegion1700000137000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE member_dues ADD COLUMN region_code char(6)`);
    await db.query(`UPDATE member_dues d SET region_code = m.region_code FROM member m WHERE m.id = d.member_id`);
    await db.query(`ALTER TABLE member_dues ALTER COLUMN region_code SET NOT NULL`);
    await db.query(`
      CREATE FUNCTION member_dues_region() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        NEW.region_code := (SELECT m.region_code FROM member m WHERE m.id = NEW.member_id);
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER member_dues_region BEFORE INSERT OR UPDATE OF member_id ON member_dues FOR EACH ROW EXECUTE FUNCTION member_dues_region()`);
    await db.query(`
      CREATE FUNCTION member_region_to_dues() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        UPDATE member_dues SET region_code = NEW.region_code WHERE member_id = NEW.id;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER member_region_to_dues AFTER UPDATE OF region_code ON member
         FOR EACH ROW WHEN (OLD.region_code IS DISTINCT FROM NEW.region_code) EXECUTE FUNCTION member_region_to_dues()`);
    await db.query(`CREATE INDEX member_dues_region_owed_idx ON member_dues (region_code, owed_from, member_id)`);
    await db.query(`DROP INDEX member_dues_owed_idx`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX member_dues_owed_idx ON member_dues (owed_from, member_id)`);
    await db.query(`DROP INDEX member_dues_region_owed_idx`);
    await db.query(`DROP TRIGGER member_region_to_dues ON member`);
    await db.query(`DROP FUNCTION member_region_to_dues()`);
    await db.query(`DROP TRIGGER member_dues_region ON member_dues`);
    await db.query(`DROP FUNCTION member_dues_region()`);
    await db.query(`ALTER TABLE member_dues DROP COLUMN region_code`);
  }
}
