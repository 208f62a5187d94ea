import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { HTTPGraphQLRequest, HTTPGraphQLResponse } from '@apollo/server';
import type { Config, SubgraphName } from './config';
import { createDrain, type Drain } from './drain';
import { graphQLRequestOf, readJsonBody, sendGraphQLResponse, sendUnexpectedFailure, SUBGRAPH_KEEP_ALIVE_MS, unauthenticatedResponse, urlParts } from './http';
import type { Logger } from './logger';
import type { ServiceMetrics } from './metrics';
import { REQUEST_ID_HEADER, requestIdFrom, withRequestId } from './request-id';
import { carriesProof, type SubgraphAuthenticator } from './subgraph-auth';
import type { Caller } from './viewer';

/**
 * The largest body a subgraph reads. Only the gateway calls a subgraph, after its own body limit;
 * the largest it sends is an `_entities` fetch carrying every representation of one answer.
 */
const SUBGRAPH_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

export interface SubgraphHttpOptions {
  name: SubgraphName;
  config: Config;
  log: Logger;
  authenticate: SubgraphAuthenticator;
  /** Whether the subgraph's database answers, for `/health`. */
  databaseAnswers: () => Promise<boolean>;
  /** Answers `/metrics`. */
  metrics: ServiceMetrics;
  /** What `/metrics.json` answers, given the requests `/graphql` has received. */
  figures: (requests: number) => unknown;
}

/** Answers a GraphQL request whose caller is known. */
export type ExecuteGraphQL = (request: HTTPGraphQLRequest, caller: Caller) => Promise<HTTPGraphQLResponse>;

export interface SubgraphHttp {
  /** Apollo Server takes its plugin; stopping drains through it. */
  drain: Drain;
  /** Requests that reached `/graphql`, whatever became of them. */
  requestCount(): number;
  /** Starts serving, with `execute` behind `/graphql`; resolves to the port (0 picks a free one). */
  listen(port: number, execute: ExecuteGraphQL): Promise<number>;
}

/**
 * A subgraph's HTTP front: `/graphql` behind the gateway's proof and the caller's token, `/health`,
 * `/metrics` (Prometheus) and `/metrics.json`, and the drain that stops it without losing a request.
 */
export function createSubgraphHttp(options: SubgraphHttpOptions): SubgraphHttp {
  const { name, config, log } = options;
  let requests = 0;
  const httpServer = createServer();
  httpServer.keepAliveTimeout = SUBGRAPH_KEEP_ALIVE_MS;
  const drain = createDrain(httpServer, config.drainMs);

  const app = express();
  app.disable('x-powered-by');
  app.get('/health', async (_req, res) => {
    if (drain.draining) {
      res.status(503).json({ status: 'draining', service: name });
      return;
    }
    const up = await options.databaseAnswers().catch(() => false);
    res.status(up ? 200 : 503).json({ status: up ? 'ok' : 'unavailable', service: name });
  });
  app.get('/metrics', (_req, res) => void options.metrics.send(res));
  app.get('/metrics.json', (_req, res) => {
    res.json(options.figures(requests));
  });

  /**
   * `/graphql` is served by Node's own handler, not through Express: every gateway request fans
   * out into several fetches here, and Express's routing and body parsing cost more per fetch
   * than resolving a warm answer does.
   */
  const graphql = async (req: IncomingMessage, res: ServerResponse, requestId: string, execute: ExecuteGraphQL): Promise<void> => {
    requests += 1;
    // Only POST: a proof is bound to the body it travels with.
    if (req.method !== 'POST') {
      req.resume();
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    if (!carriesProof(req)) {
      req.resume();
      return unauthenticatedResponse(res);
    }
    const body = await readJsonBody(req, SUBGRAPH_BODY_LIMIT_BYTES);
    const caller = await options.authenticate(req, body, requestId);
    if (!caller) return unauthenticatedResponse(res);
    await sendGraphQLResponse(res, await execute(graphQLRequestOf(req, body), caller));
  };

  return {
    drain,
    requestCount: () => requests,
    listen: async (port, execute) => {
      httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
        if (!drain.admit(req, res)) return;
        if (urlParts(req).path !== '/graphql') return app(req, res);
        // The gateway's id for the request: every line logged while serving it carries the id (see createLogger).
        const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
        res.setHeader(REQUEST_ID_HEADER, requestId);
        withRequestId(requestId, () => graphql(req, res, requestId, execute).catch((err: unknown) => sendUnexpectedFailure(res, log, err)));
      });
      await new Promise<void>((resolve) => httpServer.listen(port, config.host, resolve));
      return (httpServer.address() as AddressInfo).port;
    },
  };
}
