import type { DataSource, EntityManager } from 'typeorm';
import { combinedQuery } from '../../../../shared/src/combined-statements';
import { prefixRange, regionPrefix } from '../../../../shared/src/regions';
import { likeLiteral, regionScopeSql, regionSubtreeSql, SqlParams, unseenArray } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';
import type { Member, PartyStatus, PracticeKind } from '../entities';
import { scopeSql } from './scope';

export const MEMBER_COLUMNS = `m.id, m.name, m.gender, m.ethnicity, m.birth_date AS "birthDate", m.id_number AS "idNumber",
  m.education, m.phone, m.practice_kind AS "practiceKind", m.license_number AS "licenseNumber",
  m.institution_id AS "institutionId", m.region_code AS "regionCode", m.party_status AS "partyStatus",
  m.applied_on AS "appliedOn", m.activist_on AS "activistOn", m.candidate_on AS "candidateOn", m.joined_on AS "joinedOn",
  m.full_on AS "fullOn", m.probation_extended_until AS "probationExtendedUntil", m.organization_id AS "organizationId",
  m.lost_contact AS "lostContact", m.mobile`;

const PARTY_MEMBER = `m.party_status IN ('PROBATIONARY', 'FULL')`;

export interface MemberFilter {
  regionCode?: string | null;
  organizationId?: string | null;
  institutionId?: string | null;
  partyStatus?: PartyStatus | null;
  practice?: PracticeKind | null;
  nameContains?: string | null;
}

export interface InstitutionCounts {
  institutionId: string;
  practitioners: number;
  partyMembers: number;
  fullMembers: number;
}

export interface MemberStatsCounts {
  practitioners: number;
  partyMembers: number;
  fullMembers: number;
}

export function memberSortKey(member: Member): string[] {
  return [member.regionCode, member.name, member.id];
}

export class MemberRepository {
  constructor(private readonly db: DataSource) {}

  async findByIds(ids: readonly string[], scope: Scope, manager: EntityManager = this.db.manager): Promise<Member[]> {
    const p = new SqlParams();
    return manager.query(`SELECT ${MEMBER_COLUMNS} FROM member m WHERE m.id = ANY(${unseenArray(p, ids, 'uuid[]')}) AND ${scopeSql.member(p, 'm', scope)}`, p.values);
  }

  /** Records by ID number or by practice licence number, the natural keys of a ledger's rows, in the scope given. */
  async findByNaturalKeys(column: 'id_number' | 'license_number', values: readonly string[], scope: Scope): Promise<Member[]> {
    if (values.length === 0) return [];
    const p = new SqlParams();
    return this.db.query(
      `SELECT ${MEMBER_COLUMNS} FROM member m WHERE m.${column} = ANY(${unseenArray(p, values, 'text[]')}) AND ${scopeSql.member(p, 'm', scope)}`,
      p.values,
    );
  }

  /** Rows of several owners (institution or formal organization), ordered by name. */
  async findByOwners(owner: 'institution_id' | 'organization_id', ids: readonly string[], scope: Scope): Promise<Member[]> {
    const p = new SqlParams();
    const practising = owner === 'institution_id' ? 'AND m.practice_kind IS NOT NULL' : '';
    return this.db.query(
      `SELECT ${MEMBER_COLUMNS} FROM member m
        WHERE m.${owner} = ANY(${unseenArray(p, ids, 'uuid[]')}) ${practising} AND ${scopeSql.member(p, 'm', scope)}
        ORDER BY m.name, m.id`,
      p.values,
    );
  }

