import type { EntityManager } from 'typeorm';
import { writeAudits, type AuditRecord } from './audit';
import { badUserInput, isClientError } from './errors';
import type { Caller } from './viewer';

/** The most rows one import takes: a county's largest ledger, with room to spare. */
export const MAX_IMPORT_ROWS = 5000;

/** The most row errors one report lists (`LIST_LIMITS['ImportReport.errors']`). */
export const MAX_IMPORT_ERRORS = 5000;

export interface ImportRowError {
  row: number;
  field: string | null;
  code: string;
  message: string;
}

export interface ImportReport {
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: ImportRowError[];
}

/** What a row does to its record once every rule holds. */
export type RowOutcome = 'created' | 'updated' | 'unchanged';

export function requireImportSize(rows: readonly unknown[]): void {
  if (rows.length === 0) throw badUserInput('rows is empty: an import needs at least one row.', 'rows');
  if (rows.length > MAX_IMPORT_ROWS) {
    throw badUserInput(`rows has ${rows.length} rows; at most ${MAX_IMPORT_ROWS} are imported at once: split the file.`, 'rows');
  }
}

/**
 * The row errors of an import. A rule is checked the way its mutation checks it, by calling the
 * same code: what that code throws as a client error (BAD_USER_INPUT, NOT_FOUND, FORBIDDEN,
 * CONFLICT) becomes the row's error, with the field the error names; anything else (a database
 * or network failure) fails the import as it would fail the mutation.
 */
export class RowErrors {
  readonly list: ImportRowError[] = [];
  private readonly failed = new Set<number>();

  /**
   * Runs one check of row `index` (from 0); its result, or undefined when it failed. `field` names
   * the field at fault when the error does not (a CONFLICT names none).
   */
  check<T>(index: number, rule: () => T, field?: string): T | undefined {
    try {
      return rule();
    } catch (err) {
      this.add(index, err, field);
      return undefined;
    }
  }

  add(index: number, err: unknown, fallbackField?: string): void {
    if (!isClientError(err)) throw err;
    const { code, field } = (err as { extensions: { code: string; field?: string } }).extensions;
    this.failed.add(index);
    if (this.list.length < MAX_IMPORT_ERRORS) {
      this.list.push({ row: index + 1, field: field ?? fallbackField ?? null, code, message: (err as Error).message });
    }
  }

  has(index: number): boolean {
    return this.failed.has(index);
  }

  get any(): boolean {
    return this.failed.size > 0;
  }

  /** A later row repeating an earlier row's key is an error of the later row. */
  duplicates<R>(rows: readonly R[], keyOf: (row: R) => string | null, field: string, what: string): void {
    const first = new Map<string, number>();
    rows.forEach((row, index) => {
      const key = keyOf(row);
      if (key === null) return;
      const earlier = first.get(key);
      if (earlier === undefined) first.set(key, index);
      else this.add(index, badUserInput(`${what} repeats row ${earlier + 1}.`, field));
    });
  }
}

/** The report of an import whose rows have been checked: errors mean nothing is applied. */
export function reportOf(dryRun: boolean, outcomes: readonly (RowOutcome | undefined)[], errors: RowErrors): ImportReport {
  const count = (outcome: RowOutcome) => outcomes.filter((o) => o === outcome).length;
  return {
    dryRun,
    rows: outcomes.length,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    errors: errors.list,
  };
}

/**
 * The audit rows of an applied import: one per record written, and one for the import itself,
 * which names the request and what the import did.
 */
export async function writeImportAudit(m: EntityManager, caller: Caller, action: string, records: readonly AuditRecord[], report: ImportReport): Promise<void> {
  const { dryRun: _dryRun, errors: _errors, ...counts } = report;
  await writeAudits(m, caller, [
    ...records,
    { action, entity: 'Import', entityId: caller.requestId, regionCode: caller.viewer.regionCode, after: counts },
  ]);
}

/** Values of a batch, once each, for a lookup by natural key. */
export function distinct<T>(values: readonly (T | null | undefined)[]): T[] {
  return [...new Set(values.filter((v): v is T => v !== null && v !== undefined))];
}
