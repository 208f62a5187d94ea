import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The day a probationary member's probation ends: the extension's end, else a year after admission. */
export const PROBATION_ENDS_SQL = `coalesce(m.probation_extended_until, (m.joined_on + interval '1 year')::date)`;

/**
 * Indexes of the stations' work lists: probationary members by region and the day their
 * probation ends, and open transfer letters by either end's region and the day they expire. Both
 * are partial, so a list reads only the rows that can be on it.
 */
export class WorkLists1700000135000 implements MigrationInterface {
  name = 'WorkLists1700000135000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX member_probation_idx ON member (region_code, (${PROBATION_ENDS_SQL.replace(/m\./g, '')}), id) WHERE party_status = 'PROBATIONARY'`);
    await db.query(`CREATE INDEX transfer_pending_from_idx ON transfer (from_region_code, expires_on, id) WHERE status = 'PENDING'`);
    await db.query(`CREATE INDEX transfer_pending_to_idx ON transfer (to_region_code, expires_on, id) WHERE status = 'PENDING'`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const index of ['transfer_pending_to_idx', 'transfer_pending_from_idx', 'member_probation_idx']) await db.query(`DROP INDEX ${index}`);
  }
}
