import { readFileSync } from 'node:fs';
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import nodeFetch from 'node-fetch';
import { createTokenVerifier, InvalidTokenError } from '../../shared/src/auth';
import { ErrorCode } from '../../shared/src/errors';
import { createProofSigner, PROOF_HEADER, type ProofSigner } from '../../shared/src/internal';
import { PROJECT_ROOT, SUBGRAPHS, type Config, type SubgraphName } from '../../shared/src/config';
import { httpErrorHandler, unauthenticatedResponse } from '../../shared/src/http';
import { createLogger } from '../../shared/src/logger';
import { explorerRouter } from './explorer';
import { loadManifest, persistedQueryCache, safelist } from './persisted-operations';
import { documentLengthLimit, requestLimits } from './limits';
import { maskingFormatError, type RunningServer } from '../../shared/src/subgraph-server';
import { settleConnections } from '../../shared/src/process';

export interface GatewayContext {
  authorization: string;
  requestId: string;
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
    timeoutMs: number,
    agent: Agent,
  ) {
    super({
      url,
      // A subgraph that does not answer in time fails its part of the answer, not the gateway.
      fetcher: (input, init) => nodeFetch(input as string, { ...(init as object), agent, timeout: timeoutMs }) as never,
    });
  }

  override async willSendRequest({ request, context }: Parameters<RemoteGraphQLDataSource<GatewayContext>['willSendRequest'] & object>[0]) {
    request.http?.headers.set(PROOF_HEADER, await this.sign(request.query ?? '', request.variables));
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
    if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
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

/**
 * Each subgraph gets a pool of kept-alive sockets, bounded so that a burst of callers queues in
 * the gateway instead of opening a connection apiece; 0 opens and closes one per request.
 */
function subgraphAgent(sockets: number): Agent {
  return sockets > 0 ? new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets }) : new Agent({ keepAlive: false });
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
export async function startGateway(config: Config, options: GatewayOptions = {}): Promise<RunningServer> {
  const log = createLogger('gateway', config.logLevel);
  const subgraphUrls = { ...config.subgraphUrls, ...options.subgraphUrls };
  const verifyToken = createTokenVerifier(config);
  const signProof = createProofSigner(config, 'gateway');

  const app = express();
  app.disable('x-powered-by');
  // Stopping, the gateway answers 503 on /health at once, so a balancer sends its traffic
  // elsewhere, and closes each connection after its answer, while the requests it has accepted finish.
  let draining = false;
  const httpServer = createServer((req, res) => {
    if (draining) {
      // A connection the drain has already ended cannot carry an answer: the request must not run.
      if (req.socket.writableEnded) return void req.socket.destroy();
      res.setHeader('connection', 'close');
    }
    app(req, res);
  });
  const connectionsSettled = settleConnections(httpServer);
  // A client that trickles its request in is cut off rather than holding a socket.
  httpServer.requestTimeout = config.limits.requestTimeoutMs || 0;
  httpServer.headersTimeout = Math.min(httpServer.headersTimeout, config.limits.requestTimeoutMs || httpServer.headersTimeout);

  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(join(PROJECT_ROOT, 'supergraph.graphql'), 'utf8'),
    buildService: ({ name }) =>
      new IdentityForwardingDataSource(subgraphUrls[name as SubgraphName], signProof, config.limits.requestTimeoutMs, subgraphAgent(config.subgraphSockets)),
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
    formatError: maskingFormatError(config.env === 'production'),
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    // The manifest's operations by id, and automatic persisted queries for the clients that use them.
    persistedQueries: { cache: persistedQueryCache(manifest, config.safelist) },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.drainMs }),
      ApolloServerPluginLandingPageDisabled(),
      ...limits.plugins,
    ],
  });
  await apollo.start();

  let ownUrl = '';
  app.use(explorerRouter(config, () => ownUrl));

  app.get('/health', async (_req, res) => {
    if (draining) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    const names = (Object.keys(SUBGRAPHS) as SubgraphName[]).filter((name) => SUBGRAPHS[name].enabled);
    const states = await Promise.all(names.map(async (name) => [name, (await subgraphUp(subgraphUrls[name])) ? 'up' : 'down'] as const));
    const subgraphs = Object.fromEntries(states);
    const up = states.every(([, state]) => state === 'up');
    res.status(up ? 200 : 503).json({ status: up ? 'ok' : 'degraded', subgraphs });
  });

  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    try {
      await verifyToken(req.headers.authorization);
      next();
    } catch (err) {
      if (!(err instanceof InvalidTokenError)) log.error({ err }, 'token verification failed');
      unauthenticatedResponse(res);
    }
  };

  app.use(
    '/graphql',
    authenticate,
    express.json({ limit: config.limits.maxBodyBytes || '100mb' }),
    documentLengthLimit(config),
    ...(config.safelist ? [safelist(manifest)] : []),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({
        authorization: req.headers.authorization ?? '',
        requestId: randomUUID(),
      }),
    }),
  );

  app.use(httpErrorHandler(log));

  await new Promise<void>((resolve) => httpServer.listen(options.port ?? config.port, config.host, resolve));
  const port = (httpServer.address() as AddressInfo).port;
  ownUrl = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}/graphql`;
  log.info({ port }, 'gateway listening');
  return {
    url: `http://${config.host}:${port}/graphql`,
    port,
    stop: async () => {
      draining = true;
      await connectionsSettled();
      await apollo.stop();
    },
  };
}