  /** Members taking part in each organization's life without a vote, keyed by that organization. */
  async findTemporaryParticipants(organizationIds: readonly string[], scope: Scope): Promise<(Member & { participationOrganizationId: string })[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT t.organization_id AS "participationOrganizationId", ${MEMBER_COLUMNS}
         FROM temporary_participation t JOIN member m ON m.id = t.member_id
        WHERE t.organization_id = ANY(${unseenArray(p, organizationIds, 'uuid[]')}) AND t.ended_on IS NULL
          AND ${scopeSql.member(p, 'm', scope)}
        ORDER BY m.name, m.id`,
      p.values,
    );
  }

  async findTemporaryOrganizationIds(memberIds: readonly string[]): Promise<{ memberId: string; organizationId: string }[]> {
    return this.db.query(
      `SELECT member_id AS "memberId", organization_id AS "organizationId" FROM temporary_participation
        WHERE member_id = ANY($1::uuid[]) AND ended_on IS NULL ORDER BY started_on, id`,
      [memberIds],
    );
  }

  async institutionCounts(institutionIds: readonly string[], scope: Scope): Promise<InstitutionCounts[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT m.institution_id AS "institutionId", count(*)::int AS practitioners,
              count(*) FILTER (WHERE ${PARTY_MEMBER})::int AS "partyMembers",
              count(*) FILTER (WHERE m.party_status = 'FULL')::int AS "fullMembers"
         FROM member m
        WHERE m.institution_id = ANY(${unseenArray(p, institutionIds, 'uuid[]')}) AND m.practice_kind IS NOT NULL AND ${scopeSql.member(p, 'm', scope)}
        GROUP BY m.institution_id`,
      p.values,
    );
  }

  async organizationCounts(organizationIds: readonly string[], scope: Scope): Promise<{ organizationId: string; count: number }[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT m.organization_id AS "organizationId", count(*)::int AS count FROM member m
        WHERE m.organization_id = ANY(${unseenArray(p, organizationIds, 'uuid[]')}) AND ${scopeSql.member(p, 'm', scope)}
        GROUP BY m.organization_id`,
      p.values,
    );
  }

  /**
   * People and Party members under each (region, practice) pair, in one statement: from the
   * per-county counters for a station tier, by counting for a branch (whose scope is its members).
   */
  async stats(keys: readonly { regionCode: string; practice: PracticeKind | null }[], scope: Scope): Promise<MemberStatsCounts[]> {
    const p = new SqlParams();
    const ranges = keys.map((k) => prefixRange(regionPrefix(k.regionCode)));
    // The same plan serves a county's one pair or a province's fifteen (see `unseenArray`).
    const regions = `unnest(${unseenArray(p, ranges.map((r) => r.from), 'char(6)[]')}, ${unseenArray(p, ranges.map((r) => r.to), 'char(6)[]')},
                            ${unseenArray(p, keys.map((k) => k.practice), 'text[]')}) WITH ORDINALITY AS q(from_code, to_code, practice, ordinal)`;
    if (!scope.organizationId) {
      // Sent with the heads of the dashboard's stations when they are asked at the same moment.
      return combinedQuery(
        this.db,
        // A lateral sum per region, so each reads its own index range rather than the tier's every counter.
        `SELECT s.* FROM ${regions}
          CROSS JOIN LATERAL (
            SELECT coalesce(sum(s.practitioners), 0)::int AS practitioners, coalesce(sum(s.party_members), 0)::int AS "partyMembers",
                   coalesce(sum(s.full_members), 0)::int AS "fullMembers"
              FROM member_region_stats s
             WHERE s.region_code >= q.from_code AND s.region_code < q.to_code
               AND ${regionScopeSql(p, 's.region_code', scope)}
               AND (q.practice IS NULL OR s.practice_kind = q.practice)
          ) AS s
          ORDER BY q.ordinal`,
        p.values,
      );
    }
    return this.db.query(
      `SELECT s.* FROM ${regions}
        CROSS JOIN LATERAL (
          SELECT count(*)::int AS practitioners,
                 count(*) FILTER (WHERE ${PARTY_MEMBER})::int AS "partyMembers",
                 count(*) FILTER (WHERE m.party_status = 'FULL')::int AS "fullMembers"
            FROM member m
           WHERE m.region_code >= q.from_code AND m.region_code < q.to_code AND m.practice_kind IS NOT NULL
             AND (q.practice IS NULL OR m.practice_kind = q.practice) AND ${scopeSql.member(p, 'm', scope)}
        ) AS s
        ORDER BY q.ordinal`,
      p.values,
    );
  }

  /** Institutions under each region with at least `minimum` full members among their practitioners. */
  async quorumInstitutions(regionCodes: readonly string[], minimum: number, scope: Scope): Promise<{ regionCode: string; institutionId: string }[]> {
    const p = new SqlParams();
    const ranges = regionCodes.map((code) => prefixRange(regionPrefix(code)));
    return this.db.query(
      `SELECT q.code AS "regionCode", m.institution_id AS "institutionId"
         FROM unnest(${unseenArray(p, regionCodes, 'char(6)[]')}, ${unseenArray(p, ranges.map((r) => r.from), 'char(6)[]')},
                     ${unseenArray(p, ranges.map((r) => r.to), 'char(6)[]')}) AS q(code, from_code, to_code)
         JOIN member m ON m.region_code >= q.from_code AND m.region_code < q.to_code
        WHERE m.party_status = 'FULL' AND m.institution_id IS NOT NULL AND m.practice_kind IS NOT NULL AND ${scopeSql.member(p, 'm', scope)}
        GROUP BY q.code, m.institution_id
       HAVING count(*) >= ${p.add(minimum)}
        ORDER BY q.code, m.institution_id`,
      p.values,
    );
  }

  async findPage(filter: MemberFilter, size: number, after: string[] | null, scope: Scope): Promise<{ rows: Member[]; totalCount: number }> {
    const p = new SqlParams();
    const conditions = [scopeSql.member(p, 'm', scope)];
    if (filter.regionCode) {
      conditions.push(regionSubtreeSql(p, 'm.region_code', filter.regionCode));
    }
    if (filter.organizationId) conditions.push(`m.organization_id = ${p.add(filter.organizationId)}`);
    if (filter.institutionId) conditions.push(`m.institution_id = ${p.add(filter.institutionId)}`);
    if (filter.partyStatus) conditions.push(`m.party_status = ${p.add(filter.partyStatus)}`);
    if (filter.practice) conditions.push(`m.practice_kind = ${p.add(filter.practice)}`);
    if (filter.nameContains) conditions.push(`m.name LIKE '%' || ${p.add(likeLiteral(filter.nameContains))} || '%'`);
    const where = conditions.join(' AND ');
    const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM member m WHERE ${where}`, p.values);
    if (after) {
      conditions.push(`(m.region_code, m.name, m.id) > (${p.add(after[0])}::char(6), ${p.add(after[1])}::text, ${p.add(after[2])}::uuid)`);
    }
    const rows = await this.db.query(
      `SELECT ${MEMBER_COLUMNS} FROM member m WHERE ${conditions.join(' AND ')} ORDER BY m.region_code, m.name, m.id LIMIT ${p.add(size + 1)}`,
      p.values,
    );
    return { rows, totalCount: count };
  }
}
