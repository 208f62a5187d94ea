import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse } from 'graphql';
import { errors as joseErrors } from 'jose';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { auditTrailPage, type AuditFilter, type AuditRow } from './audit';
import { releaseConnectionsWhileServerStops, statementCount } from './database';
import { createTokenRecords, createTokenVerifier, InvalidTokenError } from './auth';
import type { Connection } from './pagination';
import { PROJECT_ROOT, type Config, type SubgraphName } from './config';
import { createProofVerifier, InvalidProofError, PROOF_HEADER, systemViewer } from './internal';
import { isClientError } from './errors';
import { maskingFormatError } from './error-policy';
import { attachReadCache, ChangeFeed, ReadCache, type ScopedReads } from './read-cache';
import { graphQLRequestOf, readJsonBody, sendGraphQLResponse, sendUnexpectedFailure, unauthenticatedResponse, urlParts } from './http';
import { capLists } from './list-limits';
import { createLogger, type Logger } from './logger';
import { requestMetricsPlugin, ServiceMetrics } from './metrics';
import { REQUEST_ID_HEADER, requestIdFrom, withRequestId } from './request-id';
import { settleConnections } from './process';
import { scopeOf, type Caller, type Viewer } from './viewer';

/**
 * The largest body a subgraph reads. Only the gateway calls a subgraph, after its own body limit;
 * the largest it sends is an `_entities` fetch carrying every representation of one answer.
 */
const SUBGRAPH_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/**
 * How long a subgraph keeps an idle connection open. The gateway closes its idle sockets well
 * before this (see `SUBGRAPH_IDLE_SOCKET_MS`), so it never sends a request on a socket the
 * subgraph is closing at that very moment.
 */
export const SUBGRAPH_KEEP_ALIVE_MS = 30_000;

/** What every subgraph resolver receives, extended by each subgraph with its loaders and repositories. */
export interface BaseContext extends Caller {
  /** The subgraph's read cache, as this caller's scope may use it. */
  reads: ScopedReads;
  log: Logger;
  /** A page of this subgraph's audit trail, as the caller may read it. */
  auditTrail: (args: { filter?: AuditFilter | null; first?: number | null; after?: string | null }) => Promise<Connection<AuditRow>>;
}

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
}

export interface RunningServer {
  url: string;
  port: number;
  stop: () => Promise<void>;
  /** Requests that reached `/graphql`, whatever became of them. */
  requestCount?: () => number;
  /** SQL statements sent to PostgreSQL. */
  statementCount?: () => number;
  /** The answers the subgraph keeps between requests. */
  readCache?: ReadCache;
}


/** Puts the request id on every error and logs the internal ones with it. */
function errorLoggingPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors }) {
          for (const err of errors) {
            err.extensions.requestId = contextValue.requestId;
            if (!isClientError(err) && !err.extensions.code) {
              contextValue.log.error({ err: err.originalError ?? err, path: err.path }, 'resolver failed');
            }
          }
        },
      };
    },
  };
}

/**
 * Starts a federated subgraph over HTTP on its own database: `/graphql` behind the gateway's proof
 * and the caller's token, `/health`, `/metrics` (Prometheus) and `/metrics.json`. Stopping it drains
 * requests, then closes the pool.
 */
