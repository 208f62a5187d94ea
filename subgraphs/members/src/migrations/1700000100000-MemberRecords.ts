import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AUDIT_TABLE_SQL } from '../../../../shared/src/audit';

/** People, their Party status, formal and temporary organizations, roles, transfers, and the audit trail. */
export class MemberRecords1700000100000 implements MigrationInterface {
  name = 'MemberRecords1700000100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE member (
        id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name                      text NOT NULL,
        gender                    text NOT NULL CHECK (gender IN ('MALE', 'FEMALE')),
        ethnicity                 text NOT NULL,
        birth_date                date NOT NULL,
        id_number                 text NOT NULL UNIQUE,
        education                 text CHECK (education IN ('SECONDARY', 'JUNIOR_COLLEGE', 'BACHELOR', 'MASTER', 'DOCTORATE')),
        phone                     text,
        practice_kind             text CHECK (practice_kind IN ('LAWYER', 'NOTARY', 'APPRAISER', 'GRASSROOTS_LEGAL_WORKER')),
        license_number            text UNIQUE,
        institution_id            uuid,
        -- The institution's county (or the station's region for staff), copied here so that the
        -- tier test needs no other subgraph.
        region_code               char(6) NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        party_status              text CHECK (party_status IN ('APPLICANT', 'ACTIVIST', 'CANDIDATE', 'PROBATIONARY', 'FULL')),
        applied_on                date,
        activist_on               date,
        candidate_on              date,
        joined_on                 date,
        full_on                   date,
        probation_extended_until  date,
        organization_id           uuid,
        lost_contact              boolean NOT NULL DEFAULT false,
        mobile                    boolean NOT NULL DEFAULT false,
        CHECK ((practice_kind IS NULL) = (license_number IS NULL)),
        CHECK (party_status IS DISTINCT FROM 'FULL' OR (joined_on IS NOT NULL AND full_on IS NOT NULL)),
        CHECK (party_status IS DISTINCT FROM 'PROBATIONARY' OR joined_on IS NOT NULL)
      )`);
    await db.query(`CREATE INDEX member_region_page_idx ON member (region_code, name, id)`);
    await db.query(`CREATE INDEX member_institution_idx ON member (institution_id)`);
    await db.query(`CREATE INDEX member_organization_idx ON member (organization_id)`);
    await db.query(`CREATE INDEX member_practice_region_idx ON member (practice_kind, region_code, party_status)`);

    await db.query(`
      CREATE TABLE organization_membership (
        id              bigserial PRIMARY KEY,
        member_id       uuid NOT NULL REFERENCES member (id),
        organization_id uuid NOT NULL,
        from_date       date NOT NULL,
        to_date         date,
        transfer_id     uuid,
        CHECK (to_date IS NULL OR to_date >= from_date)
      )`);
    await db.query(`CREATE INDEX organization_membership_member_idx ON organization_membership (member_id, from_date)`);
    // One current period per member: the formal relation is in one branch at a time (一方隶属).
    await db.query(`CREATE UNIQUE INDEX organization_membership_current_uq ON organization_membership (member_id) WHERE to_date IS NULL`);

    await db.query(`
      CREATE TABLE temporary_participation (
        id              bigserial PRIMARY KEY,
        member_id       uuid NOT NULL REFERENCES member (id),
        organization_id uuid NOT NULL,
        started_on      date NOT NULL,
        ended_on        date,
        CHECK (ended_on IS NULL OR ended_on >= started_on)
      )`);
    await db.query(`CREATE UNIQUE INDEX temporary_participation_open_uq ON temporary_participation (member_id, organization_id) WHERE ended_on IS NULL`);
    await db.query(`CREATE INDEX temporary_participation_organization_idx ON temporary_participation (organization_id) WHERE ended_on IS NULL`);

    await db.query(`
      CREATE TABLE role_assignment (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id       uuid NOT NULL REFERENCES member (id),
        kind            text NOT NULL CHECK (kind IN ('SECRETARY', 'DEPUTY_SECRETARY', 'COMMITTEE_MEMBER', 'PARTY_WORKER', 'GUIDANCE_OFFICER', 'STATION_HEAD', 'LIAISON')),
        organization_id uuid,
        station_id      uuid,
        region_code     char(6) NOT NULL,
        started_on      date NOT NULL,
        ended_on        date,
        CHECK ((organization_id IS NULL) <> (station_id IS NULL)),
        CHECK (ended_on IS NULL OR ended_on >= started_on)
      )`);
    await db.query(`CREATE INDEX role_assignment_member_idx ON role_assignment (member_id)`);
    await db.query(`CREATE INDEX role_assignment_organization_idx ON role_assignment (organization_id, kind) WHERE ended_on IS NULL`);
    await db.query(`CREATE INDEX role_assignment_station_idx ON role_assignment (station_id, kind) WHERE ended_on IS NULL`);
    // One secretary per organization and one head per station at a time.
    await db.query(`CREATE UNIQUE INDEX role_assignment_secretary_uq ON role_assignment (organization_id) WHERE kind = 'SECRETARY' AND ended_on IS NULL`);
    await db.query(`CREATE UNIQUE INDEX role_assignment_head_uq ON role_assignment (station_id) WHERE kind = 'STATION_HEAD' AND ended_on IS NULL`);

    await db.query(`
      CREATE TABLE transfer (
        id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id            uuid NOT NULL REFERENCES member (id),
        from_organization_id uuid NOT NULL,
        to_organization_id   uuid NOT NULL,
        -- The receiving branch's region, so the receiving tier finds the transfer.
        to_region_code       char(6) NOT NULL,
        from_region_code     char(6) NOT NULL,
        letter_number        text NOT NULL,
        status               text NOT NULL CHECK (status IN ('PENDING', 'COMPLETED', 'RETURNED', 'CANCELLED', 'EXPIRED')),
        initiated_on         date NOT NULL,
        expires_on           date NOT NULL,
        completed_on         date,
        reason               text,
        CHECK (from_organization_id <> to_organization_id),
        CHECK (expires_on >= initiated_on)
      )`);
    // At most one open transfer per member.
    await db.query(`CREATE UNIQUE INDEX transfer_open_uq ON transfer (member_id) WHERE status = 'PENDING'`);
    await db.query(`CREATE INDEX transfer_member_idx ON transfer (member_id, initiated_on)`);
    await db.query(`CREATE INDEX transfer_to_idx ON transfer (to_organization_id) WHERE status = 'PENDING'`);

    for (const statement of AUDIT_TABLE_SQL) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['audit_log', 'transfer', 'role_assignment', 'temporary_participation', 'organization_membership', 'member']) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
