import { AsyncLocalStorage } from 'node:async_hooks';
import { currentFacets, facetsKey, facetsOf, type Facets } from './facets';
import { shownRowIds, tablesWithShownOnlyColumns } from './shown-columns';
import type { Scope } from './viewer';

/**
 * What a cached answer was read from: the regions whose rows (and whose ancestors' rows) it counts,
 * and the records it shows or lists the rows referring to. Null when that cannot be told: the
 * answer is then forgotten on any change of its subgraph.
 */
export interface Dependencies {
  /** Region codes (GB/T 2260): the answer depends on every row in each region's subtree. */
  regions?: readonly string[];
  /** Record ids: the answer depends on the rows with that id, and on the rows that refer to it; `tableRecord(name)` for any row of a table. */
  records?: readonly string[];
  /**
   * The schemas whose changes can meet the answer: a subgraph reads only its own schema (its role
   * is granted no other), so what it reads of another subgraph's comes through a lookup that
   * reports its own, or that the reader declares (a lookup of whether the caller sees another
   * subgraph's record: that record, in that subgraph's schema). Absent: any schema's, or for a
   * subgraph's own read, its own.
   */
  schemas?: readonly string[];
  /**
   * The tables the answer was read from (their names within their schemas): a change of any other
   * table, in whatever region, cannot meet it. Absent: any table's. Taken from the statements that
   * read the answer (see `readingTables`), so a reader never has to list them.
   */
  tables?: readonly string[];
  /**
   * True when `records` name every row the answer holds of the tables with columns only shown
   * (see `SHOWN_ONLY_COLUMNS`): a change of those columns alone, which names its rows, meets the
   * answer only if it holds one of them. Absent: such a change meets it as any change does.
   */
  rows?: boolean;
  /**
   * The facet values the answer was read from (see `FACET_COLUMNS`): every row it read of a table
   * that announces a facet has one of the values listed, so a change of rows of other values alone
   * does not meet it. Absent: any values.
   */
  facets?: Facets;
}

/**
 * The response extension in which a subgraph tells whoever asked (the gateway, another subgraph)
 * what its answer was read from, so that a cache of the whole answer can be told which changes
 * meet it. Absent: the subgraph could not tell, and the answer depends on anything.
 */
export const SOURCES_EXTENSION = 'sanjiSources';

/**
 * What a whole answer was read from, as a list of groups: each group's regions and records were
 * read from its schemas and tables only. A change meets the answer when it meets one group: a
 * table of that group's, in a region or record of that group's. Kept apart rather than merged
 * into one, so that a member's profile that shows its institution's region (the region table, in
 * that region) and its activities (the activity table, by record) is not forgotten by every
 * activity recorded in the region. Reads of the same schemas and tables share a group: there,
 * merging their regions and records loses nothing.
 */
export type Sources = readonly Dependencies[];

/** One group of sources as it is gathered: its schemas and tables, null for any. */
interface Group {
  schemas: readonly string[] | null;
  tables: readonly string[] | null;
  facets: Facets | null;
  regions: Set<string>;
  records: Set<string>;
  /** Reads added to the group that did not name every row they hold (see `Dependencies.rows`): while any, the group names none. */
  unnamed: number;
}

/**
 * What one answer was read from, gathered while it is read: the regions and records its reads
 * declared (see `DependsOn`), grouped by the schemas and tables each was read from, and whether
 * any read could not say.
 *
 * Reads through a loader that declares its dependencies add them. Any other statement sent for
 * the request, or a lookup in another subgraph that did not report its own sources, is read
 * within the caller's tier (the tier is in the SQL): the answer then depends on the caller's
 * subtree (its rows, and the province-wide rows above it) and, for a branch, on its own
 * organization's rows. A loader that declares nothing, or a caller with no tier, makes the answer
 * depend on anything.
 */
export class AnswerSources {
  private readonly groups = new Map<string, Group>();
  private anything = false;

