import type { DataSource } from 'typeorm';

export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** A place in a stream of changes: the transaction that made a change, and the record. */
export interface ChangeCursor {
  changedIn: string;
  id: string;
}

/** A cursor as a changes field gives it: `<transaction>.<record>`; none starts at the first change. */
export function decodeChangeCursor(text: string | null): ChangeCursor | null {
  if (text === null) return { changedIn: '0', id: NIL_UUID };
  const match = /^(\d{1,20})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(text);
  // A transaction id is an unsigned 64-bit number.
  return match && BigInt(match[1]) < BigInt('18446744073709551616') ? { changedIn: match[1], id: match[2] } : null;
}

export function encodeChangeCursor(cursor: ChangeCursor): string {
  return `${cursor.changedIn}.${cursor.id}`;
}

/**
 * Records of `table` (aliased `c`, with `changed_in` and `id` indexed together) changed after the
 * cursor, in the order of the transactions that changed them, up to the oldest transaction still
 * running: it may yet commit, and the next read starts there. The page is read straight off the
 * index in its order, so a reader far behind (a subgraph catching up after a restart) costs one
 * page, not every change since its cursor.
 */
export async function changesAfter<T>(
  db: DataSource,
  table: string,
  columns: string,
  after: ChangeCursor,
  first: number,
): Promise<{ descriptions: T[]; next: ChangeCursor; hasMore: boolean }> {
  const rows: (T & { id: string | null; changedIn: string; horizon: string })[] = await db.query(
    `WITH horizon AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xid),
          page AS (
            SELECT ${columns}, c.changed_in
              FROM ${table} c
             WHERE (c.changed_in, c.id) > ($1::xid8, $2::uuid) AND c.changed_in < (SELECT xid FROM horizon)
             ORDER BY c.changed_in, c.id
             LIMIT $3)
     SELECT page.*, page.changed_in::text AS "changedIn", horizon.xid::text AS horizon
       FROM horizon LEFT JOIN page ON true
      ORDER BY page.changed_in, page.id`,
    [after.changedIn, after.id, first + 1],
  );
  const found = rows.filter((row) => row.id !== null);
  const hasMore = found.length > first;
  const descriptions = found.slice(0, first).map(({ changedIn: _changedIn, horizon: _horizon, changed_in: _changed, ...description }: Record<string, unknown>) => description as T);
  const last = found[descriptions.length - 1];
  // A full page continues after its last row; otherwise everything before the horizon has been read.
  const next = hasMore ? { changedIn: last.changedIn, id: last.id! } : { changedIn: rows[0].horizon, id: NIL_UUID };
  return { descriptions, next, hasMore };
}
