import type { DataSource, EntityManager } from 'typeorm';
import { likeLiteral, regionScopeSql, SqlParams, unseenArray } from '../../../../shared/src/sql';
import { prefixRange, regionPrefix } from '../../../../shared/src/regions';
import type { Scope } from '../../../../shared/src/viewer';
import type { CoverageStatus, InstitutionKind, InstitutionRecord, InstitutionState } from '../entities';
import { changesAfter, type ChangeCursor } from './changes';
import { scopeSql } from './scope';

/** How an institution is covered, derived from the kind of the organization it is linked to. */
export const COVERAGE_STATUS_SQL = `CASE
  WHEN po.kind IN ('STANDALONE_BRANCH', 'GENERAL_BRANCH') THEN 'STANDALONE_BRANCH'
  WHEN po.kind = 'JOINT_BRANCH' THEN 'JOINT_BRANCH'
  ELSE 'UNCOVERED' END`;

const FROM = `institution i LEFT JOIN party_organization po ON po.id = i.party_organization_id`;

const COLUMNS = `i.id, i.name, i.kind, i.license_number AS "licenseNumber", i.region_code AS "regionCode",
  i.head_office_id AS "headOfficeId", i.state, i.approved_on AS "approvedOn",
  i.party_organization_id AS "partyOrganizationId", ${COVERAGE_STATUS_SQL} AS "coverageStatus"`;

export interface InstitutionFilter {
  kind?: InstitutionKind | null;
  coverageStatus?: CoverageStatus | null;
  state?: InstitutionState | null;
  nameContains?: string | null;
}

export interface InstitutionPageRequest {
  filter: InstitutionFilter;
  size: number;
  /** The sort key (region code, name, id) of the last row of the previous page. */
  after: string[] | null;
}

export interface InstitutionPage {
  rows: InstitutionRecord[];
  totalCount: number;
}

export interface CoverageCounts {
  institutions: number;
  standalone: number;
  joint: number;
  partyOrganizations: number;
  standaloneBranches: number;
  jointBranches: number;
}

/** The sort key of keyset paging: region, then name, then id to break ties. */
export function institutionSortKey(row: InstitutionRecord): string[] {
  return [row.regionCode, row.name, row.id];
}

/** Region subtrees as parallel arrays of root code, range start and range end, for `unnest`. */
function subtreeArrays(codes: readonly string[]): [string[], string[], string[]] {
  const from: string[] = [];
  const to: string[] = [];
  for (const code of codes) {
    const range = prefixRange(regionPrefix(code));
    from.push(range.from);
    to.push(range.to);
  }
  return [[...codes], from, to];
}

function filterSql(p: SqlParams, filter: InstitutionFilter): string[] {
  const conditions: string[] = [];
  if (filter.kind) conditions.push(`i.kind = ${p.add(filter.kind)}`);
  if (filter.state) conditions.push(`i.state = ${p.add(filter.state)}`);
  if (filter.coverageStatus) conditions.push(`${COVERAGE_STATUS_SQL} = ${p.add(filter.coverageStatus)}`);
  if (filter.nameContains) conditions.push(`i.name LIKE '%' || ${p.add(likeLiteral(filter.nameContains))} || '%'`);
  return conditions;
}

/** What an institution is, as another subgraph's register keeps it. */
export interface InstitutionDescription {
  id: string;
  kind: InstitutionKind;
  regionCode: string;
  state: InstitutionState;
  approvedOn: string | null;
  closedOn: string | null;
  partyOrganizationId: string | null;
  revision: number;
}

export class InstitutionRepository {
  constructor(private readonly db: DataSource) {}

  /** Institutions changed after the cursor, as another subgraph's register reads them. */
  changesAfter(after: ChangeCursor, first: number) {
    return changesAfter<InstitutionDescription>(
      this.db,
      'institution',
      `c.id, c.kind, c.region_code AS "regionCode", c.state, to_char(c.approved_on, 'YYYY-MM-DD') AS "approvedOn",
       to_char(c.closed_on, 'YYYY-MM-DD') AS "closedOn", c.party_organization_id AS "partyOrganizationId", c.revision`,
      after,
      first,
    );
  }

  async findByIds(ids: readonly string[], scope: Scope, manager: EntityManager = this.db.manager): Promise<InstitutionRecord[]> {
    const p = new SqlParams();
    return manager.query(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE i.id = ANY(${unseenArray(p, ids, 'uuid[]')}) AND ${scopeSql.institution(p, 'i', scope)}`,
      p.values,
    );
  }

  /** Institutions by licence number (the natural key of a ledger row), in the scope given. */
  async findByLicenseNumbers(licenseNumbers: readonly string[], scope: Scope, manager: EntityManager = this.db.manager): Promise<InstitutionRecord[]> {
    if (licenseNumbers.length === 0) return [];
    const p = new SqlParams();
    return manager.query(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE i.license_number = ANY(${unseenArray(p, licenseNumbers, 'text[]')}) AND ${scopeSql.institution(p, 'i', scope)}`,
      p.values,
    );
  }

