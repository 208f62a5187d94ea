import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AUDIT_TABLE_SQL } from '../../../../shared/src/audit';

/** Regions, guidance stations, institutions, Party organizations, guidance officers and the audit trail. */
export class OrganizationStructure1700000000000 implements MigrationInterface {
  name = 'OrganizationStructure1700000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE region (
        code        char(6) PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
        name        text NOT NULL,
        level       text NOT NULL CHECK (level IN ('PROVINCE', 'CITY', 'COUNTY')),
        parent_code char(6) REFERENCES region (code)
      )`);
    await db.query(`CREATE INDEX region_parent_idx ON region (parent_code, code)`);

    await db.query(`
      CREATE TABLE guidance_station (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name           text NOT NULL,
        tier           text NOT NULL CHECK (tier IN ('PROVINCE', 'CITY', 'COUNTY')),
        functional     boolean NOT NULL DEFAULT false,
        region_code    char(6) NOT NULL REFERENCES region (code),
        parent_id      uuid REFERENCES guidance_station (id),
        established_on date
      )`);
    // One territorial station per region; functional stations sit beside them.
    await db.query(`CREATE UNIQUE INDEX guidance_station_region_uq ON guidance_station (region_code) WHERE NOT functional`);
    await db.query(`CREATE INDEX guidance_station_parent_idx ON guidance_station (parent_id)`);

    await db.query(`
      CREATE TABLE party_organization (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name               text NOT NULL,
        kind               text NOT NULL CHECK (kind IN ('INDUSTRY_COMMITTEE', 'GENERAL_BRANCH', 'STANDALONE_BRANCH', 'JOINT_BRANCH', 'TEMPORARY_BRANCH')),
        sector             text NOT NULL CHECK (sector IN ('LAW_FIRM', 'NOTARY_OFFICE', 'JUDICIAL_APPRAISAL', 'GRASSROOTS_LEGAL_SERVICE')),
        parent_id          uuid REFERENCES party_organization (id),
        region_code        char(6) NOT NULL REFERENCES region (code),
        founded_on         date NOT NULL,
        dissolved_on       date,
        dissolution_reason text,
        CHECK (dissolved_on IS NULL OR dissolved_on >= founded_on)
      )`);
    await db.query(`CREATE INDEX party_organization_region_idx ON party_organization (region_code, sector, kind) WHERE dissolved_on IS NULL`);
    await db.query(`CREATE INDEX party_organization_parent_idx ON party_organization (parent_id)`);

    await db.query(`
      CREATE TABLE institution (
        id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name                  text NOT NULL,
        kind                  text NOT NULL CHECK (kind IN ('LAW_FIRM', 'NOTARY_OFFICE', 'JUDICIAL_APPRAISAL', 'GRASSROOTS_LEGAL_SERVICE')),
        license_number        text NOT NULL UNIQUE,
        region_code           char(6) NOT NULL REFERENCES region (code),
        head_office_id        uuid REFERENCES institution (id),
        state                 text NOT NULL DEFAULT 'OPERATING' CHECK (state IN ('OPERATING', 'CLOSED')),
        approved_on           date,
        party_organization_id uuid REFERENCES party_organization (id)
      )`);
    // Serves the region-range scope test and keyset paging in one index.
    await db.query(`CREATE INDEX institution_region_page_idx ON institution (region_code, name, id)`);
    await db.query(`CREATE INDEX institution_kind_region_idx ON institution (kind, region_code)`);
    await db.query(`CREATE INDEX institution_party_organization_idx ON institution (party_organization_id)`);
    await db.query(`CREATE INDEX institution_head_office_idx ON institution (head_office_id)`);

    await db.query(`
      CREATE TABLE guidance_officer_assignment (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        officer_member_id uuid NOT NULL,
        station_id        uuid NOT NULL REFERENCES guidance_station (id),
        institution_id    uuid NOT NULL REFERENCES institution (id),
        region_code       char(6) NOT NULL REFERENCES region (code),
        started_on        date NOT NULL,
        ended_on          date,
        CHECK (ended_on IS NULL OR ended_on >= started_on)
      )`);
    await db.query(`CREATE UNIQUE INDEX guidance_officer_assignment_active_uq ON guidance_officer_assignment (officer_member_id, institution_id) WHERE ended_on IS NULL`);
    await db.query(`CREATE INDEX guidance_officer_assignment_institution_idx ON guidance_officer_assignment (institution_id)`);
    await db.query(`CREATE INDEX guidance_officer_assignment_station_idx ON guidance_officer_assignment (station_id)`);

    for (const statement of AUDIT_TABLE_SQL) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['audit_log', 'guidance_officer_assignment', 'institution', 'party_organization', 'guidance_station', 'region']) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
