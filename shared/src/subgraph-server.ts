import type { DataSource } from 'typeorm';
import { AnswerSources, readingFor } from './answer-sources';
import { auditTrailPage } from './audit';
import type { Config, SubgraphName } from './config';
import { learnTables, logDatabaseTo, statementCount } from './database';
import { createLogger } from './logger';
import { requestMetricsPlugin } from './metrics';
import type { RunningService } from './process';
import type { ReadCache } from './read-cache';
import { createSubgraphAuthenticator } from './subgraph-auth';
import { startSubgraphReadCache } from './subgraph-cache';
import { createSubgraphGraphQL, type BaseContext } from './subgraph-graphql';
import { createSubgraphHttp } from './subgraph-http';
import { subgraphFigures, subgraphMetrics } from './subgraph-metrics';

export type { BaseContext } from './subgraph-graphql';

export interface SubgraphServerOptions<TContext extends BaseContext> {
  /** The subgraph, whose SDL is `subgraphs/<name>/schema.graphql`. */
  name: SubgraphName;
  /** The subgraph's resolvers, typed by its generated `Resolvers`. */
  resolvers: object;
  /** Builds the per-request context: a fresh loader set for every request, never shared between callers. */
  createContext: (base: BaseContext) => TContext;
  /** The subgraph's database, not yet initialized: its data, its audit trail, its health. */
  dataSource: DataSource;
  config: Config;
  /** The port to listen on; 0 picks a free one. */
  port: number;
  /** Other subgraphs' schemas whose changes the read cache hears: those its reads declare lookups of. */
  hears?: readonly SubgraphName[];
}

/** A subgraph started in this process, with the figures the tests and the benchmark read. */
export interface RunningServer extends RunningService {
  /** Requests that reached `/graphql`, whatever became of them. */
  requestCount?: () => number;
  /** SQL statements sent to PostgreSQL. */
  statementCount?: () => number;
  /** The answers the subgraph keeps between requests. */
  readCache?: ReadCache;
}

/**
 * Starts a federated subgraph over HTTP on its own database (see `subgraph-http.ts` for what it
 * answers, `subgraph-auth.ts` for who may ask, `subgraph-cache.ts` for what it keeps). Stopping it
 * drains requests, then closes the change feed and the pool.
 */
export async function startSubgraphServer<TContext extends BaseContext>(options: SubgraphServerOptions<TContext>): Promise<RunningServer> {
  const { name, config, dataSource } = options;
  const log = createLogger(name, config.logLevel, config.logDestination);
  logDatabaseTo(dataSource, log);
  await dataSource.initialize();
  await learnTables(dataSource);
  const reads = await startSubgraphReadCache(dataSource, config.readCacheEntries, log, options.hears);
  const metrics = subgraphMetrics(name, dataSource, reads.cache);
  const http = createSubgraphHttp({
    name,
    config,
    log,
    authenticate: createSubgraphAuthenticator(config, name, log),
    databaseAnswers: () => dataSource.query('SELECT 1').then(() => true),
    metrics,
    figures: (requests) => subgraphFigures(requests, dataSource, reads.cache),
  });
  const apollo = createSubgraphGraphQL<TContext>({
    name,
    resolvers: options.resolvers,
    config,
    plugins: [http.drain.plugin, requestMetricsPlugin(metrics, log)],
  });
  await apollo.start();

  // The schema this subgraph's statements read: the one its changes are announced on.
  const { schema } = dataSource.options as { schema: string };
  const port = await http.listen(options.port, (httpGraphQLRequest, caller) => {
    const sources = new AnswerSources(caller.scope, schema);
    return readingFor(sources, () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest,
        context: async () =>
          options.createContext({
            ...caller,
            reads: reads.cache.forScope(caller.scope, sources),
            sources,
            auditTrail: (args) => auditTrailPage(dataSource, caller.viewer, caller.scope, args, config.maxPageSize, `${name}.auditTrail`),
            log,
          }),
      }),
    );
  });
  log.info({ port }, `${name} subgraph listening`);
  return {
    url: `http://${config.host}:${port}/graphql`,
    port,
    // Drains first: the requests already accepted finish on the pool, which closes after them.
    stop: async () => {
      await http.drain.stop(apollo);
      await reads.stop();
      await dataSource.destroy();
    },
    requestCount: http.requestCount,
    statementCount: () => statementCount(dataSource),
    readCache: reads.cache,
  };
}
