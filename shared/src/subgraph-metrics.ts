import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { SubgraphName } from './config';
import { statementCount } from './database';
import { ServiceMetrics } from './metrics';
import type { ReadCache } from './read-cache';

/**
 * A subgraph's metrics beside the request counts: its PostgreSQL pool, the statements it sent and
 * its read cache, each read when scraped (`/metrics`).
 */
export function subgraphMetrics(name: SubgraphName, dataSource: DataSource, readCache: ReadCache): ServiceMetrics {
  const metrics = new ServiceMetrics(name);
  // TypeORM's PostgreSQL driver keeps its pg Pool as `master`; it is there once the DataSource is initialized.
  const pool = () => (dataSource.driver as PostgresDriver).master as { totalCount: number; idleCount: number; waitingCount: number } | undefined;
  metrics.readGauge('sanji_db_pool_connections', 'Connections open in the PostgreSQL pool, busy or idle.', () => pool()?.totalCount ?? 0);
  metrics.readGauge('sanji_db_pool_idle_connections', 'Connections open in the PostgreSQL pool and idle.', () => pool()?.idleCount ?? 0);
  metrics.readGauge('sanji_db_pool_waiting_clients', 'Queries waiting for a connection from the PostgreSQL pool.', () => pool()?.waitingCount ?? 0);
  metrics.mirrorCounter('sanji_db_statements_total', 'SQL statements sent to PostgreSQL.', () => statementCount(dataSource));
  metrics.mirrorCounter('sanji_read_cache_hits_total', 'Reads answered from the read cache.', () => readCache.hits);
  metrics.mirrorCounter('sanji_read_cache_misses_total', 'Reads the read cache could not answer, sent to PostgreSQL.', () => readCache.misses);
  metrics.mirrorCounter('sanji_read_cache_forgotten_total', 'Answers the read cache forgot because a change touched what they were read from.', () => readCache.forgotten);
  metrics.mirrorCounter('sanji_read_cache_feed_round_trips_total', 'Round trips on the change feed that let kept answers be served (one serves every request that arrived before it).', () => readCache.roundTrips);
  metrics.readGauge('sanji_read_cache_entries', 'Answers kept in the read cache.', () => readCache.size);
  metrics.readGauge('sanji_read_cache_active', '1 while the read cache keeps answers (its change feed is listened to), else 0.', () => (readCache.active ? 1 : 0));
  return metrics;
}

/** What the benchmark reads (`/metrics.json`): requests served, statements sent and cached answers used, since start. */
export function subgraphFigures(requests: number, dataSource: DataSource, readCache: ReadCache) {
  return {
    requests,
    statements: statementCount(dataSource),
    readCache: { active: readCache.active, entries: readCache.size, hits: readCache.hits, misses: readCache.misses, forgotten: readCache.forgotten, roundTrips: readCache.roundTrips },
  };
}