export async function startSubgraphServer<TContext extends BaseContext>(
  options: SubgraphServerOptions<TContext>,
): Promise<RunningServer> {
  const { config, dataSource } = options;
  const log = createLogger(options.name, config.logLevel, config.logDestination);
  const typeDefs = parse(readFileSync(join(PROJECT_ROOT, 'subgraphs', options.name, 'schema.graphql'), 'utf8'));
  await dataSource.initialize();
  const readCache = new ReadCache(config.readCacheEntries);
  attachReadCache(dataSource, readCache);
  const { url: databaseUrl, schema, applicationName } = dataSource.options as { url: string; schema: string; applicationName: string };
  const changes = readCache.enabled
    ? new ChangeFeed(databaseUrl, schema, applicationName, readCache, log, (stopping) => releaseConnectionsWhileServerStops(dataSource, stopping))
    : null;
  await changes?.start();
  let requests = 0;
  let draining = false;
  // A subgraph checks a BRANCH token's organization again (it cannot tell that the gateway did), in the organization subgraph as the service.
  const verifyToken = createTokenVerifier(config, createTokenRecords(config, options.name, { regions: false }));
  const verifyProof = createProofVerifier(config);
  const app = express();
  app.disable('x-powered-by');
  const httpServer: Server = createServer();
  httpServer.keepAliveTimeout = SUBGRAPH_KEEP_ALIVE_MS;
  const metrics = subgraphMetrics(options.name, dataSource, readCache);

  const apollo = new ApolloServer<TContext>({
    schema: capLists(buildSubgraphSchema({ typeDefs, resolvers: options.resolvers as GraphQLResolverMap<unknown> })),
    // The process stops the server itself on SIGINT/SIGTERM (runUntilSignalled), then exits.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError: maskingFormatError(config.env === 'production'),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.drainMs }),
      // Both hook every field resolver; they earn that only where traces are collected.
      ...(config.inlineTracing ? [ApolloServerPluginInlineTrace()] : [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()]),
      ApolloServerPluginLandingPageDisabled(),
      errorLoggingPlugin<TContext>(),
      requestMetricsPlugin(metrics, log),
    ],
  });
  await apollo.start();

  app.get('/health', async (_req, res) => {
    if (draining) {
      res.status(503).json({ status: 'draining', service: options.name });
      return;
    }
    try {
      await dataSource.query('SELECT 1');
      res.json({ status: 'ok', service: options.name });
    } catch {
      res.status(503).json({ status: 'unavailable', service: options.name });
    }
  });

  app.get('/metrics', (_req, res) => void metrics.send(res));

  // What the benchmark reads: requests served, statements sent and cached answers used, since start.
  app.get('/metrics.json', (_req, res) => {
    res.json({
      requests,
      statements: statementCount(dataSource),
      readCache: { active: readCache.active, entries: readCache.size, hits: readCache.hits, misses: readCache.misses },
    });
  });

  /**
   * Only Sanji talks to a subgraph: the request must carry a proof made for it. A proof made for a
   * caller is bound to the token that came with it, which is verified again and sets the tier; only
   * a proof made as the service, with no token beside it, is the proving service's own request (a
   * lookup that does not depend on any caller's tier).
   */
  const authenticate = async (req: IncomingMessage, body: unknown): Promise<Viewer | null> => {
    const { query, variables } = (body ?? {}) as { query?: unknown; variables?: unknown };
    try {
      const proof = await verifyProof(req.headers[PROOF_HEADER] as string, typeof query === 'string' ? query : '', variables, req.headers.authorization);
      return proof.onBehalfOf === 'caller' ? await verifyToken(req.headers.authorization) : systemViewer(proof.service);
    } catch (err) {
      if (!(err instanceof InvalidTokenError) && !(err instanceof InvalidProofError) && !(err instanceof joseErrors.JOSEError)) {
        log.error({ err }, 'request verification failed');
      }
      return null;
    }
  };

  /**
   * `/graphql` is served by Node's own handler, not through Express: every gateway request fans
   * out into several fetches here, and Express's routing and body parsing cost more per fetch
   * than resolving a warm answer does.
   */
  const graphql = async (req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> => {
    requests += 1;
    // Only POST: a proof is bound to the body it travels with.
    if (req.method !== 'POST') {
      req.resume();
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    // Nothing is parsed for a request that does not even claim to come from Sanji.
    if (typeof req.headers[PROOF_HEADER] !== 'string') {
      req.resume();
      return unauthenticatedResponse(res);
    }
    const body = await readJsonBody(req, SUBGRAPH_BODY_LIMIT_BYTES);
    const viewer = await authenticate(req, body);
    if (!viewer) return unauthenticatedResponse(res);
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: graphQLRequestOf(req, body),
      context: async () => {
        const scope = scopeOf(viewer);
        return options.createContext({
          viewer,
          authorization: req.headers.authorization ?? '',
          scope,
          reads: readCache.forScope(scope),
          auditTrail: (args) => auditTrailPage(dataSource, viewer, scope, args, config.maxPageSize, `${options.name}.auditTrail`),
          requestId,
          log,
        });
      },
    });
    await sendGraphQLResponse(res, response);
  };

  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    // While draining, every answer closes its connection, so the gateway sends nothing more on it;
    // a request on a connection the drain has already ended could not be answered, so it never runs.
    if (draining) {
      if (req.socket.writableEnded) return void req.socket.destroy();
      res.setHeader('connection', 'close');
    }
    if (urlParts(req).path !== '/graphql') return app(req, res);
    // The gateway's id for the request: every line logged while serving it carries the id (see createLogger).
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    withRequestId(requestId, () => graphql(req, res, requestId).catch((err: unknown) => sendUnexpectedFailure(res, log, err)));
  });

  const connectionsSettled = settleConnections(httpServer);
  await new Promise<void>((resolve) => httpServer.listen(options.port, config.host, resolve));
  const port = (httpServer.address() as AddressInfo).port;
  log.info({ port }, `${options.name} subgraph listening`);
  return {
    url: `http://${config.host}:${port}/graphql`,
    port,
    // Drains first: the requests already accepted finish on the pool, which closes after them.
    stop: async () => {
      draining = true;
      await connectionsSettled();
      await apollo.stop();
      await changes?.stop();
      await dataSource.destroy();
    },
    requestCount: () => requests,
    statementCount: () => statementCount(dataSource),
    readCache,
  };
}

/**
 * A subgraph's metrics beside the request counts: its PostgreSQL pool, the statements it sent and
 * its read cache, each read when scraped.
 */
function subgraphMetrics(name: SubgraphName, dataSource: DataSource, readCache: ReadCache): ServiceMetrics {
  const metrics = new ServiceMetrics(name);
  // TypeORM's PostgreSQL driver keeps its pg Pool as `master`; it is there once the DataSource is initialized.
  const pool = () => (dataSource.driver as PostgresDriver).master as { totalCount: number; idleCount: number; waitingCount: number } | undefined;
  metrics.readGauge('sanji_db_pool_connections', 'Connections open in the PostgreSQL pool, busy or idle.', () => pool()?.totalCount ?? 0);
  metrics.readGauge('sanji_db_pool_idle_connections', 'Connections open in the PostgreSQL pool and idle.', () => pool()?.idleCount ?? 0);
  metrics.readGauge('sanji_db_pool_waiting_clients', 'Queries waiting for a connection from the PostgreSQL pool.', () => pool()?.waitingCount ?? 0);
  metrics.mirrorCounter('sanji_db_statements_total', 'SQL statements sent to PostgreSQL.', () => statementCount(dataSource));
  metrics.mirrorCounter('sanji_read_cache_hits_total', 'Reads answered from the read cache.', () => readCache.hits);
  metrics.mirrorCounter('sanji_read_cache_misses_total', 'Reads the read cache could not answer, sent to PostgreSQL.', () => readCache.misses);
  metrics.readGauge('sanji_read_cache_entries', 'Answers kept in the read cache.', () => readCache.size);
  metrics.readGauge('sanji_read_cache_active', '1 while the read cache keeps answers (its change feed is listened to), else 0.', () => (readCache.active ? 1 : 0));
  return metrics;
}
