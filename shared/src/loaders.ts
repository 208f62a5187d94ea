import DataLoader from 'dataloader';
import type { Batch } from './read-cache';

/** Where a loader's batches go: straight to the repository, or through the subgraph's read cache. */
export type Through<K, V> = (batch: Batch<K, V>) => Batch<K, V>;
const direct = <K, V>(batch: Batch<K, V>) => batch;

/**
 * DataLoader helpers. Batch functions must answer in key order; these build that order from rows
 * fetched with one `= ANY($1)` statement, whatever order the database returned them in.
 */

/** One record (or null) per key. */
export function recordLoader<K, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
  through: Through<K, V | null> = direct,
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(
    through(async (keys) => {
      const byKey = new Map<K, V>();
      for (const row of await fetch(keys)) byKey.set(keyOf(row), row);
      return keys.map((key) => byKey.get(key) ?? null);
    }),
  );
}

/** A list of records per key, in the order the fetch returned them. */
export function listLoader<K, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
  through: Through<K, V[]> = direct,
): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(
    through(async (keys) => {
      const byKey = new Map<K, V[]>(keys.map((key) => [key, []]));
      for (const row of await fetch(keys)) byKey.get(keyOf(row))?.push(row);
      return keys.map((key) => byKey.get(key) ?? []);
    }),
  );
}

/**
 * A loader whose keys carry arguments (e.g. a page size and cursor): keys with the same arguments
 * are fetched together, one batch per distinct argument set.
 */
export function argumentLoader<K, A, V>(
  fetch: (keys: readonly K[], args: A) => Promise<V[]>,
  split: (key: string) => { key: K; args: A; argsId: string },
  through: Through<string, V> = direct,
): DataLoader<string, V> {
  return new DataLoader<string, V>(through(async (composite) => {
    const groups = new Map<string, { args: A; indexes: number[]; keys: K[] }>();
    composite.forEach((raw, index) => {
      const { key, args, argsId } = split(raw);
      const group = groups.get(argsId) ?? { args, indexes: [], keys: [] };
      group.indexes.push(index);
      group.keys.push(key);
      groups.set(argsId, group);
    });
    const results = new Array<V>(composite.length);
    for (const group of groups.values()) {
      const values = await fetch(group.keys, group.args);
      group.indexes.forEach((index, i) => (results[index] = values[i]));
    }
    return results;
  }));
}
