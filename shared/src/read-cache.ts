import { LRUCache } from 'lru-cache';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { declaredRead, noteTables, readingTables, type AnswerSources, type Dependencies, type Sources } from './answer-sources';
import type { Logger } from './logger';
import { shownRowIds, tablesWithShownOnlyColumns } from './shown-columns';
import { facetsMeet, facetsOf, type Facets } from './facets';
import { isRegionCode, regionPrefix } from './regions';
import { todayInChina } from './validation';
import type { Scope } from './viewer';

export type { Dependencies, Sources };

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** A DataLoader batch function: one answer per key, in key order. */
export type Batch<K, V> = (keys: readonly K[]) => Promise<V[]>;

/** Says, from a loader's key and the answer read under it, what that answer depends on. */
export type DependsOn = (key: string, answer: unknown) => Dependencies | null;

/** The answer under a key `<id>` or `<id>|…` depends on that record. */
export const onRecord: DependsOn = (key) => ({ records: [key.split('|')[0]] });

/**
 * The answer under a key `<region code>|…` depends on that region's subtree (and on what lies
 * above it); a BRANCH caller's answer, on its own organization's rows too.
 */
export function onRegion(scope: Scope, regionOf: (key: string) => string = (key) => key.split('|')[0]): DependsOn {
  return (key) => ({ regions: [regionOf(key)], records: scope.organizationId ? [scope.organizationId] : [] });
}

/** The name a change of `table` carries among its records, for answers that depend on a whole table. */
export const tableRecord = (table: string) => `@${table}`;

/** The ids of the records in an answer (a record or a list of them) under `field`. */
export function idsIn(answer: unknown, field = 'id'): string[] {
  const rows = Array.isArray(answer) ? answer : answer ? [answer] : [];
  return rows.map((row) => (row as Record<string, unknown>)[field]).filter((id): id is string => typeof id === 'string');
}

/**
 * What one change touched, as its announcement says: the regions of the rows written (before and
 * after) and every record id in them. `everything` when the announcement could not tell.
 */
export type Change = ({ everything: true } | { everything: false; regions: string[]; records: string[]; table?: string; shownOnly?: boolean; facets?: Facets }) & {
  /** The schema whose channel announced it; absent when it is not told (a change of anything). */
  schema?: string;
};

const EVERYTHING: Change = { everything: true };

/**
 * Reads an announcement's payload (see `announceChanges` in database.ts): `{"r":[codes],"i":[ids]}`,
 * or anything else, an empty payload included, for a change whose extent is unknown.
 */
export function parseChange(payload: string | undefined, schema?: string): Change {
  const everything: Change = schema ? { everything: true, schema } : EVERYTHING;
  if (!payload || payload[0] !== '{') return everything;
  try {
    const parsed = JSON.parse(payload) as { r?: unknown; i?: unknown; s?: unknown; f?: unknown };
    const list = (value: unknown) => (Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : null);
    const regions = list(parsed.r ?? []);
    const records = list(parsed.i ?? []);
    if (!regions || !records || !regions.every(isRegionCode)) return everything;
    // A statement trigger announces one table's rows, and names it among the records.
    const tables = records.filter((record) => record.startsWith('@'));
    const table = tables.length === 1 ? tables[0].slice(1) : undefined;
    // Only columns only shown were changed (see SHOWN_ONLY_COLUMNS): its records are the rows changed.
    const shownOnly = parsed.s === true && table !== undefined;
    // The facet values of the rows touched (see FACET_COLUMNS); unreadable, the change may meet any.
    const facets = facetsOf(parsed.f);
    return {
      everything: false,
      regions: regions.map(regionPrefix),
      records,
      ...(table ? { table } : {}),
      ...(shownOnly ? { shownOnly } : {}),
      ...(facets ? { facets } : {}),
      ...(schema ? { schema } : {}),
    };
  } catch {
    return everything;
  }
}

