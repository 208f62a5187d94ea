import type { DataSource } from 'typeorm';
import { noteStatement, unattributed } from './answer-sources';
import { tablesReadBy } from './database';

/**
 * Statements that loaders send at the same moment, sent to PostgreSQL as one.
 *
 * DataLoader batches the keys of one loader; a request that needs two loaders of a subgraph at
 * once (a dashboard's member counters for its regions and the heads of its stations) still sends
 * a statement for each. Those sent through `combinedQuery` in the same turn of the event loop, by
 * one request's loaders or by requests answered side by side, travel as one statement, one round
 * trip and one pooled connection, each part in a subquery whose rows come back as JSON:
 *
 *   SELECT (SELECT coalesce(json_agg(p), '[]') FROM (<first>) p) AS "0",
 *          (SELECT coalesce(json_agg(p), '[]') FROM (<second>) p) AS "1"
 *
 * Each part keeps its own caller's scope (it is in its SQL) and its own reads: what each part
 * reads is noted in the context of the loader that sent it (see `noteStatement`), so an answer
 * depends on its own part's tables, not on its neighbour's. A part's rows keep their order (a
 * subquery with ORDER BY is never flattened into the aggregate over it).
 *
 * Only for statements whose columns read the same through JSON as from the driver: text, uuid,
 * integers cast to int, booleans, dates (kept as text, see `pg-types`), json, and arrays of those.
 * Not bigint or numeric (strings from the driver, numbers in JSON) and not timestamps (their text
 * differs). When the combined statement fails, each part is sent again alone, so that a part's
 * error reaches its own caller only.
 */
export function combinedQuery<T>(dataSource: DataSource, text: string, values: readonly unknown[]): Promise<T[]> {
  let combiner = combiners.get(dataSource);
  if (!combiner) combiners.set(dataSource, (combiner = new Combiner(dataSource)));
  return combiner.query<T>(text, values);
}

interface Part {
  text: string;
  values: readonly unknown[];
  /** Told the part's rows, in the context of the loader that sent it. */
  noteRows: (rows: unknown) => void;
  resolve: (rows: never[]) => void;
  reject: (error: unknown) => void;
}

const combiners = new WeakMap<DataSource, Combiner>();

class Combiner {
  private waiting: Part[] = [];

  constructor(private readonly dataSource: DataSource) {}

  query<T>(text: string, values: readonly unknown[]): Promise<T[]> {
    // Noted now, while the sender's context is current; the statement itself is sent outside it.
    const noteRows = noteStatement(tablesReadBy(this.dataSource, text));
    return new Promise<T[]>((resolve, reject) => {
      this.waiting.push({ text, values, noteRows, resolve: resolve as (rows: never[]) => void, reject });
      // Loaders dispatch their batches in the turn their keys were asked in: what is waiting by
      // the end of it is what can travel together.
      if (this.waiting.length === 1) setImmediate(() => void unattributed(() => this.send()));
    });
  }

  private async send(): Promise<void> {
    // The same parts in the same order make the same text, which each connection prepares once.
    const parts = this.waiting.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
    this.waiting = [];
    if (parts.length > 1) {
      const combined = combine(parts);
      try {
        const [row]: Record<string, unknown[]>[] = await this.dataSource.query(combined.text, combined.values as unknown[]);
        parts.forEach((part, index) => settle(part, row[String(index)]));
        return;
      } catch {
        // Sent again one by one below, so each part's caller gets its own answer or error.
      }
    }
    await Promise.all(
      parts.map(async (part) => {
        try {
          settle(part, await this.dataSource.query(part.text, part.values as unknown[]));
        } catch (error) {
          part.reject(error);
        }
      }),
    );
  }
}

function settle(part: Part, rows: unknown[]): void {
  part.noteRows(rows);
  part.resolve(rows as never[]);
}

function combine(parts: readonly Part[]): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const columns = parts.map((part, index) => {
    const text = renumberPlaceholders(part.text, values.length);
    values.push(...part.values);
    return `(SELECT coalesce(json_agg(p), '[]'::json) FROM (${text}) p) AS "${index}"`;
  });
  return { text: `SELECT ${columns.join(',\n       ')}`, values };
}

/**
 * `text` with every placeholder `$n` made `$(n + offset)`, leaving alone what only looks like one:
 * inside string literals, quoted names, comments and dollar-quoted text.
 */
export function renumberPlaceholders(text: string, offset: number): string {
  if (offset === 0) return text;
  const special = /['"]|--|\/\*|\$/g;
  let out = '';
  let copied = 0;
  let match: RegExpExecArray | null;
  while ((match = special.exec(text)) !== null) {
    const at = match.index;
    const token = match[0];
    let resume: number;
    if (token === "'" || token === '"') {
      // A doubled quote inside is part of the literal or the name.
      resume = at + 1;
      for (;;) {
        const close = text.indexOf(token, resume);
        if (close < 0) return out + text.slice(copied);
        resume = close + 1;
        if (text[resume] !== token) break;
        resume += 1;
      }
    } else if (token === '--') {
      const end = text.indexOf('\n', at);
      if (end < 0) break;
      resume = end;
    } else if (token === '/*') {
      const end = text.indexOf('*/', at + 2);
      if (end < 0) break;
      resume = end + 2;
    } else if (/[A-Za-z0-9_]/.test(text[at - 1] ?? '')) {
      // `$` inside a name (PostgreSQL allows it after the first letter).
      resume = at + 1;
    } else {
      const placeholder = /^\$([0-9]+)/.exec(text.slice(at, at + 12));
      if (placeholder) {
        out += text.slice(copied, at) + `$${Number(placeholder[1]) + offset}`;
        copied = resume = at + placeholder[0].length;
      } else {
        const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(at, at + 64));
        const end = tag ? text.indexOf(tag[0], at + tag[0].length) : -1;
        if (tag && end < 0) break;
        resume = tag ? end + tag[0].length : at + 1;
      }
    }
    special.lastIndex = resume;
  }
  return out + text.slice(copied);
}
