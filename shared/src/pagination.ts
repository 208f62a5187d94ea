import { createHash } from 'node:crypto';
import { badUserInput } from './errors';
import { isRegionCode } from './regions';
import { isUuid } from './sql';
import { isCalendarDate, isTimestamp } from './validation';

/**
 * Relay cursor connections with keyset paging: a cursor is the sort key of the last row seen, so a
 * page costs one index range scan however deep it is, and rows inserted meanwhile cause no repeats.
 */

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  totalCount: number;
  pageInfo: PageInfo;
  edges: Edge<T>[];
}

/** Checks `first` against the configured cap; asking for more is an error, not a silent cut. */
export function pageSize(first: number | null | undefined, max: number): number {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 1 || size > max) {
    throw badUserInput(`first must be between 1 and ${max}.`, 'first');
  }
  return size;
}

/** What one part of a sort key may be; a cursor whose part is anything else was not made here. */
export type CursorPart = 'text' | 'uuid' | 'region' | 'date' | 'timestamp' | 'integer' | 'year';

const PART_CHECKS: Record<CursorPart, (part: string) => boolean> = {
  text: (part) => part.length <= 1000,
  uuid: isUuid,
  region: isRegionCode,
  date: isCalendarDate,
  timestamp: isTimestamp,
  integer: (part) => /^\d{1,18}$/.test(part),
  year: (part) => /^\d{4}$/.test(part),
};

/** JSON with sorted keys and without absent values, so equal filters give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export interface CursorCodec {
  encode(key: readonly string[]): string;
  /** The sort key of an `after` cursor made by this same list, or BAD_USER_INPUT naming `after`. */
  decode(cursor: string): string[];
}

/**
 * The one cursor format of every connection: the sort key of the last row seen, behind a tag of
 * the list it came from and what that list was filtered by (its region, its year, ...). A cursor
 * of another list, or of the same list under another filter, is refused rather than quietly
 * starting somewhere unrelated; each part of the key is checked for its kind before it reaches SQL.
 */
export function cursorCodec(list: string, parts: readonly CursorPart[], binding: unknown = null): CursorCodec {
  const tag = createHash('sha256').update(`${list}\u0000${canonicalJson(binding)}`).digest('base64url').slice(0, 12);
  return {
    encode: (key) => Buffer.from(JSON.stringify([tag, ...key]), 'utf8').toString('base64url'),
    decode: (cursor) => {
      let decoded: unknown;
      try {
        decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        decoded = undefined;
      }
      const valid =
        Array.isArray(decoded) &&
        decoded.length === parts.length + 1 &&
        decoded.every((part) => typeof part === 'string') &&
        decoded[0] === tag &&
        parts.every((kind, i) => PART_CHECKS[kind](decoded[i + 1]));
      if (!valid) throw badUserInput('after is not a cursor of this list: pass the endCursor of the previous page of the same query.', 'after');
      return (decoded as string[]).slice(1);
    },
  };
}

/**
 * Builds a connection from up to `size + 1` rows fetched after the cursor: the extra row only
 * tells whether another page follows.
 */
export function toConnection<T>(
  rows: readonly T[],
  size: number,
  totalCount: number,
  sortKey: (row: T) => readonly string[],
  afterGiven: boolean,
  cursors: CursorCodec,
): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ cursor: cursors.encode(sortKey(node)), node }));
  return {
    totalCount,
    edges,
    pageInfo: {
      hasNextPage: rows.length > size,
      hasPreviousPage: afterGiven,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