/**
 * The read cache as one request sees it: answers keyed by loader, by the caller's scope and by
 * key, so a caller only ever receives what a caller of exactly the same scope was given.
 */
export interface ScopedReads {
  /**
   * Routes a loader's batches through the cache under `name`, which must say what the answer
   * depends on besides the key. `dependsOn` says which regions and records an answer was read
   * from; without it, any change of the subgraph forgets the answer.
   */
  named(name: string, dependsOn?: DependsOn): <K extends string, V>(batch: Batch<K, V>) => Batch<K, V>;
}

/**
 * Part of what an answer was read from (see `Sources`): region prefixes and record ids, or null
 * for any region; the schemas whose changes can meet it, or null for any schema's; and the
 * tables, or null for any.
 */
interface Group {
  prefixes: string[] | null;
  records: string[];
  schemas: string[] | null;
  tables: string[] | null;
  /** Whether `records` name every row read from a table with columns only shown (see `Dependencies.rows`). */
  rows: boolean;
  /** The facet values of the rows read (see `Dependencies.facets`), or null for any. */
  facets: Facets | null;
}

/** An answer kept, and what it was read from: a change that meets one of its groups forgets it. */
interface Entry {
  value: unknown;
  groups: Group[];
}

/** Whether a change can meet a group read from `schemas` and `tables` only, wherever their rows lie. */
const mayMeet = ({ schemas, tables }: Pick<Group, 'schemas' | 'tables'>, change: Change) =>
  (schemas === null || change.schema === undefined || schemas.includes(change.schema)) &&
  (tables === null || change.everything || change.table === undefined || tables.includes(change.table));

/**
 * Whether a change meets a group: one of its tables, in one of its regions or records. A change of
 * columns only shown meets a group that names every row it read only through one of those rows.
 */
const meets = (group: Group, change: Change) =>
  mayMeet(group, change) &&
  (change.everything || facetsMeet(group.facets, change.facets)) &&
  (change.everything ||
    group.prefixes === null ||
    (!(change.shownOnly && group.rows) && change.regions.some((region) => group.prefixes!.some((prefix) => related(region, prefix)))) ||
    change.records.some((record) => group.records.includes(record)));

/** Whether a change can leave a group standing whatever it touched: the group is bound to some schemas or tables. */
const isBound = (group: Group) => group.schemas !== null || group.tables !== null;

/** Whether two region prefixes lie on one line of the hierarchy: one region holds the other. */
const related = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);

/** The channel on which PostgreSQL announces that a subgraph's schema has changed. */
export function changeChannel(schema: string): string {
  if (!/^[a-z_]+$/.test(schema)) throw new Error(`unexpected schema name ${schema}`);
  return `sanji_${schema}_changed`;
}

/** The schema whose changes a channel announces (see `changeChannel`). */
function schemaOfChannel(channel: string): string | undefined {
  return /^sanji_([a-z_]+)_changed$/.exec(channel)?.[1];
}

/**
 * Answers a subgraph has read, kept until something they were read from changes.
 *
 * Every statement that writes to the schema makes PostgreSQL announce it on the schema's channel
 * (statement triggers installed by `migrate`), whoever sends it: this process, another instance
 * of the subgraph, the demo load or someone at psql. The announcement, delivered at commit, names
 * the regions of the rows written and the record ids in them. The cache forgets the answers whose
 * dependencies meet the change: an answer about a region whose subtree holds a region written,
 * or that lies inside one (a province-wide row, such as a requirement, bears on every county); an
 * answer about a record that was written or referred to. An answer whose loader does not say what
 * it depends on, and every answer on a change whose extent the announcement cannot tell (a bulk
 * statement, a table without a region), is forgotten on any change. A write made through this
 * process waits, before the mutation answers, until its own announcement has been heard, so a
 * caller always reads its own writes.
 *
 * An answer read while a change that meets it was being announced is not kept: each read
 * remembers the changes heard when it started and stores nothing if a later one meets it. While
 * the channel is not being listened to (at start, after a lost connection) nothing is kept at all.
 *
 * Another instance's write is heard a moment after its commit, and that moment can be longer
 * than its caller takes to ask again, through another gateway, of this instance. So a request
 * serves no kept answer before the change feed has made a round trip to PostgreSQL that began
 * after the request arrived: PostgreSQL sends a listening connection the announcements of every
 * transaction committed before a statement, ahead of that statement's answer. Every change
 * committed before the request arrived has then cleared the cache. One round trip serves every
 * request that arrived before it was sent, and requests that find nothing kept do not wait.
 *
 * Answers can also depend on the day (what has ended by today); the cache forgets everything when
 * the calendar day changes in China.
 */
