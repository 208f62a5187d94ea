import type { EntityManager } from 'typeorm';
import type { Viewer } from './viewer';
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
export async function writeAudit(
  manager: EntityManager,
  who: { viewer: Viewer; requestId: string },
  record: AuditRecord,
): Promise<void> {
  await manager.query(
    `INSERT INTO audit_log (actor, actor_tier, region_code, action, entity, entity_id, before, after, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      who.viewer.subject,
      who.viewer.tier,
      record.regionCode,
      record.action,
      record.entity,
      record.entityId,
      record.before === undefined ? null : JSON.stringify(record.before),
      record.after === undefined ? null : JSON.stringify(record.after),
      who.requestId,
    ],
  );
}
