import { isRegionCode, prefixRange, regionPrefix } from './regions';
import type { Scope } from './viewer';

/**
 * Collects positional parameters while a statement is assembled, so every value reaches
 * PostgreSQL as a bound parameter and never as SQL text.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The tier's region test on a `region_code` column, as an index range scan.
 *
 * A province's (or the whole country's) range is written into the statement as constants; every
 * narrower tier's is a bound parameter the planner does not see (`unseenValue`). Statements are
 * prepared once per connection and keep one generic plan (`plan_cache_mode=auto`, see
 * `PreparingClient`). A generic plan cannot see the range's width: one that suits a county's
 * range read whole indexes for the province's, so the province's statements carry their range
 * and get plans of their own. There are few such ranges (one per province), so the statements
 * each connection keeps stay few; the codes come from `prefixRange`, never from a caller's text.
 */
export function regionScopeSql(params: SqlParams, column: string, scope: Scope): string {
  return regionRangeSql(params, column, scope);
}

/**
 * A region's subtree on a `region_code` column, `from <= code < to` (from `prefixRange`): a
 * province's as constants, a narrower one as parameters the planner does not see.
 *
 * Why unseen: on a large dataset a plan made for one city's or county's values always looked
 * cheaper than the generic plan's guess, so PostgreSQL planned such a statement again on every
 * call (0.2–0.5 ms each, more than most of them take to run). With the values out of sight every
 * plan makes the same guess, and the generic plan is kept; a city's and a county's ranges are
 * both narrow enough for the plan that guess gives.
 */
export function regionRangeSql(params: SqlParams, column: string, range: RegionRange): string {
  if (writtenAsConstants(range)) return `(${column} >= '${range.from}' AND ${column} < '${range.to}')`;
  return `(${column} >= ${unseenValue(params, range.from, 'char(6)')} AND ${column} < ${unseenValue(params, range.to, 'char(6)')})`;
}

/** A region subtree's code range: `from <= code < to`, from `prefixRange(prefix)`. */
export interface RegionRange {
  prefix: string;
  from: string;
  to: string;
}

/** Whether `regionRangeSql` writes the range into the statement, which the planner then sees: a province's, or the country's. */
export function writtenAsConstants(range: RegionRange): boolean {
  return range.prefix.length <= 2 && isRegionCode(range.from) && isRegionCode(range.to);
}

/** The subtree of the region `regionCode` names (a query's region, not the caller's). */
export function regionSubtree(regionCode: string): RegionRange {
  const prefix = regionPrefix(regionCode);
  return { prefix, ...prefixRange(prefix) };
}

/** The subtree of the region `regionCode` names, as `regionRangeSql`. */
export function regionSubtreeSql(params: SqlParams, column: string, regionCode: string): string {
  return regionRangeSql(params, column, regionSubtree(regionCode));
}

/** A parameter whose value the planner does not see: `(SELECT $n::type)`, evaluated once per execution. */
export function unseenValue(params: SqlParams, value: unknown, type: string): string {
  return `(SELECT ${params.add(value)}::${type})`;
}

/**
 * An array parameter whose length the planner does not see: `((SELECT $n::type)::type)`, for
 * `unnest` and `= ANY`.
 *
 * PostgreSQL plans a named statement's first five calls for their values, then keeps its generic
 * plan only if that costs no more than theirs did. An array's length moves those costs: a region
 * page asks for one code, and a plan made for one code always looked cheaper than the generic
 * plan's guess of ten, so the statement was planned again on every call. Behind a sub-select the
 * length is unknown to every plan alike, the costs agree, and the generic plan is kept. Only for
 * arrays whose length does not change which plan is best (a few codes, each an index probe).
 */
export function unseenArray(params: SqlParams, values: readonly unknown[], type: string): string {
  return `(${unseenValue(params, values, type)}::${type})`;
}

/**
 * An aggregate of `expression`'s values as one comma-separated text, read back with `listOf` or
 * `numbersOf`; only for values whose text never holds a comma (integers, codes, enum names).
 *
 * The counters' few values per region travel this way because it is the cheapest shape for
 * PostgreSQL to build: `json_agg` converts and escapes each element on its way in and cost the
 * dashboard's statements about a third of their execution (commendations 0.19 → 0.12 ms), and a
 * PostgreSQL array is parsed in JavaScript character by character. Several of these aggregates
 * over the same rows list them in the same order.
 */
export function listSql(expression: string): string {
  return `string_agg((${expression})::text, ',')`;
}

/** The values a `listSql` aggregate listed; none for the NULL of an aggregate over no rows. */
export function listOf<T extends string = string>(list: string | null): T[] {
  return list === null || list === '' ? [] : (list.split(',') as T[]);
}

/** The integers a `listSql` aggregate listed. */
export function numbersOf(list: string | null): number[] {
  return listOf(list).map(Number);
}

/** Escapes LIKE wildcards so user text is matched literally. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else cannot name a record, so it is treated as missing. */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