export class ReadCache {
  private readonly entries: LRUCache<string, Entry> | null;
  /** Keys of the answers kept, by each region prefix and record id they depend on, and those that depend on anything. */
  private readonly byPrefix = new Map<string, Set<string>>();
  private readonly byRecord = new Map<string, Set<string>>();
  private readonly onAnything = new Set<string>();
  /** How many answers kept are read, in every group, from named schemas or tables only (see `Dependencies.schemas` and `.tables`). */
  private bound = 0;
  /** Changes heard so far, and the latest ones, so that a read can tell whether one met it while it was under way. */
  private changesHeard = 0;
  private readonly recentChanges: { number: number; change: Change }[] = [];
  private day = '';
  /** When the day in China ends, in ms since the epoch. */
  private dayEndsAt = 0;
  private listening = false;
  /** Moves whenever listening starts or stops: a read that began under another feed keeps nothing. */
  private listeningSince = 0;
  /** A round trip on the change feed's connection, while it listens (see `caughtUpSince`). */
  private roundTrip: (() => Promise<unknown>) | null = null;
  /** Round trips sent so far; the number of the newest one that came back. */
  private roundTripsSent = 0;
  private roundTripsBack = 0;
  private inFlight: { number: number; back: Promise<boolean> } | null = null;
  /** The round trip to send when the one in flight is back, shared by every request waiting for it. */
  private nextRoundTrip: Promise<boolean> | null = null;
  /** The tables of the subgraph's schema with columns only shown (see `SHOWN_ONLY_COLUMNS`). */
  private readonly shownTables: readonly string[];
  hits = 0;
  misses = 0;
  /** Answers forgotten because a change met them. */
  forgotten = 0;

  /**
   * Keeps at most `maxEntries` answers, and with `size` (an answer's size in bytes) at most
   * `maxBytes` of them, their places in the indexes counted too; the least recently used go first.
   */
  constructor(
    maxEntries: number,
    bounds?: { maxBytes: number; size: (value: unknown) => number },
    /**
     * The schema a subgraph's own statements read: a read that declares no schemas was read from it
     * alone, so the changes of another schema whose channel the feed also hears (for the lookups
     * in that subgraph a read declares, see `Dependencies.schemas`) leave it standing.
     */
    private readonly ownSchema: string | null = null,
  ) {
    this.shownTables = ownSchema ? tablesWithShownOnlyColumns(ownSchema) : [];
    if (maxEntries <= 0) {
      this.entries = null;
      return;
    }
    // An entry costs its value and its place in the indexes: every region prefix and record it is filed under.
    const bySize = bounds && { maxSize: bounds.maxBytes, sizeCalculation: (entry: Entry) => Math.max(1, bounds.size(entry.value) + indexBytes(entry.groups)) };
    this.entries = new LRUCache<string, Entry>({ max: maxEntries, ...bySize, dispose: (entry, key) => this.unindex(key, entry) });
  }

  get enabled(): boolean {
    return this.entries !== null;
  }

  /** Whether answers are being kept now: enabled, and the change channel is listened to. */
  get active(): boolean {
    return this.entries !== null && this.listening;
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }

