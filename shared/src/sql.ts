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

/** The tier's region test on a `region_code` column, as an index range scan. */
export function regionScopeSql(params: SqlParams, column: string, scope: Scope): string {
  return `(${column} >= ${params.add(scope.from)} AND ${column} < ${params.add(scope.to)})`;
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
