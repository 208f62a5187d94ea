import type { DataSource } from 'typeorm';
import { releaseConnectionsWhileServerStops } from './database';
import type { Logger } from './logger';
import { attachReadCache, ChangeFeed, ReadCache } from './read-cache';

/** A subgraph's read cache, as the subgraph runs it. */
export interface SubgraphReadCache {
  cache: ReadCache;
  /** Stops listening for changes; the cache keeps nothing from then on. */
  stop(): Promise<void>;
}

/**
 * Gives a subgraph's initialized DataSource its read cache: cleared by this process's own writes
 * (`inTransaction`) and by the announcements on the schema's change channel, which a connection
 * of its own listens to. That connection is also how the service learns that PostgreSQL is
 * shutting down, and it then hands its pooled connections back. With no entries configured,
 * nothing is kept and nothing listens.
 */
export async function startSubgraphReadCache(dataSource: DataSource, entries: number, log: Logger): Promise<SubgraphReadCache> {
  const cache = new ReadCache(entries);
  attachReadCache(dataSource, cache);
  const { url, schema, applicationName } = dataSource.options as { url: string; schema: string; applicationName: string };
  const changes = cache.enabled
    ? new ChangeFeed(url, schema, applicationName, cache, log, (stopping) => releaseConnectionsWhileServerStops(dataSource, stopping))
    : null;
  await changes?.start();
  return { cache, stop: async () => changes?.stop() };
}