  /** Round trips made to PostgreSQL so that kept answers could be served (see `caughtUpSince`). */
  get roundTrips(): number {
    return this.roundTripsSent;
  }

  /** Forgets every answer: something this subgraph reads has changed, or may have. */
  invalidate(): void {
    this.changed(EVERYTHING);
  }

  /** Forgets the answers a change meets (see the class comment). */
  changed(change: Change): void {
    this.changesHeard += 1;
    this.recentChanges.push({ number: this.changesHeard, change });
    if (this.recentChanges.length > RECENT_CHANGES) this.recentChanges.shift();
    const entries = this.entries;
    if (!entries || entries.size === 0) return;
    if (change.everything && (change.schema === undefined || this.bound === 0)) {
      this.forgotten += entries.size;
      entries.clear();
      return;
    }
    // The indexes name the answers a change may meet; each is then asked group by group. They are
    // walked as they are, without gathering the keys first: a forgotten answer leaves them as it
    // goes (JavaScript's sets and maps allow it while walked), and one named twice is asked twice.
    const forgetIfMet = (key: string) => {
      const entry = entries.peek(key);
      if (!entry || !entry.groups.some((group) => meets(group, change))) return;
      this.forgotten += 1;
      entries.delete(key);
    };
    if (change.everything) {
      for (const key of [...entries.keys()]) forgetIfMet(key);
      return;
    }
    for (const key of this.onAnything) forgetIfMet(key);
    for (const [prefix, keys] of this.byPrefix) {
      if (change.regions.some((region) => related(region, prefix))) for (const key of keys) forgetIfMet(key);
    }
    for (const record of change.records) for (const key of this.byRecord.get(record) ?? []) forgetIfMet(key);
  }

  /** Whether a change heard after the `since`-th one meets an answer read from these groups; true when that is no longer known. */
  private metSince(since: number, groups: readonly Group[]): boolean {
    if (since === this.changesHeard) return false;
    const oldest = this.recentChanges[0]?.number ?? Infinity;
    if (since + 1 < oldest) return true;
    return this.recentChanges.some(({ number, change }) => number > since && groups.some((group) => meets(group, change)));
  }

  private index(key: string, entry: Entry): void {
    this.reindex(key, entry, true);
  }

  private unindex(key: string, entry: Entry): void {
    this.reindex(key, entry, false);
  }

  /** Files an entry's key under every region prefix and record of its groups (`adding`), or takes it out. */
  private reindex(key: string, entry: Entry, adding: boolean): void {
    const file = adding ? addTo : removeFrom;
    if (entry.groups.every(isBound)) this.bound += adding ? 1 : -1;
    for (const group of entry.groups) {
      if (group.prefixes === null) {
        if (adding) this.onAnything.add(key);
        else this.onAnything.delete(key);
        continue;
      }
      for (const prefix of group.prefixes) file(this.byPrefix, prefix, key);
      for (const record of group.records) file(this.byRecord, record, key);
    }
  }

  /**
   * Waits until every change committed so far has been heard, and the answers it met forgotten:
   * called when a write of this process has committed, before its mutation answers. Forgets
   * everything when the change feed cannot be asked.
   */
  async heardUpToNow(): Promise<void> {
    if (!this.entries) return;
    if (!this.listening || !(await this.sendRoundTrip())) this.invalidate();
  }

  /**
   * Called by the change feed: answers may be kept only while changes can be heard. `roundTrip`
   * sends a statement on the listening connection and settles once its answer is back.
   */
  setListening(listening: true, roundTrip: () => Promise<unknown>): void;
  setListening(listening: false): void;
  setListening(listening: boolean, roundTrip?: () => Promise<unknown>): void {
    this.listening = listening;
    this.listeningSince += 1;
    this.roundTrip = listening ? (roundTrip ?? null) : null;
    this.invalidate();
  }

