import type { DataSource, EntityManager } from 'typeorm';
import { SqlParams } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';
import type { PartyOrganization, PartyOrganizationKind } from '../entities';
import { scopeSql } from './scope';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

const COLUMNS = `o.id, o.name, o.kind, o.sector, o.parent_id AS "parentId", o.region_code AS "regionCode",
  o.founded_on AS "foundedOn", o.dissolved_on AS "dissolvedOn", o.dissolution_reason AS "dissolutionReason"`;

/** What a Party organization is, as another subgraph's register keeps it. */
export interface PartyOrganizationDescription {
  id: string;
  kind: PartyOrganizationKind;
  regionCode: string;
  foundedOn: string;
  dissolvedOn: string | null;
  revision: number;
}

/** A place in the stream of changes: the transaction that made a change, and the organization. */
export interface ChangeCursor {
  changedIn: string;
  id: string;
}

/** A cursor as the changes field gives it: `<transaction>.<organization>`; none starts at the first change. */
export function decodeChangeCursor(text: string | null): ChangeCursor | null {
  if (text === null) return { changedIn: '0', id: NIL_UUID };
  const match = /^(\d{1,20})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(text);
  // A transaction id is an unsigned 64-bit number.
  return match && BigInt(match[1]) < BigInt('18446744073709551616') ? { changedIn: match[1], id: match[2] } : null;
}

export function encodeChangeCursor(cursor: ChangeCursor): string {
  return `${cursor.changedIn}.${cursor.id}`;
}

export class PartyOrganizationRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Organizations changed after the cursor, in the order of the transactions that changed them, up
   * to the oldest transaction still running: it may yet commit, and the next read starts there.
   */
  async changesAfter(after: ChangeCursor, first: number): Promise<{ descriptions: PartyOrganizationDescription[]; next: ChangeCursor; hasMore: boolean }> {
    const rows: (PartyOrganizationDescription & { changedIn: string; horizon: string })[] = await this.db.query(
      `WITH horizon AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xid)
       SELECT o.id, o.kind, o.region_code AS "regionCode", o.founded_on AS "foundedOn", o.dissolved_on AS "dissolvedOn",
              o.revision, o.changed_in::text AS "changedIn", horizon.xid::text AS horizon
         FROM horizon LEFT JOIN party_organization o
           ON (o.changed_in, o.id) > ($1::xid8, $2::uuid) AND o.changed_in < horizon.xid
        ORDER BY o.changed_in, o.id
        LIMIT $3`,
      [after.changedIn, after.id, first + 1],
    );
    const found = rows.filter((row) => row.id !== null);
    const hasMore = found.length > first;
    const descriptions = found.slice(0, first).map(({ changedIn: _changedIn, horizon: _horizon, ...description }) => description);
    const last = found[descriptions.length - 1];
    // A full page continues after its last row; otherwise everything before the horizon has been read.
    const next = hasMore ? { changedIn: last.changedIn, id: last.id } : { changedIn: rows[0].horizon, id: NIL_UUID };
    return { descriptions, next, hasMore };
  }

  async findByIds(ids: readonly string[], scope: Scope, manager: EntityManager = this.db.manager): Promise<PartyOrganization[]> {
    const p = new SqlParams();
    return manager.query(
      `SELECT ${COLUMNS} FROM party_organization o WHERE o.id = ANY(${p.add(ids)}::uuid[]) AND ${scopeSql.organization(p, 'o', scope)}`,
      p.values,
    );
  }

  async findChildren(parentIds: readonly string[], scope: Scope): Promise<PartyOrganization[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT ${COLUMNS} FROM party_organization o
        WHERE o.parent_id = ANY(${p.add(parentIds)}::uuid[]) AND ${scopeSql.organization(p, 'o', scope)}
        ORDER BY o.region_code, o.name, o.id`,
      p.values,
    );
  }

  /** Organizations by name (a ledger's natural key is the name within a region), in the scope given. */
  async findByNames(names: readonly string[], scope: Scope, manager: EntityManager = this.db.manager): Promise<PartyOrganization[]> {
    if (names.length === 0) return [];
    const p = new SqlParams();
    return manager.query(
      `SELECT ${COLUMNS} FROM party_organization o WHERE o.name = ANY(${p.add(names)}::text[]) AND ${scopeSql.organization(p, 'o', scope)}`,
      p.values,
    );
  }

  /** The undissolved industry committees of several regions, oldest first, as `findIndustryCommittee` picks them. */
  async findIndustryCommittees(regionCodes: readonly string[], manager: EntityManager = this.db.manager): Promise<PartyOrganization[]> {
    if (regionCodes.length === 0) return [];
    return manager.query(
      `SELECT ${COLUMNS} FROM party_organization o
        WHERE o.region_code = ANY($1::char(6)[]) AND o.kind = 'INDUSTRY_COMMITTEE' AND o.dissolved_on IS NULL
        ORDER BY o.founded_on`,
      [regionCodes],
    );
  }

  /** The undissolved industry committee of a region (行业党委), which new branches report to by default. */
  async findIndustryCommittee(regionCode: string, sector: string, manager: EntityManager): Promise<PartyOrganization | null> {
    const rows: PartyOrganization[] = await manager.query(
      `SELECT ${COLUMNS} FROM party_organization o
        WHERE o.region_code = $1 AND o.kind = 'INDUSTRY_COMMITTEE' AND o.sector = $2 AND o.dissolved_on IS NULL
        ORDER BY o.founded_on LIMIT 1`,
      [regionCode, sector],
    );
    return rows[0] ?? null;
  }
}
