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
 * Gives a subgraph's initialized DataSource its read cache: told by the announcements on the
 * schema's change channel, which a connection of its own listens to, what each change touched
 * (this process's own writes wait for theirs, in `inTransaction`). That connection is also how the service learns that PostgreSQL is
 * shutting down, and it then hands its pooled connections back. With no entries configured,
 * nothing is kept and nothing listens. `alsoHears` names other subgraphs' schemas whose changes
 * it hears too: those its reads declare they depend on (see `Dependencies.schemas`).
 */
export async function startSubgraphReadCache(dataSource: DataSource, entries: number, log: Logger, alsoHears: readonly string[] = []): Promise<SubgraphReadCache> {
  const { url, schema, applicationName } = dataSource.options as { url: string; schema: string; applicationName: string };
  const cache = new ReadCache(entries, undefined, schema);
  attachReadCache(dataSource, cache);
  const changes = cache.enabled
    ? new ChangeFeed(url, [schema, ...alsoHears], applicationName, cache, log, (stopping) => releaseConnectionsWhileServerStops(dataSource, stopping))
    : null;
  await changes?.start();
  return { cache, stop: async () => changes?.stop() };
}