  /**
   * Settles with true once a round trip sent after `mark` (the count of round trips sent when the
   * request arrived) is back: every change committed before then has been heard. False when there
   * is no feed to ask or the round trip failed; the request then reads PostgreSQL.
   */
  private caughtUpSince(mark: number): Promise<boolean> {
    if (this.roundTripsBack > mark) return Promise.resolve(true);
    if (this.inFlight && this.inFlight.number > mark) return this.inFlight.back;
    if (!this.nextRoundTrip) {
      const previous = this.inFlight?.back ?? Promise.resolve(true);
      this.nextRoundTrip = previous.then(() => {
        this.nextRoundTrip = null;
        return this.sendRoundTrip();
      });
    }
    return this.nextRoundTrip;
  }

  private sendRoundTrip(): Promise<boolean> {
    const roundTrip = this.roundTrip;
    if (!roundTrip) return Promise.resolve(false);
    const number = ++this.roundTripsSent;
    const back = roundTrip().then(
      () => {
        this.roundTripsBack = Math.max(this.roundTripsBack, number);
        return true;
      },
      () => false,
    );
    const inFlight = { number, back };
    this.inFlight = inFlight;
    void back.then(() => {
      if (this.inFlight === inFlight) this.inFlight = null;
    });
    return back;
  }

  /** Today in China; a new day forgets everything kept on the one before. */
  private today(): string {
    const now = Date.now();
    if (now >= this.dayEndsAt) {
      const day = todayInChina(new Date(now));
      if (this.day && day !== this.day) this.invalidate();
      this.day = day;
      this.dayEndsAt = (Math.floor((now + CHINA_OFFSET_MS) / DAY_MS) + 1) * DAY_MS - CHINA_OFFSET_MS;
    }
    return this.day;
  }

  /**
   * The cache as one request sees it; call it when the request arrives. What each read declares it
   * depends on is added to `sources`, whether the answer was kept or read afresh.
   */
  forScope(scope: Scope, sources?: AnswerSources): ScopedReads {
    const scopeKey = `${scope.prefix}|${scope.organizationId ?? ''}`;
    const arrivedAfter = this.roundTripsSent;
    let caughtUp: Promise<boolean> | null = null;
    const fresh = () => (caughtUp ??= this.caughtUpSince(arrivedAfter));
    return {
      named:
        (name, dependsOn) =>
        <K extends string, V>(batch: Batch<K, V>) => {
          const cached = this.through(`${name}|${scopeKey}|`, batch, fresh, dependsOn);
          if (!sources) return cached;
          return async (keys: readonly K[]) => {
            if (!dependsOn) {
              const answers = await cached(keys);
              if (answers.some((answer) => !(answer instanceof Error))) sources.add(null);
              return answers;
            }
            // The tables of the whole batch stand for each of its answers: more than one read, never less.
            const { value: answers, tables } = await readingTables(() => declaredRead(() => cached(keys)));
            answers.forEach((answer, index) => {
              if (answer instanceof Error) return;
              const declared = this.withShownRows(dependsOn(keys[index], answer), tables, answer);
              sources.add(declared && (declared.tables || !tables ? declared : { ...declared, tables }));
            });
            return answers;
          };
        },
    };
  }

  /** The mark of a request's arrival, for the `lookup`s it makes later. */
  arrival(): number {
    return this.roundTripsSent;
  }

