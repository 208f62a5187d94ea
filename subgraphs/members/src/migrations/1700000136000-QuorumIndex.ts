import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The full Party members of each institution by region, as the rule of three reads them (an
 * institution with three or more needs a standalone branch): a region's institutions with a quorum
 * are then one index-only range scan of its full members, not a pass over all its people.
 */
export class QuorumIndex1700000136000 implements MigrationInterface {
  name = 'QuorumIndex1700000136000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX member_full_institution_idx ON member (region_code, institution_id)
        WHERE party_status = 'FULL' AND institution_id IS NOT NULL AND practice_kind IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX member_full_institution_idx`);
  }
}
