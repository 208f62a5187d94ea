import type { MigrationInterface, QueryRunner } from 'typeorm';

const COUNTED = ['region_code', 'practice_kind', 'party_status'];

/**
 * The region counters move only when what they count moves. An update that names the counted
 * columns without changing them (every edit of a member's record does: a new phone, say) wrote the
 * same counts back, which announced a change of the counters and made every dashboard above the
 * member's county read them again.
 */
export class MemberRegionStatsOnChange1700000138000 implements MigrationInterface {
  name = 'MemberRegionStatsOnChange1700000138000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('DROP TRIGGER member_region_stats_track ON member');
    await db.query(`
      CREATE TRIGGER member_region_stats_track
      AFTER INSERT OR DELETE ON member
      FOR EACH ROW EXECUTE FUNCTION member_region_stats_track()`);
    await db.query(`
      CREATE TRIGGER member_region_stats_track_update
      AFTER UPDATE OF ${COUNTED.join(', ')} ON member
      FOR EACH ROW WHEN (${COUNTED.map((column) => `OLD.${column} IS DISTINCT FROM NEW.${column}`).join(' OR ')})
      EXECUTE FUNCTION member_region_stats_track()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TRIGGER member_region_stats_track_update ON member');
    await db.query('DROP TRIGGER member_region_stats_track ON member');
    await db.query(`
      CREATE TRIGGER member_region_stats_track
      AFTER INSERT OR DELETE OR UPDATE OF ${COUNTED.join(', ')} ON member
      FOR EACH ROW EXECUTE FUNCTION member_region_stats_track()`);
  }
}