  /**
   * One answer under `key`, for a cache whose answers are made elsewhere than in a loader's batch
   * (the gateway's whole responses and fetches). A kept answer is served, as in `forScope`, only
   * once every change committed before the request arrived has been heard: call it when the
   * request arrives, or pass the `arrival()` taken then. Otherwise `keep`
   * stores the answer made for the request, unless a change that meets `sources` (null: any
   * change) was heard meanwhile, or the feed or the day changed.
   */
  async lookup(key: string, arrivedAfter = this.roundTripsSent): Promise<{ hit: true; value: unknown } | { hit: false; keep(value: unknown, sources: Sources | null): void }> {
    const entries = this.entries;
    const ignore = { hit: false as const, keep: () => undefined };
    if (!entries || !this.listening) return ignore;
    if (entries.has(key)) {
      if (!(await this.caughtUpSince(arrivedAfter))) return ignore;
      const kept = entries.get(key);
      if (kept) {
        this.hits += 1;
        return { hit: true, value: kept.value };
      }
    }
    this.misses += 1;
    const today = this.today();
    const heard = this.changesHeard;
    const listeningSince = this.listeningSince;
    return {
      hit: false,
      keep: (value, sources) => {
        if (!this.listening || this.listeningSince !== listeningSince || this.today() !== today) return;
        const groups = sources ? sources.map((declared) => groupOf(declared)) : [groupOf(null)];
        if (this.metSince(heard, groups)) return;
        const entry: Entry = { value: deepFreeze(value), groups };
        entries.set(key, entry);
        if (entries.get(key) === entry) this.index(key, entry);
      },
    };
  }

  /**
   * What a loader's answer depends on, naming every row it holds of a table with columns only
   * shown (see `SHOWN_ONLY_COLUMNS`): its ids are added to what the loader declared, so that a
   * change of those columns meets the answer only if it holds the row changed.
   */
  private withShownRows(declared: Dependencies | null, tables: readonly string[] | null, answer: unknown): Dependencies | null {
    if (!declared) return declared;
    const read = declared.tables ?? tables;
    if (read && !read.some((table) => this.shownTables.includes(table))) return { ...declared, rows: true };
    return { ...declared, records: [...(declared.records ?? []), ...shownRowIds(answer)], rows: true };
  }

  private through<K extends string, V>(prefix: string, batch: Batch<K, V>, fresh: () => Promise<boolean>, dependsOn?: DependsOn): Batch<K, V> {
    return async (keys) => {
      const entries = this.entries;
      if (!entries || !this.listening) return batch(keys);
      // Something kept may be served only once every change committed before the request arrived has been heard.
      if (keys.some((key) => entries.has(prefix + key)) && !(await fresh())) return batch(keys);
      const today = this.today();
      const heard = this.changesHeard;
      const listeningSince = this.listeningSince;
      const stillCurrent = () => this.listening && this.listeningSince === listeningSince && this.today() === today;
      const answers = new Array<V>(keys.length);
      const missing: number[] = [];
      keys.forEach((key, index) => {
        const hit = entries.get(prefix + key);
        if (hit) {
          answers[index] = hit.value as V;
          // An answer served from here was read from its tables as surely as one read now.
          noteTables(tablesOf(hit.groups));
        } else missing.push(index);
      });
      this.hits += keys.length - missing.length;
      this.misses += missing.length;
      if (missing.length === 0) return answers;
      const { value: fetched, tables } = await readingTables(() => batch(missing.map((index) => keys[index])));
      const keep = stillCurrent();
      missing.forEach((index, i) => {
        const value = fetched[i];
        answers[index] = value;
        if (!keep || value instanceof Error) return;
        const groups = [groupOf(dependsOn && this.withShownRows(dependsOn(keys[index], value), tables, value), tables, this.ownSchema)];
        if (this.metSince(heard, groups)) return;
        const key = prefix + keys[index];
        const entry: Entry = { value: deepFreeze(value), groups };
        entries.set(key, entry);
        // A key set again replaces its entry, whose disposal unindexed the old one first.
        if (entries.get(key) === entry) this.index(key, entry);
      });
      return answers;
    };
  }
}

/** How many changes are remembered for the reads under way: a read that outlasts them is not kept. */
const RECENT_CHANGES = 256;

/**
 * About what filing an entry costs in memory, per region prefix or record it is filed under: the
 * name in its group, and the key's place in the index's set for that name.
 */
