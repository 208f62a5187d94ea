import type { DataSource, EntityManager } from 'typeorm';
import { badUserInput, forbidden } from './errors';
import { cursorCodec, pageSize, toConnection, type Connection } from './pagination';
import { isRegionCode } from './regions';
import { regionScopeSql, regionSubtreeSql, SqlParams } from './sql';
import { isTimestamp } from './validation';
import type { Scope, Viewer } from './viewer';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One write: who made it, when, to what, and the record before and after. */
@Entity({ name: 'audit_log' })
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ name: 'actor_tier', type: 'text' })
  actorTier!: string;

  /** The region of the record written, so admins read the trail of their own tier. */
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text' })
  entity!: string;

  @Column({ name: 'entity_id', type: 'text' })
  entityId!: string;

  @Column({ type: 'jsonb', nullable: true })
  before!: unknown;

  @Column({ type: 'jsonb', nullable: true })
  after!: unknown;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;
}

/** The audit table every subgraph keeps in its own schema, created by its first migration. */
export const AUDIT_TABLE_SQL = [
  `CREATE TABLE audit_log (
     id           bigserial PRIMARY KEY,
     occurred_at  timestamptz NOT NULL DEFAULT now(),
     actor        text NOT NULL,
     actor_tier   text NOT NULL,
     region_code  char(6) NOT NULL,
     action       text NOT NULL,
     entity       text NOT NULL,
     entity_id    text NOT NULL,
     before       jsonb,
     after        jsonb,
     request_id   text
   )`,
  `CREATE INDEX audit_log_region_idx ON audit_log (region_code, occurred_at)`,
];

export interface AuditRecord {
  action: string;
  entity: string;
  entityId: string;
  /** The region of the record written. */
  regionCode: string;
  before?: unknown;
  after?: unknown;
}

/** Writes the audit row inside the caller's transaction, so a write and its trail commit together. */
export async function writeAudit(manager: EntityManager, who: { viewer: Viewer; requestId: string }, record: AuditRecord): Promise<void> {
  await writeAudits(manager, who, [record]);
}

/** Writes one audit row per record in a single statement, inside the caller's transaction. */
export async function writeAudits(manager: EntityManager, who: { viewer: Viewer; requestId: string }, records: readonly AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
  await manager.query(
    `INSERT INTO audit_log (actor, actor_tier, region_code, action, entity, entity_id, before, after, request_id)
     SELECT $1, $2, r.region_code, r.action, r.entity, r.entity_id, r.before, r.after, $3
       FROM unnest($4::char(6)[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::jsonb[]) AS r (region_code, action, entity, entity_id, before, after)`,
    [
      who.viewer.subject,
      who.viewer.tier,
      who.requestId,
      records.map((r) => r.regionCode),
      records.map((r) => r.action),
      records.map((r) => r.entity),
      records.map((r) => r.entityId),
      records.map((r) => json(r.before)),
      records.map((r) => json(r.after)),
    ],
  );
}

export interface AuditFilter {
  regionCode?: string | null;
  actor?: string | null;
  entity?: string | null;
  entityId?: string | null;
  since?: string | null;
}

export interface AuditRow {
  id: string;
  occurredAt: Date;
  actor: string;
  actorTier: string;
  regionCode: string;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

/**
 * A page of a subgraph's audit trail, newest first, for an admin of a station tier: their own
 * subtree only. Branches keep no trail of their own here.
 */
export async function auditTrailPage(
  db: DataSource,
  viewer: Viewer,
  scope: Scope,
  args: { filter?: AuditFilter | null; first?: number | null; after?: string | null },
  maxPageSize: number,
  trail = 'audit',
): Promise<Connection<AuditRow>> {
  if (!viewer.roles.includes('admin') || viewer.tier === 'BRANCH' || viewer.tier === 'SYSTEM') {
    throw forbidden('The audit trail is for admins of the province, a city or a county.');
  }
  const size = pageSize(args.first, maxPageSize);
  const filter = args.filter ?? {};
  const cursors = cursorCodec(trail, ['timestamp', 'integer'], filter);
  const afterKey = args.after ? cursors.decode(args.after) : null;
  const p = new SqlParams();
  const conditions = [regionScopeSql(p, 'a.region_code', scope)];
  if (filter.regionCode) {
    if (!isRegionCode(filter.regionCode)) return toConnection([], size, 0, auditSortKey, afterKey !== null, cursors);
    conditions.push(regionSubtreeSql(p, 'a.region_code', filter.regionCode));
  }
  if (filter.actor) conditions.push(`a.actor = ${p.add(filter.actor)}`);
  if (filter.entity) conditions.push(`a.entity = ${p.add(filter.entity)}`);
  if (filter.entityId) conditions.push(`a.entity_id = ${p.add(filter.entityId)}`);
  if (filter.since) {
    if (!isTimestamp(filter.since)) throw badUserInput('filter.since must be an ISO 8601 timestamp with its zone.', 'filter.since');
    conditions.push(`a.occurred_at >= ${p.add(filter.since)}::timestamptz`);
  }
  const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM audit_log a WHERE ${conditions.join(' AND ')}`, p.values);
  if (afterKey) conditions.push(`(a.occurred_at, a.id) < (${p.add(afterKey[0])}::timestamptz, ${p.add(afterKey[1])}::bigint)`);
  const rows: AuditRow[] = await db.query(
    `SELECT a.id::text AS id, a.occurred_at AS "occurredAt", a.actor, a.actor_tier AS "actorTier", a.region_code AS "regionCode",
            a.action, a.entity, a.entity_id AS "entityId", a.before, a.after, a.request_id AS "requestId"
       FROM audit_log a WHERE ${conditions.join(' AND ')}
      ORDER BY a.occurred_at DESC, a.id DESC LIMIT ${p.add(size + 1)}`,
    p.values,
  );
  return toConnection(rows, size, count, auditSortKey, afterKey !== null, cursors);
}

function auditSortKey(row: AuditRow): string[] {
  return [row.occurredAt.toISOString(), row.id];
}

/** The audit trail object each subgraph contributes its part to. */
export interface AuditTrailReference {
  id: string;
}
