import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { writeAudits } from '../../../../shared/src/audit';
import { systemViewer } from '../../../../shared/src/internal';
import type { Logger } from '../../../../shared/src/logger';
import type { SubgraphClient } from '../../../../shared/src/subgraph-client';
import { inTransaction } from '../../../../shared/src/transaction';
import { InstitutionChangesDocument, PartyOrganizationChangesDocument } from '../generated/organization';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { Repositories } from '../repositories';

const PAGE_SIZE = 500;
const OUTAGE_GRACE_MS = 30_000;

interface Description {
  id: string;
  regionCode: string;
  revision: number;
}

interface ChangesPage<D> {
  descriptions: D[];
  cursor: string;
  hasMore: boolean;
}

/** A register kept from one of the organization subgraph's streams of changes. */
interface Stream<D extends Description> {
  document: TypedDocumentNode<Record<string, ChangesPage<D>>, { after: string | null | undefined; first: number | null | undefined }>;
  field: string;
  action: string;
  entity: string;
  register: {
    cursor(): Promise<string | null>;
    saveCursor(manager: EntityManager, cursor: string): Promise<void>;
    newerThanKept(descriptions: readonly D[]): Promise<D[]>;
    apply(manager: EntityManager, descriptions: readonly D[]): Promise<{ after: D; before: object | null }[]>;
  };
  /** Where this instance has read up to; undefined until read from the database. */
  cursor?: string | null;
}

function streams(repos: Repositories): Stream<Description>[] {
  return [
    {
      document: PartyOrganizationChangesDocument,
      field: 'partyOrganizationChanges',
      action: 'registerPartyOrganization',
      entity: 'PartyOrganization',
      register: repos.organizations,
    },
    {
      document: InstitutionChangesDocument,
      field: 'institutionChanges',
      action: 'registerInstitution',
      entity: 'Institution',
      register: repos.institutions,
    },
  ];
}

/**
 * Keeps the register of Party organizations (whose rows the compliance counters are kept from)
 * following the organization subgraph: a branch established, moved or dissolved there is owed
 * organizational life here from the next read on, whether or not it has recorded an activity. The
 * register of institutions (which the work lists of visits and checkpoints read) follows its own
 * stream the same way.
 *
 * It reads the organization subgraph's stream of changes every `intervalMs`, page by page. A page
 * is copied in one transaction with its audit rows and the cursor, so a failure anywhere repeats
 * the page and nothing is half-copied; a description older than the row kept is skipped, so any
 * number of instances can read the same stream.
 */
export class OrganizationRegisterSync {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** When the stream was last read, or the sync started; an outage is reported once it outlasts the grace. */
  private lastRead = Date.now();
  private warned = false;
  private readonly streams: Stream<Description>[];
  private readonly who = { viewer: systemViewer('activities'), requestId: '' };

  constructor(
    private readonly db: DataSource,
    private readonly repos: Repositories,
    private readonly organization: SubgraphClient,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {
    this.streams = streams(repos);
  }

  /** Reads at once, then every interval; an interval of 0 leaves the register to the lookups made as activities are recorded. */
  start(): void {
    this.lastRead = Date.now();
    if (this.intervalMs > 0) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Copies every change committed since the last read; returns how many records it copied. */
  async catchUp(): Promise<number> {
    let copied = 0;
    for (const stream of this.streams) copied += await this.catchUpWith(stream);
    return copied;
  }

  private async catchUpWith(stream: Stream<Description>): Promise<number> {
    // Read from the database once, then kept: a quiet stream costs this subgraph no statement.
    if (stream.cursor === undefined) stream.cursor = await stream.register.cursor();
    let copied = 0;
    for (;;) {
      const answer = await this.organization.request(stream.document, { after: stream.cursor, first: PAGE_SIZE }, 'service');
      const page: ChangesPage<Description> = answer[stream.field];
      if (page.cursor === stream.cursor) return copied;
      copied += await this.copy(stream, page.descriptions, page.cursor);
      stream.cursor = page.cursor;
      if (!page.hasMore || this.stopped) return copied;
    }
  }

  private async copy(stream: Stream<Description>, descriptions: Description[], cursor: string): Promise<number> {
    const current = await stream.register.newerThanKept(descriptions);
    // The cursor moves whenever any transaction of the cluster ends; moving it alone is bookkeeping, not a write of records.
    if (current.length === 0) {
      await stream.register.saveCursor(this.db.manager, cursor);
      return 0;
    }
    return inTransaction(this.db, async (m) => {
      const copied = await stream.register.apply(m, current);
      await writeAudits(
        m,
        { ...this.who, requestId: randomUUID() },
        copied.map(({ before, after }) => ({ action: stream.action, entity: stream.entity, entityId: after.id, regionCode: after.regionCode, before: before ?? undefined, after })),
      );
      await stream.register.saveCursor(m, cursor);
      return copied.length;
    });
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = null;
        if (!this.stopped) this.schedule(this.intervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      const copied = await this.catchUp();
      if (copied > 0) this.log.info({ copied }, 'copied Party organizations and institutions changed in the organization subgraph');
      if (this.warned) this.log.info('reading the organization subgraph’s changes again');
      this.warned = false;
      this.lastRead = Date.now();
    } catch (err) {
      // What was saved is the truth after a failure: read it again.
      for (const stream of this.streams) stream.cursor = undefined;
      // Once per outage, and not while the organization subgraph may still be starting.
      if (!this.warned && Date.now() - this.lastRead > OUTAGE_GRACE_MS) {
        this.log.warn({ err }, 'cannot read the organization subgraph’s changes; retrying');
        this.warned = true;
      }
    }
  }
}
