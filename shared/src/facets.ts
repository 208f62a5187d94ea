import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What a row is about besides its region: the year it counts in, the kind of activity it is. A
 * year's figures are read from that year's rows only, and a list of guidance visits from visits
 * only; a change that touched rows of other years and kinds alone cannot alter them.
 */
export const FACETS = ['year', 'activityKind'] as const;
export type Facet = (typeof FACETS)[number];

/** Where a table keeps a facet: its column, and the leading characters that hold the value (4: the year of a date). */
interface FacetColumn {
  column: string;
  length?: number;
}

/**
 * The tables whose changes are announced with the values of their facets, per subgraph schema
 * (see `announceChanges`): every row a statement touched, before and after, gives its value. A
 * table not listed announces none, and its changes meet an answer whatever facets it declared.
 *
 * A facet belongs to a table only if the column means the same thing as every read that declares
 * the facet assumes: `year` the year whose figures the row counts in, `activityKind` the kind of
 * activity the row is about.
 */
export const FACET_COLUMNS: Readonly<Record<string, Readonly<Record<string, Readonly<Partial<Record<Facet, FacetColumn>>>>>>> = {
  activities: {
    activity: { year: { column: 'held_on', length: 4 }, activityKind: { column: 'kind' } },
    activity_region_stats: { year: { column: 'year' }, activityKind: { column: 'kind' } },
    organizational_life_line: { year: { column: 'year' }, activityKind: { column: 'kind' } },
    organizational_life_region_stats: { year: { column: 'year' }, activityKind: { column: 'kind' } },
  },
};

/**
 * The facet values an answer was read from: every row it read of a table that announces the facet
 * (see `FACET_COLUMNS`) has one of the values listed. A facet not named: any value.
 */
export type Facets = Readonly<Partial<Record<Facet, readonly string[]>>>;

/** Whether a change that touched rows of `changed` facet values (undefined: unknown) can meet an answer read from `read` only. */
export function facetsMeet(read: Facets | null | undefined, changed: Facets | undefined): boolean {
  if (!read || !changed) return true;
  for (const facet of Object.keys(read) as Facet[]) {
    const values = changed[facet];
    if (values && !values.some((value) => read[facet]!.includes(value))) return false;
  }
  return true;
}

/** Facets as they are told on the wire and in announcements: an object of string lists, or nothing worth keeping. */
export function facetsOf(value: unknown): Facets | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const facets: Partial<Record<Facet, string[]>> = {};
  for (const [facet, values] of Object.entries(value)) {
    if (!(FACETS as readonly string[]).includes(facet)) continue;
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) return null;
    facets[facet as Facet] = [...new Set(values as string[])].sort();
  }
  return Object.keys(facets).length > 0 ? facets : null;
}

/** The same facets always name the same group: their facets and values sorted. */
export function facetsKey(facets: Facets | null | undefined): string {
  if (!facets) return '*';
  return (Object.keys(facets) as Facet[])
    .sort()
    .map((facet) => `${facet}=${[...facets[facet]!].sort().join('|')}`)
    .join(';');
}

/** The facets a resolver's own statements are confined to (see `readingFacets`). */
const confined = new AsyncLocalStorage<Facets>();

/**
 * Runs `work`, whose statements (sent outside any loader that declares its reads) read rows of
 * these facet values only from the tables that announce them: a resolver reading one year's
 * work list says so, and the answer is then not forgotten by another year's changes.
 */
export function readingFacets<T>(facets: Facets, work: () => T): T {
  return confined.run(facets, work);
}

/** The facets the statements now being sent are confined to, or null. */
export function currentFacets(): Facets | null {
  return confined.getStore() ?? null;
}
