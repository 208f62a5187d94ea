import { badUserInput } from './errors';

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

export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes an `after` cursor into a sort key of `arity` strings. */
export function decodeCursor(cursor: string, arity: number): string[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== arity || !key.every((part) => typeof part === 'string')) {
    throw badUserInput('after is not a cursor this field produced.', 'after');
  }
  return key as string[];
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
): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ cursor: encodeCursor(sortKey(node)), node }));
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
