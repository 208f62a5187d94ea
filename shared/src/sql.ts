import { isRegionCode } from './regions';
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
 * narrower tier's is a bound parameter. Statements are prepared once per connection and planned
 * once where PostgreSQL finds the generic plan as cheap (`plan_cache_mode=auto`, see
 * `PreparingClient`). A generic plan cannot see the range's width: one that suits a county's
 * range read whole indexes for the province's, so the province's statements carry their range
 * and get plans of their own. There are few such ranges (one per province), so the statements
 * each connection keeps stay few; the codes come from `prefixRange`, never from a caller's text.
 */
export function regionScopeSql(params: SqlParams, column: string, scope: Scope): string {
  if (scope.prefix.length <= 2 && isRegionCode(scope.from) && isRegionCode(scope.to)) {
    return `(${column} >= '${scope.from}' AND ${column} < '${scope.to}')`;
  }
  return `(${column} >= ${params.add(scope.from)} AND ${column} < ${params.add(scope.to)})`;
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
  return `((SELECT ${params.add(values)}::${type})::${type})`;
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