  /**
   * `schema`: the schema the reader's own statements read (a subgraph's); null for a reader with
   * none of its own (the gateway), whose every source is another's report.
   */
  constructor(
    private readonly scope: Scope | null,
    private readonly schema: string | null = null,
  ) {}

  /** One of the reader's own reads, which declared what it was read from; null when it could not tell. */
  add(dependencies: Dependencies | null | undefined): void {
    if (!dependencies) {
      this.anything = true;
      return;
    }
    this.addTo(this.group(dependencies.schemas ?? this.ownSchemas(), dependencies.tables ?? null, dependencies.facets ?? null), dependencies);
  }

  /** What another service reported its answer was read from (its `sanjiSources`); null when it reported nothing. */
  addReported(reported: Sources | Dependencies | null | undefined): void {
    if (!reported) {
      this.anything = true;
      return;
    }
    for (const dependencies of [reported].flat()) this.addTo(this.group(dependencies.schemas ?? null, dependencies.tables ?? null, dependencies.facets ?? null), dependencies);
  }

  /**
   * A read that declared nothing, made within the caller's tier: one of the reader's own
   * statements, which read `tables` (null: any) and rows of `facets` only, or a lookup in
   * `anotherSubgraph` that reported nothing.
   */
  addWithinTier(anotherSubgraph = false, tables: readonly string[] | null = null, facets: Facets | null = null): Group | null {
    // A caller of no tier (a service's own lookup) reads across every region.
    if (!this.scope || this.scope.prefix === '') {
      this.anything = true;
      return null;
    }
    const group = anotherSubgraph ? this.group(null, null, null) : this.group(this.ownSchemas(), tables, facets);
    group.regions.add(this.scope.prefix.padEnd(6, '0'));
    if (this.scope.organizationId) group.records.add(this.scope.organizationId);
    // Another subgraph's answer that reported nothing may show rows its records do not name.
    if (anotherSubgraph) group.unnamed += 1;
    return group;
  }

  /** The schema the reader's own statements read. */
  get schemaRead(): string | null {
    return this.schema;
  }

  private ownSchemas(): readonly string[] | null {
    return this.schema ? [this.schema] : null;
  }

  private group(schemas: readonly string[] | null, tables: readonly string[] | null, facets: Facets | null): Group {
    const name = (list: readonly string[] | null) => (list ? [...new Set(list)].sort().join(',') : '*');
    // Reads confined to other facet values stay apart: merged, a group would be confined to neither.
    const key = `${name(schemas)}#${name(tables)}#${facetsKey(facets)}`;
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = { schemas: schemas && [...new Set(schemas)], tables: tables && [...new Set(tables)], facets, regions: new Set(), records: new Set(), unnamed: 0 }));
    return group;
  }

  private addTo(group: Group, dependencies: Dependencies): void {
    for (const region of dependencies.regions ?? []) group.regions.add(region);
    for (const record of dependencies.records ?? []) group.records.add(record);
    if (dependencies.rows !== true) group.unnamed += 1;
  }

  /**
   * Everything added so far, or null when the answer depends on anything. A group that names no
   * region and no record stays: a change of its tables whose extent is unknown (a bulk load) still meets it.
   */
  dependencies(): Dependencies[] | null {
    if (this.anything) return null;
    return [...this.groups.values()].map(({ schemas, tables, facets, regions, records, unnamed }) => ({
      regions: [...regions],
      records: [...records],
      ...(schemas ? { schemas } : {}),
      ...(tables ? { tables } : {}),
      ...(facets ? { facets } : {}),
      ...(unnamed === 0 ? { rows: true } : {}),
    }));
  }
}

/** The sources of the request a piece of code runs for, and whether it runs inside a read that declares its own. */
const current = new AsyncLocalStorage<{ sources: AnswerSources; declared: boolean }>();

/** Runs `work`, and everything it starts, as reads for the answer whose sources these are. */
export function readingFor<T>(sources: AnswerSources, work: () => T): T {
  return current.run({ sources, declared: false }, work);
}

