import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-region coverage counts, kept by triggers in the same transaction as every write to
 * `institution` and `party_organization`, so a region's coverage costs one row per county and
 * sector, however many institutions it has.
 */
export class CoverageRegionStats1700000010000 implements MigrationInterface {
  name = 'CoverageRegionStats1700000010000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE coverage_region_stats (
        region_code         char(6) NOT NULL,
        sector              text NOT NULL,
        institutions        integer NOT NULL DEFAULT 0,
        standalone          integer NOT NULL DEFAULT 0,
        joint               integer NOT NULL DEFAULT 0,
        party_organizations integer NOT NULL DEFAULT 0,
        standalone_branches integer NOT NULL DEFAULT 0,
        joint_branches      integer NOT NULL DEFAULT 0,
        PRIMARY KEY (region_code, sector)
      )`);
    // Operating institutions, by the kind of the organization covering them: the mapping of COVERAGE_STATUS_SQL.
    await db.query(`
      CREATE FUNCTION coverage_region_stats_add_institutions(region char(6), sector text, covering_kind text, n integer) RETURNS void
      LANGUAGE sql SET search_path FROM CURRENT AS $$
        INSERT INTO coverage_region_stats AS s (region_code, sector, institutions, standalone, joint)
        VALUES (region, sector, n,
                CASE WHEN covering_kind IN ('STANDALONE_BRANCH', 'GENERAL_BRANCH') THEN n ELSE 0 END,
                CASE WHEN covering_kind = 'JOINT_BRANCH' THEN n ELSE 0 END)
        ON CONFLICT (region_code, sector) DO UPDATE
          SET institutions = s.institutions + EXCLUDED.institutions,
              standalone   = s.standalone + EXCLUDED.standalone,
              joint        = s.joint + EXCLUDED.joint
      $$`);
    // Undissolved organizations; industry committees are not basic-level organizations.
    await db.query(`
      CREATE FUNCTION coverage_region_stats_add_organization(region char(6), sector text, kind text, n integer) RETURNS void
      LANGUAGE sql SET search_path FROM CURRENT AS $$
        INSERT INTO coverage_region_stats AS s (region_code, sector, party_organizations, standalone_branches, joint_branches)
        VALUES (region, sector,
                CASE WHEN kind <> 'INDUSTRY_COMMITTEE' THEN n ELSE 0 END,
                CASE WHEN kind = 'STANDALONE_BRANCH' THEN n ELSE 0 END,
                CASE WHEN kind = 'JOINT_BRANCH' THEN n ELSE 0 END)
        ON CONFLICT (region_code, sector) DO UPDATE
          SET party_organizations = s.party_organizations + EXCLUDED.party_organizations,
              standalone_branches = s.standalone_branches + EXCLUDED.standalone_branches,
              joint_branches      = s.joint_branches + EXCLUDED.joint_branches
      $$`);
    await db.query(`
      CREATE FUNCTION coverage_region_stats_track_institution() RETURNS trigger
      -- Whoever writes to institution, with whatever search_path, updates this schema's counters.
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        covering_kind text;
      BEGIN
        -- Updates name every column they may change, so most change nothing counted here.
        IF TG_OP = 'UPDATE' AND (OLD.region_code, OLD.kind, OLD.state, OLD.party_organization_id)
                                IS NOT DISTINCT FROM (NEW.region_code, NEW.kind, NEW.state, NEW.party_organization_id) THEN
          RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.state = 'OPERATING' THEN
          SELECT kind INTO covering_kind FROM party_organization WHERE id = OLD.party_organization_id;
          PERFORM coverage_region_stats_add_institutions(OLD.region_code, OLD.kind, covering_kind, -1);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.state = 'OPERATING' THEN
          IF TG_OP = 'INSERT' OR NEW.party_organization_id IS DISTINCT FROM OLD.party_organization_id THEN
            -- A change of the organization's kind that has not committed yet would not see this new
            -- link: wait for it, and count by the kind it leaves.
            SELECT kind INTO covering_kind FROM party_organization WHERE id = NEW.party_organization_id FOR SHARE;
          ELSE
            SELECT kind INTO covering_kind FROM party_organization WHERE id = NEW.party_organization_id;
          END IF;
          PERFORM coverage_region_stats_add_institutions(NEW.region_code, NEW.kind, covering_kind, 1);
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER coverage_region_stats_track_institution
      AFTER INSERT OR DELETE OR UPDATE OF region_code, kind, state, party_organization_id ON institution
      FOR EACH ROW EXECUTE FUNCTION coverage_region_stats_track_institution()`);
    await db.query(`
      CREATE FUNCTION coverage_region_stats_track_organization() RETURNS trigger
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        linked record;
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.dissolved_on IS NULL THEN
          PERFORM coverage_region_stats_add_organization(OLD.region_code, OLD.sector, OLD.kind, -1);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.dissolved_on IS NULL THEN
          PERFORM coverage_region_stats_add_organization(NEW.region_code, NEW.sector, NEW.kind, 1);
        END IF;
        -- The kind decides how every institution linked to the organization is covered. Locking
        -- the linked rows first waits for writes to them in flight, so the count that follows, on a
        -- fresh snapshot, sees each of them as it was committed.
        IF TG_OP = 'UPDATE' AND NEW.kind IS DISTINCT FROM OLD.kind THEN
          PERFORM 1 FROM institution WHERE party_organization_id = NEW.id FOR SHARE;
          FOR linked IN
            SELECT region_code, kind, count(*)::int AS n
              FROM institution WHERE party_organization_id = NEW.id AND state = 'OPERATING'
             GROUP BY region_code, kind
          LOOP
            PERFORM coverage_region_stats_add_institutions(linked.region_code, linked.kind, OLD.kind, -linked.n);
            PERFORM coverage_region_stats_add_institutions(linked.region_code, linked.kind, NEW.kind, linked.n);
          END LOOP;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER coverage_region_stats_track_organization
      AFTER INSERT OR DELETE OR UPDATE OF region_code, sector, kind, dissolved_on ON party_organization
      FOR EACH ROW EXECUTE FUNCTION coverage_region_stats_track_organization()`);
    await db.query(`
      INSERT INTO coverage_region_stats (region_code, sector, institutions, standalone, joint)
      SELECT i.region_code, i.kind, count(*),
             count(*) FILTER (WHERE po.kind IN ('STANDALONE_BRANCH', 'GENERAL_BRANCH')),
             count(*) FILTER (WHERE po.kind = 'JOINT_BRANCH')
        FROM institution i LEFT JOIN party_organization po ON po.id = i.party_organization_id
       WHERE i.state = 'OPERATING' GROUP BY i.region_code, i.kind`);
    await db.query(`
      INSERT INTO coverage_region_stats AS s (region_code, sector, party_organizations, standalone_branches, joint_branches)
      SELECT region_code, sector, count(*) FILTER (WHERE kind <> 'INDUSTRY_COMMITTEE'),
             count(*) FILTER (WHERE kind = 'STANDALONE_BRANCH'), count(*) FILTER (WHERE kind = 'JOINT_BRANCH')
        FROM party_organization WHERE dissolved_on IS NULL GROUP BY region_code, sector
      ON CONFLICT (region_code, sector) DO UPDATE
        SET party_organizations = EXCLUDED.party_organizations,
            standalone_branches = EXCLUDED.standalone_branches,
            joint_branches      = EXCLUDED.joint_branches`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TRIGGER coverage_region_stats_track_organization ON party_organization');
    await db.query('DROP TRIGGER coverage_region_stats_track_institution ON institution');
    await db.query('DROP FUNCTION coverage_region_stats_track_organization()');
    await db.query('DROP FUNCTION coverage_region_stats_track_institution()');
    await db.query('DROP FUNCTION coverage_region_stats_add_organization(char, text, text, integer)');
    await db.query('DROP FUNCTION coverage_region_stats_add_institutions(char, text, text, integer)');
    await db.query('DROP TABLE coverage_region_stats');
  }
}
