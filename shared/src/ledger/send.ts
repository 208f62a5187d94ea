import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../config';
import { MAX_IMPORT_ROWS } from '../import';
import { LEDGERS, type LedgerKind } from './columns';
import type { Ledger } from './read';

/** A row error of the whole file, by the file's own row number and column header. */
export interface FileRowError {
  line: number;
  /** The column's Chinese header, or null when the row as a whole is at fault. */
  column: string | null;
  code: string;
  message: string;
}

export interface FileReport {
  /** Whether the file was written. */
  applied: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: FileRowError[];
}

export interface SendOptions {
  url: string;
  token: string;
  apply: boolean;
  /** Rows per request of a dry run; an applied file goes in one request, so it is one transaction. */
  batchSize?: number;
  onProgress?: (rowsDone: number) => void;
}

/** The error of a request the gateway refused as a whole, with its code. */
export class ImportRefused extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const OPERATION: Record<LedgerKind, string> = { institutions: 'ImportInstitutions', organizations: 'ImportPartyOrganizations', members: 'ImportMembers' };

interface Report {
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: { row: number; field: string | null; code: string; message: string }[];
}

/**
 * Sends a ledger's rows to its import mutation, as the contract operation (so a safelisted
 * gateway takes it): a dry run in batches, or the whole file in one request when applied.
 */
export async function sendLedger(ledger: Ledger, options: SendOptions): Promise<FileReport> {
  if (options.apply && ledger.rows.length > MAX_IMPORT_ROWS) {
    throw new ImportRefused(`the file has ${ledger.rows.length} rows; at most ${MAX_IMPORT_ROWS} are applied at once: split it.`, 'BAD_USER_INPUT');
  }
  const { mutation, columns } = LEDGERS[ledger.kind];
  const document = readFileSync(join(PROJECT_ROOT, 'contract', `${OPERATION[ledger.kind]}.graphql`), 'utf8');
  const headerOf = new Map(columns.map((c) => [c.field, c.header]));
  const size = options.apply ? Math.max(ledger.rows.length, 1) : (options.batchSize ?? 1000);
  const total: FileReport = { applied: options.apply, rows: 0, created: 0, updated: 0, unchanged: 0, errors: [] };

  for (let start = 0; start < ledger.rows.length; start += size) {
    const batch = ledger.rows.slice(start, start + size);
    const report = await request<Report>(options, document, mutation, { rows: batch.map((r) => r.input), dryRun: !options.apply });
    total.rows += report.rows;
    total.created += report.created;
    total.updated += report.updated;
    total.unchanged += report.unchanged;
    for (const error of report.errors) {
      total.errors.push({ line: batch[error.row - 1].line, column: error.field ? (headerOf.get(error.field) ?? error.field) : null, code: error.code, message: error.message });
    }
    options.onProgress?.(start + batch.length);
  }
  total.applied = options.apply && total.errors.length === 0;
  return total;
}

async function request<T>(options: SendOptions, query: string, field: string, variables: Record<string, unknown>): Promise<T> {
  let response: Response;
  try {
    response = await fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
      body: JSON.stringify({ query, variables }),
    });
  } catch (err) {
    throw new ImportRefused(`the gateway at ${options.url} cannot be reached (${(err as Error).message}).`, 'UNREACHABLE');
  }
  const text = await response.text();
  let body: { data?: Record<string, T> | null; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new ImportRefused(`the gateway answered ${response.status} without a GraphQL answer.`, `HTTP_${response.status}`);
  }
  if (body.errors?.length || !body.data?.[field]) {
    const error = body.errors?.[0];
    throw new ImportRefused(error?.message ?? `the gateway answered ${response.status}.`, error?.extensions?.code ?? `HTTP_${response.status}`);
  }
  return body.data[field];
}

/** The report as a person reads it: counts, then a table of the rows with errors. */
export function formatReport(report: FileReport, ledger: Ledger): string {
  const lines: string[] = [];
  const fine = report.rows - new Set(report.errors.map((e) => e.line)).size;
  const mode = report.applied ? 'written' : report.errors.length > 0 ? 'nothing written' : 'dry run, nothing written (add --apply to write)';
  lines.push(`${LEDGERS[ledger.kind].title}: ${report.rows} rows, ${fine} fine — ${report.created} new, ${report.updated} changed, ${report.unchanged} unchanged (${mode}).`);
  if (report.errors.length > 0) {
    lines.push(`${new Set(report.errors.map((e) => e.line)).size} rows with errors:`);
    lines.push(table(['row', 'column', 'code', 'message'], report.errors.map((e) => [String(e.line), e.column ?? '', e.code, e.message])));
  }
  return lines.join('\n');
}

/** Cell problems found while reading, before anything was sent. */
export function formatProblems(ledger: Ledger): string {
  return table(['row', 'column', 'message'], ledger.problems.map((p) => [String(p.line), p.column, p.message]));
}

/** A plain-text table; Chinese characters take two columns of a terminal. */
export function table(headings: string[], rows: string[][]): string {
  const width = (text: string) => [...text].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
  const widths = headings.map((h, i) => Math.max(width(h), ...rows.map((r) => (i === headings.length - 1 ? 0 : width(r[i])))));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat(widths[i] - width(cell)))).join('  ').trimEnd();
  return [line(headings), line(widths.map((w, i) => '-'.repeat(i === headings.length - 1 ? Math.max(width(headings[i]), 7) : w))), ...rows.map(line)].join('\n');
}
