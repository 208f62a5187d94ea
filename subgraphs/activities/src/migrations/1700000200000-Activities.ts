import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AUDIT_TABLE_SQL } from '../../../../shared/src/audit';

const KINDS = `'BRANCH_GENERAL_MEETING', 'BRANCH_COMMITTEE_MEETING', 'PARTY_GROUP_MEETING', 'PARTY_LECTURE', 'THEME_PARTY_DAY',
  'ORGANIZATIONAL_LIFE_MEETING', 'DEMOCRATIC_APPRAISAL', 'KNOWLEDGE_TEST', 'TRAINING_CLASS', 'VOLUNTEER_SERVICE', 'LEGAL_EDUCATION', 'GUIDANCE_VISIT'`;
const ORGANIZATIONAL_LIFE = `'BRANCH_GENERAL_MEETING', 'BRANCH_COMMITTEE_MEETING', 'PARTY_GROUP_MEETING', 'PARTY_LECTURE', 'THEME_PARTY_DAY',
  'ORGANIZATIONAL_LIFE_MEETING', 'DEMOCRATIC_APPRAISAL'`;

/** Activities with attendance and enrolment, the rules of organizational life, checkpoints, and the audit trail. */
export class Activities1700000200000 implements MigrationInterface {
  name = 'Activities1700000200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE requirement (
        -- A province's code, or 000000 for the national standard.
        region_code char(6) NOT NULL CHECK (region_code ~ '^[0-9]{2}0000$'),
        kind        text NOT NULL CHECK (kind IN (${ORGANIZATIONAL_LIFE})),
        from_year   smallint NOT NULL CHECK (from_year BETWEEN 1921 AND 2999),
        frequency   text NOT NULL CHECK (frequency IN ('MONTHLY', 'QUARTERLY', 'HALF_YEARLY', 'YEARLY')),
        PRIMARY KEY (region_code, kind, from_year)
      )`);
    await db.query(`
      INSERT INTO requirement (region_code, kind, from_year, frequency) VALUES
        ('000000', 'BRANCH_GENERAL_MEETING', 2000, 'QUARTERLY'),
        ('000000', 'BRANCH_COMMITTEE_MEETING', 2000, 'MONTHLY'),
        ('000000', 'PARTY_GROUP_MEETING', 2000, 'MONTHLY'),
        ('000000', 'PARTY_LECTURE', 2000, 'QUARTERLY'),
        ('000000', 'THEME_PARTY_DAY', 2000, 'MONTHLY'),
        ('000000', 'ORGANIZATIONAL_LIFE_MEETING', 2000, 'YEARLY'),
        ('000000', 'DEMOCRATIC_APPRAISAL', 2000, 'YEARLY')`);

    await db.query(`
      CREATE TABLE registered_organization (
        organization_id uuid PRIMARY KEY,
        region_code     char(6) NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        kind            text NOT NULL,
        founded_on      date NOT NULL,
        dissolved_on    date,
        described_at    timestamptz NOT NULL DEFAULT now(),
        CHECK (dissolved_on IS NULL OR dissolved_on >= founded_on)
      )`);
    await db.query(`CREATE INDEX registered_organization_region_idx ON registered_organization (region_code)`);

    await db.query(`
      CREATE TABLE activity (
        id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind                      text NOT NULL CHECK (kind IN (${KINDS})),
        title                     text NOT NULL,
        held_on                   date NOT NULL,
        ends_on                   date,
        duration_hours            numeric(6, 1) CHECK (duration_hours > 0),
        class_hours               numeric(5, 1) CHECK (class_hours > 0),
        location                  text,
        organizer_organization_id uuid,
        organizer_station_id      uuid,
        -- County-level, so that a province's counts are the sums of its counties'.
        region_code               char(6) NOT NULL CHECK (region_code ~ '^[0-9]{4}' AND right(region_code, 2) <> '00'),
        institution_id            uuid,
        officer_member_id         uuid,
        minutes                   text,
        headcount                 int CHECK (headcount >= 0),
        status                    text NOT NULL DEFAULT 'HELD' CHECK (status IN ('HELD', 'CANCELLED')),
        cancelled_on              date,
        cancellation_reason       text,
        CHECK ((organizer_organization_id IS NULL) <> (organizer_station_id IS NULL)),
        CHECK (ends_on IS NULL OR ends_on >= held_on),
        CHECK ((status = 'CANCELLED') = (cancelled_on IS NOT NULL AND cancellation_reason IS NOT NULL)),
        CHECK ((kind = 'TRAINING_CLASS') = (class_hours IS NOT NULL)),
        CHECK (kind <> 'GUIDANCE_VISIT' OR (organizer_station_id IS NOT NULL AND officer_member_id IS NOT NULL AND institution_id IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX activity_region_idx ON activity (region_code, held_on)`);
    await db.query(`CREATE INDEX activity_organization_idx ON activity (organizer_organization_id, kind, held_on) WHERE organizer_organization_id IS NOT NULL`);
    await db.query(`CREATE INDEX activity_station_idx ON activity (organizer_station_id, held_on) WHERE organizer_station_id IS NOT NULL`);
    await db.query(`CREATE INDEX activity_institution_idx ON activity (institution_id) WHERE institution_id IS NOT NULL`);
    await db.query(`CREATE INDEX activity_officer_idx ON activity (officer_member_id) WHERE officer_member_id IS NOT NULL`);
    await db.query(`CREATE INDEX activity_page_idx ON activity (held_on DESC, id DESC)`);

    await db.query(`
      CREATE TABLE attendance (
        activity_id     uuid NOT NULL REFERENCES activity (id),
        member_id       uuid NOT NULL,
        status          text NOT NULL CHECK (status IN ('PRESENT', 'EXCUSED', 'ABSENT')),
        reason          text,
        hours           numeric(5, 1),
        -- The member's region and formal branch when they attended.
        region_code     char(6) NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        organization_id uuid,
        PRIMARY KEY (activity_id, member_id),
        CHECK ((status = 'EXCUSED') = (reason IS NOT NULL)),
        CHECK (hours IS NULL OR (status = 'PRESENT' AND hours > 0))
      )`);
    await db.query(`CREATE INDEX attendance_member_idx ON attendance (member_id)`);
    await db.query(`CREATE INDEX attendance_region_idx ON attendance (region_code)`);

    await db.query(`
      CREATE TABLE enrolment (
        activity_id     uuid NOT NULL REFERENCES activity (id),
        member_id       uuid NOT NULL,
        enrolled_on     date NOT NULL,
        completed_on    date,
        hours           numeric(5, 1),
        region_code     char(6) NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        organization_id uuid,
        PRIMARY KEY (activity_id, member_id),
        CHECK ((completed_on IS NULL) = (hours IS NULL)),
        CHECK (completed_on IS NULL OR completed_on >= enrolled_on),
        CHECK (hours IS NULL OR hours > 0)
      )`);
    await db.query(`CREATE INDEX enrolment_member_idx ON enrolment (member_id)`);
    await db.query(`CREATE INDEX enrolment_region_idx ON enrolment (region_code)`);

    await db.query(`
      CREATE TABLE checkpoint (
        id                         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id             uuid NOT NULL,
        region_code                char(6) NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        organization_id            uuid,
        year                       smallint GENERATED ALWAYS AS (extract(year FROM checked_on)) STORED,
        stage                      text NOT NULL CHECK (stage IN ('APPROVAL', 'ANNUAL_INSPECTION', 'ANNUAL_ASSESSMENT')),
        checked_on                 date NOT NULL,
        result                     text NOT NULL CHECK (result IN ('PASSED', 'RECTIFICATION_REQUIRED', 'FAILED')),
        commitment_letter_received boolean,
        notes                      text,
        CHECK ((stage = 'APPROVAL') = (commitment_letter_received IS NOT NULL)),
        CHECK (stage <> 'APPROVAL' OR result <> 'PASSED' OR commitment_letter_received)
      )`);
    await db.query(`CREATE UNIQUE INDEX checkpoint_stage_year_uq ON checkpoint (institution_id, stage, year)`);
    // An institution is approved once (审批), so it has one approval checkpoint.
    await db.query(`CREATE UNIQUE INDEX checkpoint_approval_uq ON checkpoint (institution_id) WHERE stage = 'APPROVAL'`);
    await db.query(`CREATE INDEX checkpoint_region_idx ON checkpoint (region_code, year)`);

    for (const statement of AUDIT_TABLE_SQL) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['audit_log', 'checkpoint', 'enrolment', 'attendance', 'activity', 'registered_organization', 'requirement']) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