/** Runs a loader's batch whose answers declare their dependencies: its statements add nothing of their own. */
export function declaredRead<T>(work: () => T): T {
  const store = current.getStore();
  return store && !store.declared ? current.run({ sources: store.sources, declared: true }, work) : work();
}

/**
 * The tables read by the statements `work` sends, and by the kept answers it is served (see
 * `noteTables`), whichever loaders it goes through: null when one of them could not say. A read
 * inside another passes what it found on to the outer one too.
 */
export async function readingTables<T>(work: () => Promise<T>): Promise<{ value: T; tables: string[] | null }> {
  const read: TablesRead = { tables: new Set(), any: false };
  const value = await tablesRead.run(read, work);
  const tables = read.any ? null : [...read.tables];
  noteTables(tables);
  return { value, tables };
}

/** The tables one read has touched so far. */
interface TablesRead {
  tables: Set<string>;
  any: boolean;
}

const tablesRead = new AsyncLocalStorage<TablesRead>();

/**
 * Runs `work` as no read of any answer: for a statement whose reads were noted part by part in the
 * readers' own contexts (see `combinedQuery`), so that sending it notes nothing more.
 */
export function unattributed<T>(work: () => T): T {
  return current.exit(() => tablesRead.exit(work));
}

/** Tells the read under way (see `readingTables`) that it was answered from `tables` (null: any table). */
export function noteTables(tables: readonly string[] | null): void {
  const read = tablesRead.getStore();
  if (!read || read.any) return;
  if (!tables) read.any = true;
  else for (const table of tables) read.tables.add(table);
}

/**
 * Called for every statement a subgraph sends, with the tables it names (null when it names
 * something that reads tables it does not name, a view or a function): one outside a declared read
 * is read within the caller's tier.
 */
export function noteStatement(tables: readonly string[] | null = null): (rows: unknown) => void {
  noteTables(tables);
  const store = current.getStore();
  if (!store || store.declared) return ignoreRows;
  const group = store.sources.addWithinTier(false, tables, currentFacets());
  if (!group || !readsShownOnly(store.sources, tables)) return ignoreRows;
  // The statement reads a table with columns only shown: the rows it returns are the rows the
  // answer can show. Until they are named, the group does not say it names them all.
  group.unnamed += 1;
  let named = false;
  return (rows) => {
    if (named) return;
    named = true;
    for (const id of shownRowIds(rows)) group.records.add(id);
    group.unnamed -= 1;
  };
}

const ignoreRows = () => undefined;

/** Whether a read of `tables` (null: any) can read a table of the reader's schema with columns only shown. */
function readsShownOnly(sources: AnswerSources, tables: readonly string[] | null): boolean {
  const shown = tablesWithShownOnlyColumns(sources.schemaRead ?? '');
  return shown.length > 0 && (tables === null || tables.some((table) => shown.includes(table)));
}

/** Called with another subgraph's answer to a lookup: its reported sources, or the caller's tier when it reported none. */
export function noteLookup(extensions: Record<string, unknown> | undefined): void {
  // What another subgraph read is no table of this one's.
  noteTables(null);
  const store = current.getStore();
  if (!store || store.declared) return;
  const reported = extensions?.[SOURCES_EXTENSION];
  if (isSources(reported)) store.sources.addReported(reported);
  else store.sources.addWithinTier(true);
}

/** Whether a value is a well-formed sources report (see `Sources`): a list of groups. */
export function isSources(value: unknown): value is Sources {
  return Array.isArray(value) && value.every(isDependencies);
}

/** Whether a value is a well-formed group of sources: lists of strings. */
export function isDependencies(value: unknown): value is Dependencies {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const { regions, records, schemas, tables, rows, facets } = value as Record<string, unknown>;
  const strings = (list: unknown) => list === undefined || (Array.isArray(list) && list.every((item) => typeof item === 'string'));
  return strings(regions) && strings(records) && strings(schemas) && strings(tables) && (rows === undefined || typeof rows === 'boolean') && (facets === undefined || facetsOf(facets) !== null);
}
