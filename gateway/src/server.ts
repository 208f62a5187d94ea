import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { errors as joseErrors } from 'jose';
import { createTokenRecords, createTokenVerifier, InvalidTokenError } from '../../shared/src/auth';
import { ErrorCode, isClientError } from '../../shared/src/errors';
import { createProofSigner, PROOF_HEADER, type ProofSigner } from '../../shared/src/internal';
import { PROJECT_ROOT, SUBGRAPHS, type Config, type SubgraphName } from '../../shared/src/config';
import { graphQLRequestOf, httpErrorHandler, refuseInvalidUtf8, sendGraphQLResponse, sendUnexpectedFailure, unauthenticatedResponse } from '../../shared/src/http';
import { createLogger, type Logger } from '../../shared/src/logger';
import { requestMetricsPlugin, ServiceMetrics } from '../../shared/src/metrics';
import { currentRequestId, REQUEST_ID_HEADER, requestIdFrom, withRequestId } from '../../shared/src/request-id';
import { corsPolicy } from './cors';
import { canWrite, type Viewer } from '../../shared/src/viewer';
import { explorerRouter } from './explorer';
import { loadManifest, persistedQueryCache, persistedQueryShape, safelist } from './persisted-operations';
import { documentLengthLimit, requestLimits } from './limits';
import { maskingFormatError } from '../../shared/src/error-policy';
import { SubgraphTransport, transportMetrics } from './subgraph-transport';
import { EntityFetchBatcher, FetchWaves } from './fetch-batching';
import { createDrain } from '../../shared/src/drain';
import { startResponseCache } from './response-cache';
import type { FetchCache } from './fetch-cache';
import { AnswerSources, isSources, SOURCES_EXTENSION } from '../../shared/src/answer-sources';
import type { ReadCache } from '../../shared/src/read-cache';
import type { RunningService } from '../../shared/src/process';

export interface GatewayContext {
  authorization: string;
  requestId: string;
  /** The caller as their verified token names them; the response cache keys answers by their claims. */
  viewer: Viewer | null;
  /** What the subgraphs' answers to this request were read from, as they report it: the response cache forgets the answer when a change meets them. */
  sources: AnswerSources;
  /** When the request arrived, as the fetch cache counts (see `FetchCache`). */
  fetchesArrival: number;
  /** The whole answer as the response cache kept it, when it served the request (see `KeepingContext`). */
  keptAnswer: { body: Buffer | null };
}

/**
 * Passes the caller's verified token and the request id on to every subgraph, which verify the
 * token again, with the gateway's proof for this very request. Nothing else the client sent is
 * passed on.
 */
class IdentityForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly sign: ProofSigner,
    private readonly transport: SubgraphTransport,
    waves: FetchWaves<GatewayContext>,
    fetches: FetchCache,
  ) {
    super({ url, fetcher: transport.fetcher as never });
    this.batcher = new EntityFetchBatcher<GatewayContext>(waves, (options) =>
      fetches.through(transport.subgraph, options, () => this.transport.process(options, (again) => super.process(again))),
    );
  }

  override async willSendRequest({ request, context }: Parameters<RemoteGraphQLDataSource<GatewayContext>['willSendRequest'] & object>[0]) {
    // Always on the caller's behalf, bound to their token: a gateway fetch is never the service's own.
    request.http?.headers.set(PROOF_HEADER, await this.sign(request.query ?? '', request.variables, { authorization: context.authorization }));
    request.http?.headers.set('authorization', context.authorization);
    if (context.requestId) request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
  }

  private readonly batcher: EntityFetchBatcher<GatewayContext>;

  /** Takes the subgraph's report of what its answer was read from; an answer without one depends on anything. */
  override async didReceiveResponse({ response, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0]) {
    const reported = response.extensions?.[SOURCES_EXTENSION];
    context.sources?.addReported(isSources(reported) ? reported : null);
    return response;
  }

  override process(options: Parameters<RemoteGraphQLDataSource<GatewayContext>['process']>[0]) {
    return this.batcher.process(options);
  }

  /**
   * A subgraph answers 400 when a variable does not coerce (an impossible date, say). That is the
   * caller's mistake, so it reaches them as the subgraph's BAD_USER_INPUT, not as a failed fetch.
   */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]) {
    if (response.status === 400) {
      const body = (await response.clone().json().catch(() => null)) as { errors?: GraphQLFormattedError[] } | null;
      const first = body?.errors?.[0];
      if (first?.extensions?.code === ErrorCode.BAD_USER_INPUT) {
        return new GraphQLError(first.message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
      }
    }
    return super.errorFromResponse(response);
  }
}