const INDEX_BYTES_PER_NAME = 96;

function indexBytes(groups: readonly Group[]): number {
  let names = 0;
  for (const group of groups) names += (group.prefixes?.length ?? 1) + group.records.length;
  return names * INDEX_BYTES_PER_NAME;
}

/** The tables an answer's groups were read from; null for any. */
function tablesOf(groups: readonly Group[]): string[] | null {
  if (groups.some((group) => group.tables === null)) return null;
  return groups.flatMap((group) => group.tables!);
}

/**
 * What an answer depends on, as its reader declared it (null: anything); `read` the tables the
 * statements that read it named, when it does not say; `ownSchema` the schema of a declaration
 * that names none.
 */
function groupOf(declared: Dependencies | null | undefined, read: string[] | null = null, ownSchema: string | null = null): Group {
  if (!declared) return { prefixes: null, records: [], schemas: null, tables: read, rows: false, facets: null };
  const regions = declared.regions ?? [];
  const schemas = declared.schemas ? [...new Set(declared.schemas)] : ownSchema ? [ownSchema] : null;
  const tables = declared.tables ? [...new Set(declared.tables)] : read;
  // A code that is not a region's cannot be placed in the hierarchy: the answer depends on anything.
  const facets = declared.facets ? facetsOf(declared.facets) : null;
  if (!regions.every(isRegionCode)) return { prefixes: null, records: [], schemas, tables, rows: false, facets };
  return { prefixes: [...new Set(regions.map(regionPrefix))], records: [...new Set(declared.records ?? [])], schemas, tables, rows: declared.rows === true, facets };
}

function addTo(index: Map<string, Set<string>>, name: string, key: string): void {
  let keys = index.get(name);
  if (!keys) index.set(name, (keys = new Set()));
  keys.add(key);
}

function removeFrom(index: Map<string, Set<string>>, name: string, key: string): void {
  const keys = index.get(name);
  if (!keys) return;
  keys.delete(key);
  if (keys.size === 0) index.delete(name);
}

/** Answers are shared between requests: freezing them turns an accidental edit into an error instead of a leak. */
function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value) || ArrayBuffer.isView(value)) return value;
  Object.freeze(value);
  for (const inner of Object.values(value as object)) deepFreeze(inner);
  return value;
}

const cacheOfDataSource = new WeakMap<DataSource, ReadCache>();

/** Binds a cache to the DataSource whose writes must clear it (see `inTransaction`). */
export function attachReadCache(dataSource: DataSource, cache: ReadCache): void {
  cacheOfDataSource.set(dataSource, cache);
}

export function readCacheOf(dataSource: DataSource): ReadCache | undefined {
  return cacheOfDataSource.get(dataSource);
}

/** How often the change feed checks that its connection still carries announcements. */
const HEARTBEAT_MS = 5_000;
/** Marks the feed's statements, so an operator can tell its connection from the pool's in pg_stat_activity. */
const FEED_MARK = '/* sanji change feed */';

/** PostgreSQL refuses connections while it shuts down (or starts up): SQLSTATE 57P03, cannot_connect_now. */
const CANNOT_CONNECT_NOW = '57P03';

/**
 * Listens on a schema's change channel over a connection of its own and tells the cache of every
 * announcement. A connection that fails, or stops answering the heartbeat, switches the cache off
 * until a new one listens again: announcements sent meanwhile would be lost.
 *
 * It also notices when PostgreSQL shuts down politely. A smart shutdown (SIGTERM to the
 * postmaster) lets open sessions run on and ends only when the last one closes, but refuses new
 * connections: the heartbeat tries one, and on that refusal the feed closes its own connection and
 * tells `onServerStopping`, so the service closes its pooled ones too. It then reconnects with
 * backoff, as after any lost connection, and says so (`false`) once the server is back.
 */