  async findByOrganizationIds(organizationIds: readonly string[], scope: Scope): Promise<InstitutionRecord[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT ${COLUMNS} FROM ${FROM}
        WHERE i.party_organization_id = ANY(${unseenArray(p, organizationIds, 'uuid[]')}) AND ${scopeSql.institution(p, 'i', scope)}
        ORDER BY i.region_code, i.name, i.id`,
      p.values,
    );
  }

  async findBranchOffices(headOfficeIds: readonly string[], scope: Scope): Promise<InstitutionRecord[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT ${COLUMNS} FROM ${FROM}
        WHERE i.head_office_id = ANY(${unseenArray(p, headOfficeIds, 'uuid[]')}) AND ${scopeSql.institution(p, 'i', scope)}
        ORDER BY i.region_code, i.name, i.id`,
      p.values,
    );
  }

  /** One page per region subtree, all with the same filter and cursor, in two statements. */
  async findPages(regionCodes: readonly string[], request: InstitutionPageRequest, scope: Scope): Promise<Map<string, InstitutionPage>> {
    const [codes, from, to] = subtreeArrays(regionCodes);

    const p = new SqlParams();
    const subtrees = `unnest(${unseenArray(p, codes, 'char(6)[]')}, ${unseenArray(p, from, 'char(6)[]')}, ${unseenArray(p, to, 'char(6)[]')}) AS q(code, from_code, to_code)`;
    const conditions = [
      'i.region_code >= q.from_code',
      'i.region_code < q.to_code',
      scopeSql.institution(p, 'i', scope),
      ...filterSql(p, request.filter),
    ];
    const countParams = p.values.length;
    const countSql = `SELECT q.code AS "queryCode", count(i.id)::int AS "totalCount"
      FROM ${subtrees} LEFT JOIN (${FROM}) ON ${conditions.join(' AND ')} GROUP BY q.code`;
    const counts: { queryCode: string; totalCount: number }[] = await this.db.query(countSql, p.values.slice(0, countParams));

    if (request.after) {
      const [region, name, id] = request.after;
      conditions.push(`(i.region_code, i.name, i.id) > (${p.add(region)}::char(6), ${p.add(name)}::text, ${p.add(id)}::uuid)`);
    }
    const rows: (InstitutionRecord & { queryCode: string })[] = await this.db.query(
      `SELECT q.code AS "queryCode", page.* FROM ${subtrees} CROSS JOIN LATERAL (
         SELECT ${COLUMNS} FROM ${FROM} WHERE ${conditions.join(' AND ')}
         ORDER BY i.region_code, i.name, i.id LIMIT ${p.add(request.size + 1)}
       ) AS page`,
      p.values,
    );

    const pages = new Map<string, InstitutionPage>();
    for (const { queryCode, totalCount } of counts) pages.set(queryCode, { rows: [], totalCount });
    for (const { queryCode, ...row } of rows) pages.get(queryCode)?.rows.push(row);
    return pages;
  }

  /**
   * Coverage counts for each (region subtree, sector) pair in one statement: operating institutions
   * by how they are covered, and undissolved organizations by kind. A station tier sums the
   * per-county counters; a branch, whose scope is its own organization and the institutions it
   * covers rather than a region range, has its rows counted.
   */
  async coverage(keys: readonly { regionCode: string; kind: InstitutionKind | null }[], scope: Scope): Promise<CoverageCounts[]> {
    const [codes, from, to] = subtreeArrays(keys.map((k) => k.regionCode));
    const p = new SqlParams();
    const subtrees = `unnest(${p.add(codes)}::char(6)[], ${p.add(from)}::char(6)[], ${p.add(to)}::char(6)[], ${p.add(keys.map((k) => k.kind))}::text[])
              WITH ORDINALITY AS q(code, from_code, to_code, kind, ordinal)`;
    if (!scope.organizationId) {
      // Joined rather than lateral, the planner scans the whole tier's counters once for every key.
      return this.db.query(
        `SELECT stats.* FROM ${subtrees}
           CROSS JOIN LATERAL (
             SELECT coalesce(sum(s.institutions), 0)::int AS institutions, coalesce(sum(s.standalone), 0)::int AS standalone,
                    coalesce(sum(s.joint), 0)::int AS joint, coalesce(sum(s.party_organizations), 0)::int AS "partyOrganizations",
                    coalesce(sum(s.standalone_branches), 0)::int AS "standaloneBranches", coalesce(sum(s.joint_branches), 0)::int AS "jointBranches"
               FROM coverage_region_stats s
              WHERE s.region_code >= q.from_code AND s.region_code < q.to_code AND ${regionScopeSql(p, 's.region_code', scope)}
                AND (q.kind IS NULL OR s.sector = q.kind)
           ) AS stats
          ORDER BY q.ordinal`,
        p.values,
      );
    }
    const rows: (CoverageCounts & { ordinal: string })[] = await this.db.query(
      `SELECT q.ordinal, inst.*, orgs.*
         FROM ${subtrees}
         CROSS JOIN LATERAL (
           SELECT count(*)::int AS institutions,
                  count(*) FILTER (WHERE ${COVERAGE_STATUS_SQL} = 'STANDALONE_BRANCH')::int AS standalone,
                  count(*) FILTER (WHERE ${COVERAGE_STATUS_SQL} = 'JOINT_BRANCH')::int AS joint
             FROM ${FROM}
            WHERE i.region_code >= q.from_code AND i.region_code < q.to_code AND i.state = 'OPERATING'
              AND (q.kind IS NULL OR i.kind = q.kind) AND ${scopeSql.institution(p, 'i', scope)}
         ) AS inst
         CROSS JOIN LATERAL (
           SELECT count(*) FILTER (WHERE o.kind <> 'INDUSTRY_COMMITTEE')::int AS "partyOrganizations",
                  count(*) FILTER (WHERE o.kind = 'STANDALONE_BRANCH')::int AS "standaloneBranches",
                  count(*) FILTER (WHERE o.kind = 'JOINT_BRANCH')::int AS "jointBranches"
             FROM party_organization o
            WHERE o.region_code >= q.from_code AND o.region_code < q.to_code AND o.dissolved_on IS NULL
              AND (q.kind IS NULL OR o.sector = q.kind) AND ${scopeSql.organization(p, 'o', scope)}
         ) AS orgs
        ORDER BY q.ordinal`,
      p.values,
    );
    return rows.map(({ ordinal: _ordinal, ...counts }) => counts);
  }
}