export interface GatewayOptions {
  /** Where each subgraph listens; defaults to the configured URLs. */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
  port?: number;
}

/** The gateway's cache of query plans by operation; 0 plans every request anew. */
function queryPlanCache(megabytes: number): Pick<ConstructorParameters<typeof ApolloGateway>[0] & object, 'experimental_approximateQueryPlanStoreMiB' | 'queryPlannerConfig'> {
  if (megabytes > 0) return { experimental_approximateQueryPlanStoreMiB: megabytes };
  return { queryPlannerConfig: { cache: { get: async () => undefined, set: async () => undefined, delete: async () => true, clear: () => undefined } } };
}

const healthUrl = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '/health');

async function subgraphUp(url: string): Promise<boolean> {
  try {
    const response = await fetch(healthUrl(url), { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Starts the gateway: @apollo/gateway on the committed, statically composed supergraph, behind
 * token verification. A request without a valid token is answered 401 before any subgraph is called.
 */
export async function startGateway(config: Config, options: GatewayOptions = {}): Promise<RunningService & { responseCache: ReadCache; fetchCache: ReadCache }> {
  const log = createLogger('gateway', config.logLevel, config.logDestination);
  const metrics = new ServiceMetrics('gateway');
  const fetchMetrics = transportMetrics(metrics);
  const subgraphUrls = { ...config.subgraphUrls, ...options.subgraphUrls };
  // The claims are checked against the organization subgraph's records here, before the query
  // plan runs, so a BRANCH token naming a branch of another county, or a region that does not
  // exist, is refused with 401 before any part of the request reaches a subgraph.
  const verifyToken = createTokenVerifier(config, createTokenRecords({ ...config, subgraphUrls }, 'gateway'));
  const signProof = createProofSigner(config, 'gateway');

  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer((req, res) => {
    if (drain.admit(req, res)) app(req, res);
  });
  const drain = createDrain(httpServer, config.drainMs);
  // A client that trickles its request in is cut off rather than holding a socket.
  httpServer.requestTimeout = config.limits.requestTimeoutMs || 0;
  httpServer.headersTimeout = Math.min(httpServer.headersTimeout, config.limits.requestTimeoutMs || httpServer.headersTimeout);

  // @apollo/gateway reports usage to Apollo's servers every hour, and first probes the cloud
  // vendors' metadata addresses to describe its host, unless told not to. A provincial intranet
  // service does neither; an operator who wants it sets APOLLO_TELEMETRY_DISABLED=false.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const responses = await startResponseCache(config, metrics, log);
  const waves = new FetchWaves<GatewayContext>();
  // Kept to close their sockets when the gateway stops.
  const transports: SubgraphTransport[] = [];
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(join(PROJECT_ROOT, 'supergraph.graphql'), 'utf8'),
    buildService: ({ name }) => {
      const transport = new SubgraphTransport(name as SubgraphName, config.subgraphSockets, config.limits.requestTimeoutMs, log, fetchMetrics);
      transports.push(transport);
      return new IdentityForwardingDataSource(subgraphUrls[name as SubgraphName], signProof, transport, waves, responses.fetches);
    },
    ...queryPlanCache(config.queryPlanCacheMb),
  });
  const limits = requestLimits(config);
  const manifest = loadManifest(PROJECT_ROOT);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // Analysts read the schema in the explorer while developing; in production it is published, not introspected.
    introspection: config.env !== 'production',
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // The process stops the server itself on SIGINT/SIGTERM (runUntilSignalled), then exits.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError: withRequestIds(maskingFormatError(config.env === 'production')),
    stringifyResult: responses.stringifyResult,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    // The manifest's operations by id, and automatic persisted queries for the clients that use them.
    persistedQueries: { cache: persistedQueryCache(manifest, config.safelist) },
    plugins: [
      drain.plugin,
      ApolloServerPluginLandingPageDisabled(),
      ...limits.plugins,
      requestMetricsPlugin(metrics, log),
      gatewayErrorLoggingPlugin(log),
      responses.plugin,
    ],
  });
  await apollo.start();

  let ownUrl = '';
  app.use(explorerRouter(config, () => ownUrl));

  app.get('/metrics', (_req, res) => void metrics.send(res));
  app.get('/metrics.json', (_req, res) => {
    const figures = (cache: ReadCache) => ({ active: cache.active, entries: cache.size, hits: cache.hits, misses: cache.misses, forgotten: cache.forgotten, roundTrips: cache.roundTrips });
    res.json({ responseCache: figures(responses.cache), fetchCache: figures(responses.fetches.cache) });
  });

  app.get('/health', async (_req, res) => {
    if (drain.draining) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    const names = (Object.keys(SUBGRAPHS) as SubgraphName[]).filter((name) => SUBGRAPHS[name].enabled);
    const states = await Promise.all(names.map(async (name) => [name, (await subgraphUp(subgraphUrls[name])) ? 'up' : 'down'] as const));
    const subgraphs = Object.fromEntries(states);
    const up = states.every(([, state]) => state === 'up');
    res.status(up ? 200 : 503).json({ status: up ? 'ok' : 'degraded', subgraphs });
  });

  /**
   * The caller's `x-request-id` when it is an acceptable id, else a new one, for the whole
   * request: every subgraph receives it, every log line of the request and every error in the
   * answer carries it, and the answer comes back with it.
   */
  const identifyRequest = (req: Request, res: Response, next: NextFunction) => {
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    res.locals.requestId = requestId;
    withRequestId(requestId, next);
  };

  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const viewer = await verifyToken(req.headers.authorization);
      res.locals.viewer = viewer;
      res.locals.canWrite = canWrite(viewer);
      next();
    } catch (err) {
      // A token's records that cannot be read (the organization subgraph is down) are the service's failure, not the caller's: no data either way.
      if (err instanceof InvalidTokenError || err instanceof joseErrors.JOSEError) unauthenticatedResponse(res);
      else sendUnexpectedFailure(res, log, err);
    }
  };

  // Apollo Server's request as the subgraphs build theirs (`shared/src/http.ts`), answered with
  // `res.end`: Express's `res.send` would hash every answer for an ETag, which no GraphQL client uses.
  const answer = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const context: GatewayContext = {
        authorization: req.headers.authorization ?? '',
        requestId: res.locals.requestId as string,
        viewer: (res.locals.viewer as Viewer | undefined) ?? null,
        sources: new AnswerSources(null),
        fetchesArrival: responses.fetches.cache.arrival(),
        keptAnswer: { body: null },
      };
      const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: graphQLRequestOf(req, req.body), context: async () => context });
      // An answer served whole from the response cache is sent as the bytes it was kept as.
      await sendGraphQLResponse(res, response, context.keptAnswer.body ?? undefined);
    } catch (err) {
      next(err);
    }
  };

  const parseBody = express.json({ limit: config.limits.maxBodyBytes || '100mb', verify: refuseInvalidUtf8 });
  const parseImportBody = express.json({
    limit: config.limits.maxBodyBytes ? Math.max(config.limits.maxBodyBytes, config.limits.maxImportBodyBytes) : '100mb',
    verify: refuseInvalidUtf8,
  });

  app.use(
    '/graphql',
    // Before the token check: a browser's preflight never carries the token it asks leave to send.
    corsPolicy(config.corsOrigins),
    identifyRequest,
    authenticate,
    // An import of a full ledger is far larger than any query: only callers who may write send one.
    (req: Request, res: Response, next: NextFunction) => (res.locals.canWrite ? parseImportBody : parseBody)(req, res, next),
    documentLengthLimit(config),
    persistedQueryShape(),
    ...(config.safelist ? [safelist(manifest)] : []),
    // The body parser may call on outside the request's async context; the id is set again around GraphQL.
    (req: Request, res: Response, next: NextFunction) => withRequestId(res.locals.requestId as string, () => answer(req, res, next)),
  );

  app.use(httpErrorHandler(log));

  await new Promise<void>((resolve) => httpServer.listen(options.port ?? config.port, config.host, resolve));
  const port = (httpServer.address() as AddressInfo).port;
  ownUrl = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}/graphql`;
  log.info({ port }, 'gateway listening');
  return {
    url: `http://${config.host}:${port}/graphql`,
    port,
    responseCache: responses.cache,
    fetchCache: responses.fetches.cache,
    stop: async () => {
      await drain.stop(apollo);
      await Promise.all(transports.map((transport) => transport.close()));
      await responses.stop();
    },
  };
}

/** Puts the request's id on every error the gateway answers with, whatever raised it. */
function withRequestIds(format: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const requestId = currentRequestId();
    return format(requestId ? { ...formatted, extensions: { ...formatted.extensions, requestId } } : formatted, error);
  };
}

/**
 * Logs the gateway's own failures (a subgraph's are logged where its fetch is made, see
 * SubgraphTransport); a caller's mistakes are answered, not logged as errors.
 */
function gatewayErrorLoggingPlugin(log: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, operationName }) {
          for (const err of errors) {
            if (isClientError(err) || err.extensions?.serviceName !== undefined) continue;
            log.error({ err: err.originalError ?? err, path: err.path, operation: operationName }, 'request failed');
          }
        },
      };
    },
  };
}