export class ChangeFeed {
  private client: Client | null = null;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private retryMs = 250;
  private stopped = false;

  constructor(
    private readonly url: string,
    /** The schema, or schemas, whose changes the cache is told of. */
    private readonly schema: string | readonly string[],
    /** The subgraph's own application name: the feed is part of the service, seen as such in pg_stat_activity. */
    private readonly applicationName: string,
    /** The cache, or caches, told of every change: each keeps answers only while the feed listens. */
    cache: ReadCache | readonly ReadCache[],
    private readonly log: Logger,
    private readonly onServerStopping: (stopping: boolean) => void = () => undefined,
  ) {
    this.caches = [cache].flat();
  }

  private readonly caches: readonly ReadCache[];

  private setListening(listening: false): void;
  private setListening(listening: true, roundTrip: () => Promise<unknown>): void;
  private setListening(listening: boolean, roundTrip?: () => Promise<unknown>): void {
    for (const cache of this.caches) {
      if (listening) cache.setListening(true, roundTrip!);
      else cache.setListening(false);
    }
  }

  private serverStopping = false;

  private setServerStopping(stopping: boolean): void {
    if (stopping && !this.serverStopping) this.log.warn('PostgreSQL is shutting down: closing this service’s connections');
    this.serverStopping = stopping;
    // Called again on every refused reconnection: connections busy at the first call are idle by now.
    this.onServerStopping(stopping);
  }

  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    const client = this.client;
    this.client = null;
    this.setListening(false);
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.url, application_name: this.applicationName, query_timeout: HEARTBEAT_MS });
    client.on('notification', (message) => {
      const change = parseChange(message.payload, schemaOfChannel(message.channel));
      for (const cache of this.caches) cache.changed(change);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      for (const schema of [this.schema].flat()) await client.query(`${FEED_MARK} LISTEN ${changeChannel(schema)}`);
    } catch (err) {
      if ((err as { code?: string }).code === CANNOT_CONNECT_NOW) this.setServerStopping(true);
      else this.log.warn({ err }, 'cannot listen for changes; reads are not cached until it can');
      await client.end().catch(() => undefined);
      this.retry();
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = 250;
    if (this.serverStopping) this.setServerStopping(false);
    // One statement at a time on the connection (pg queues a second one itself, but no longer wants
    // to be asked to): round trips for requests and writes, and the heartbeat, take turns. A round
    // trip is the mark alone, an empty statement: PostgreSQL still sends the announcements committed
    // before it ahead of its answer, without parsing, planning or running anything.
    let last: Promise<unknown> = Promise.resolve();
    const inTurn = () => {
      const sent = last.then(() => client.query(FEED_MARK));
      last = sent.catch(() => undefined);
      return sent;
    };
    this.setListening(true, inTurn);
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      inTurn().catch((err: unknown) => this.lost(client, err));
      void this.checkAcceptsConnections(client);
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Opens and closes a connection: a server that refuses it as shutting down is waiting for ours to close. */
  private async checkAcceptsConnections(client: Client): Promise<void> {
    const probe = new Client({ connectionString: this.url, application_name: this.applicationName, connectionTimeoutMillis: HEARTBEAT_MS });
    try {
      await probe.connect();
    } catch (err) {
      if ((err as { code?: string }).code !== CANNOT_CONNECT_NOW || this.client !== client) return;
      this.setServerStopping(true);
      this.lost(client, err);
    } finally {
      await probe.end().catch(() => undefined);
    }
  }

  private lost(client: Client, err?: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    clearInterval(this.heartbeat);
    this.setListening(false);
    if (this.stopped) return;
    this.log.warn({ err }, 'lost the change feed; reads are not cached until it is back');
    client.end().catch(() => undefined);
    this.retry();
  }

  private retry(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), this.retryMs);
    this.timer.unref();
    this.retryMs = Math.min(this.retryMs * 2, 30_000);
  }
}
