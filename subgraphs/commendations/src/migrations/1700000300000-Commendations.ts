import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AUDIT_TABLE_SQL } from '../../../../shared/src/audit';

const CATEGORIES = `('ADVANCED_BRANCH', 'EXCELLENT_PARTY_MEMBER_LAWYER', 'EXCELLENT_PARTY_WORKER', 'MOST_BEAUTIFUL_PERSON', 'DEMONSTRATION_SITE', 'REPRESENTATIVE_RECOMMENDATION')`;
const LEVELS = `('NATIONAL', 'PROVINCIAL', 'CITY', 'COUNTY')`;

/** Evaluation programs with their quotas, nominations and awards, and the audit trail. */
export class Commendations1700000300000 implements MigrationInterface {
  name = 'Commendations1700000300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE commendation_program (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name          text NOT NULL,
        level         text NOT NULL CHECK (level IN ${LEVELS}),
        -- A national program covers the whole country, which GB/T 2260 gives no code: 000000.
        region_code   char(6) NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        -- The prefix every code under the program's region starts with, so that "does the program
        -- hold the caller's region" is an equality test on a handful of prefixes.
        region_prefix text GENERATED ALWAYS AS (
                        CASE level WHEN 'NATIONAL' THEN '' WHEN 'PROVINCIAL' THEN left(region_code, 2)
                                   WHEN 'CITY' THEN left(region_code, 4) ELSE region_code END) STORED,
        year          int NOT NULL CHECK (year BETWEEN 1949 AND 2999),
        opens_on      date NOT NULL,
        closes_on     date NOT NULL,
        CHECK (closes_on >= opens_on),
        CHECK ((level = 'NATIONAL') = (region_code = '000000')),
        CHECK (level <> 'PROVINCIAL' OR (region_code LIKE '__0000' AND region_code <> '000000')),
        CHECK (level <> 'CITY' OR (region_code LIKE '____00' AND region_code NOT LIKE '__0000')),
        CHECK (level <> 'COUNTY' OR region_code NOT LIKE '____00')
      )`);
    await db.query(`CREATE INDEX commendation_program_region_idx ON commendation_program (region_code, year)`);
    await db.query(`CREATE INDEX commendation_program_prefix_idx ON commendation_program (region_prefix, year)`);

    await db.query(`
      CREATE TABLE program_category (
        program_id  uuid NOT NULL REFERENCES commendation_program (id),
        category    text NOT NULL CHECK (category IN ${CATEGORIES}),
        quota       int NOT NULL CHECK (quota >= 1),
        region_code char(6) NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        PRIMARY KEY (program_id, category)
      )`);
    await db.query(`CREATE INDEX program_category_region_idx ON program_category (region_code)`);

    await db.query(`
      CREATE TABLE commendation (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        program_id          uuid NOT NULL,
        category            text NOT NULL,
        level               text NOT NULL CHECK (level IN ${LEVELS}),
        year                int NOT NULL,
        status              text NOT NULL CHECK (status IN ('NOMINATED', 'APPROVED', 'REJECTED', 'REVOKED')),
        recipient_kind      text NOT NULL CHECK (recipient_kind IN ('MEMBER', 'PARTY_ORGANIZATION', 'INSTITUTION')),
        recipient_id        uuid NOT NULL,
        -- The recipient's region, copied here so that the tier test needs no other subgraph.
        region_code         char(6) NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        organization_id     uuid,
        citation            text NOT NULL,
        representative_body text CHECK (representative_body IN ('PARTY_CONGRESS', 'PEOPLES_CONGRESS', 'POLITICAL_CONSULTATIVE_CONFERENCE')),
        nominated_on        date NOT NULL,
        decided_on          date,
        decision_reason     text,
        revoked_on          date,
        revocation_reason   text,
        FOREIGN KEY (program_id, category) REFERENCES program_category (program_id, category),
        CHECK ((category = 'REPRESENTATIVE_RECOMMENDATION') = (representative_body IS NOT NULL)),
        CHECK ((category = 'ADVANCED_BRANCH') = (recipient_kind = 'PARTY_ORGANIZATION')),
        CHECK ((category = 'DEMONSTRATION_SITE') = (recipient_kind = 'INSTITUTION')),
        CHECK ((status = 'NOMINATED') = (decided_on IS NULL)),
        CHECK ((status = 'REVOKED') = (revoked_on IS NOT NULL)),
        CHECK (decided_on >= nominated_on),
        CHECK (revoked_on >= decided_on)
      )`);
    // One award per recipient, category and program; a rejected nomination leaves room for another.
    await db.query(`CREATE UNIQUE INDEX commendation_recipient_uq ON commendation (program_id, category, recipient_id) WHERE status <> 'REJECTED'`);
    await db.query(`CREATE INDEX commendation_region_page_idx ON commendation (region_code, year, id)`);
    await db.query(`CREATE INDEX commendation_year_region_idx ON commendation (year, region_code) INCLUDE (status, category, level, organization_id)`);
    await db.query(`CREATE INDEX commendation_recipient_idx ON commendation (recipient_id)`);
    await db.query(`CREATE INDEX commendation_organization_idx ON commendation (organization_id)`);

    for (const statement of AUDIT_TABLE_SQL) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['audit_log', 'commendation', 'program_category', 'commendation_program']) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
