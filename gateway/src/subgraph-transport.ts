import { AsyncLocalStorage } from 'node:async_hooks';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Kind, parse, type FragmentDefinitionNode, type GraphQLFormattedError, type SelectionSetNode } from 'graphql';
import { Agent, request } from 'undici';
import { Counter, Histogram } from 'prom-client';
import type { SubgraphName } from '../../shared/src/config';
import { ErrorCode } from '../../shared/src/errors';
import type { Logger } from '../../shared/src/logger';
import type { ServiceMetrics } from '../../shared/src/metrics';
import { SUBGRAPH_KEEP_ALIVE_MS } from '../../shared/src/http';

/**
 * How long the gateway keeps an idle socket to a subgraph: well under the subgraph's own
 * keep-alive timeout, so the gateway is always the side that closes an idle connection, never
 * the one writing a request into a connection the subgraph is closing.
 */
export const SUBGRAPH_IDLE_SOCKET_MS = SUBGRAPH_KEEP_ALIVE_MS / 2;

/**
 * The sockets to one subgraph: a bounded pool of kept-alive sockets, so that a burst of callers
 * queues in the gateway instead of opening a connection apiece (0 opens and closes one per
 * request).
 */
function subgraphAgent(sockets: number): Agent {
  return new Agent(sockets > 0 ? { connections: sockets, keepAliveTimeout: SUBGRAPH_IDLE_SOCKET_MS, keepAliveMaxTimeout: SUBGRAPH_IDLE_SOCKET_MS } : { pipelining: 0 });
}

/** The part of the Fetch API that the gateway's data sources use to call a subgraph. */
type Fetcher = (url: string, init: { method?: string; headers?: Record<string, string>; body?: string }) => Promise<Response>;

/**
 * A subgraph call over undici's `request` on the given sockets, its answer read whole and handed
 * to the data source as a Fetch API `Response`. undici reads a chunked answer on a kept-alive
 * socket correctly, and, unlike `fetch`, calls a subgraph on any port it is configured with.
 */
function subgraphFetcher(pickAgent: () => Agent, timeoutMs: number): Fetcher {
  return async (url, init) => {
    const answer = await request(url, {
      method: (init.method ?? 'POST') as 'POST',
      headers: init.headers,
      body: init.body,
      dispatcher: pickAgent(),
      signal: timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined,
    });
    const body = await answer.body.arrayBuffer();
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (Array.isArray(value)) for (const one of value) headers.append(name, one);
      else if (value !== undefined) headers.set(name, value);
    }
    return new Response(answer.statusCode === 204 || answer.statusCode === 304 ? null : body, { status: answer.statusCode, headers });
  };
}

/** A fetch's error: undici's (with the system error's code), the deadline's, or the data source's for an HTTP status. */
type FetchFailure = Error & { code?: string; extensions?: { response?: unknown } };

/** Why a fetch failed, as the metrics and the log name it. */
type FailureReason = 'refused' | 'reset' | 'timeout' | 'status' | 'other';

function reasonOf(err: FetchFailure): FailureReason {
  if (err.code === 'ECONNREFUSED') return 'refused';
  // UND_ERR_SOCKET: the subgraph closed the connection under the request.
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.code === 'UND_ERR_SOCKET') return 'reset';
  if (err.name === 'TimeoutError' || err.code === 'ETIMEDOUT' || err.code === 'UND_ERR_HEADERS_TIMEOUT' || err.code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  if (err.extensions?.response !== undefined) return 'status';
  return 'other';
}

/**
 * Whether a query's fetch can simply be sent again: its connection was refused (nothing reached
 * the subgraph), or reset under it (the subgraph closed a kept-alive connection as the request
 * went out, or the instance behind a balancer died mid-request). A query changes nothing, so the
 * one retry, which a balancer sends to a live twin, is safe; a timeout is not retried, and a
 * mutation never is.
 */
function worthRetrying(err: FetchFailure): boolean {
  const reason = reasonOf(err);
  return reason === 'refused' || reason === 'reset';
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyContext = Record<string, any>;
type ProcessOptions<TContext extends AnyContext> = GraphQLDataSourceProcessOptions<TContext>;

/**
 * How the gateway talks to one subgraph: the sockets, one retry for a query whose kept-alive
 * connection failed under it, and, when the fetch fails for good, a log line and an error at each
 * field the subgraph should have answered.
 */
export class SubgraphTransport {
  private readonly agent: Agent;
  readonly fetcher: Fetcher;
  /**
   * A retry goes out on a connection of its own: the other kept-alive sockets may lead to the same
   * dead instance behind a balancer, and would fail the retry the same way.
   */
  private readonly freshConnections = new Agent({ pipelining: 0 });
  private readonly retrying = new AsyncLocalStorage<boolean>();

  constructor(
    readonly subgraph: SubgraphName,
    sockets: number,
    timeoutMs: number,
    private readonly log: Logger,
    private readonly metrics: TransportMetrics,
  ) {
    this.agent = subgraphAgent(sockets);
    // A subgraph that does not answer in time fails its part of the answer, not the gateway.
    this.fetcher = subgraphFetcher(() => (this.retrying.getStore() ? this.freshConnections : this.agent), timeoutMs);
  }

  /** Closes the sockets to the subgraph, once the gateway has answered its last request. */
  async close(): Promise<void> {
    await Promise.all([this.agent.close(), this.freshConnections.close()]);
  }

  /** Sends one fetch of a query plan through `send` (the data source's own processing). */
  async process<TContext extends AnyContext>(
    options: ProcessOptions<TContext>,
    send: (options: ProcessOptions<TContext>) => Promise<GatewayGraphQLResponse>,
  ): Promise<GatewayGraphQLResponse> {
    if (options.kind !== GraphQLDataSourceRequestKind.INCOMING_OPERATION) return send(options);
    const stopTimer = this.metrics.fetchDuration.startTimer({ subgraph: this.subgraph });
    try {
      const response = await this.sendRetryingQueries(options, send);
      const failed = response.errors?.filter((error) => error.extensions?.code === undefined || error.extensions.code === ErrorCode.INTERNAL_SERVER_ERROR);
      if (failed?.length) {
        // The subgraph logged the cause under the same request id.
        this.log.error({ subgraph: this.subgraph, errors: failed.length, paths: failed.slice(0, 5).map((error) => error.path) }, 'subgraph answered with errors');
      }
      return response;
    } catch (err) {
      // A variable that does not coerce is the caller's mistake, answered as such (see errorFromResponse).
      if ((err as { extensions?: { code?: unknown } }).extensions?.code === ErrorCode.BAD_USER_INPUT) throw err;
      const reason = reasonOf(err as FetchFailure);
      this.metrics.fetchErrors.inc({ subgraph: this.subgraph, reason });
      this.log.error({ subgraph: this.subgraph, reason, err }, 'subgraph fetch failed');
      return { errors: unansweredFieldErrors(options.request.query, options.request.variables) };
    } finally {
      stopTimer();
    }
  }

  private async sendRetryingQueries<TContext extends AnyContext>(
    options: ProcessOptions<TContext>,
    send: (options: ProcessOptions<TContext>) => Promise<GatewayGraphQLResponse>,
  ): Promise<GatewayGraphQLResponse> {
    try {
      return await send(options);
    } catch (err) {
      // A mutation may have been carried out before its connection failed: it is never sent twice.
      if (isMutation(options.request.query) || !worthRetrying(err as FetchFailure)) throw err;
      const reason = reasonOf(err as FetchFailure);
      this.metrics.fetchRetries.inc({ subgraph: this.subgraph, reason });
      this.log.debug({ subgraph: this.subgraph, reason }, 'subgraph fetch retried');
      return await this.retrying.run(true, () => send(options));
    }
  }
}

/** The gateway's counts of its fetches to the subgraphs, registered once per gateway. */
export interface TransportMetrics {
  fetchErrors: Counter<'subgraph' | 'reason'>;
  fetchRetries: Counter<'subgraph' | 'reason'>;
  fetchDuration: Histogram<'subgraph'>;
}

export function transportMetrics(metrics: ServiceMetrics): TransportMetrics {
  const registers = [metrics.registry];
  return {
    fetchErrors: new Counter({
      name: 'sanji_gateway_subgraph_fetch_errors_total',
      help: 'Fetches to a subgraph that failed for good (after any retry), by subgraph and reason (refused, reset, timeout, status, other).',
      labelNames: ['subgraph', 'reason'],
      registers,
    }),
    fetchRetries: new Counter({
      name: 'sanji_gateway_subgraph_fetch_retries_total',
      help: "Query fetches sent a second time after their connection was refused or their kept-alive socket reset, by subgraph and reason.",
      labelNames: ['subgraph', 'reason'],
      registers,
    }),
    fetchDuration: new Histogram({
      name: 'sanji_gateway_subgraph_fetch_duration_seconds',
      help: 'Time a fetch to a subgraph takes, retry included, by subgraph.',
      labelNames: ['subgraph'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
      registers,
    }),
  };
}

/** The gateway writes each subgraph fetch as one operation, `mutation …` when it is one. */
export function isMutation(query: string | undefined): boolean {
  return query !== undefined && /^\s*mutation\b/.test(query);
}

/**
 * One error at each field a failed fetch should have answered, so the caller learns which parts
 * of the answer are missing. The gateway places them: a root field's path as is, and
 * `_entities.<i>.<field>` at the place of the i-th entity in the answer.
 */
export function unansweredFieldErrors(query: string | undefined, variables: Record<string, unknown> | undefined): GraphQLFormattedError[] {
  const failure = (path?: (string | number)[]): GraphQLFormattedError => ({
    message: 'Internal server error.',
    ...(path ? { path } : {}),
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  });
  try {
    const document = parse(query ?? '');
    const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    if (!operation) return [failure()];
    const fragments = new Map(
      document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]),
    );
    const root = operation.selectionSet.selections;
    const entities = root.length === 1 && root[0].kind === Kind.FIELD && root[0].name.value === '_entities' ? root[0] : null;
    const representations = variables?.representations;
    if (!entities) {
      const keys = responseKeys(operation.selectionSet, null, fragments);
      return keys.length ? keys.map((key) => failure([key])) : [failure()];
    }
    if (!Array.isArray(representations) || !entities.selectionSet) return [failure()];
    return representations.flatMap((representation, index) => {
      const keys = responseKeys(entities.selectionSet!, (representation as { __typename?: string })?.__typename ?? null, fragments);
      return keys.length ? keys.map((key) => failure(['_entities', index, key])) : [failure(['_entities', index])];
    });
  } catch {
    return [failure()];
  }
}

/** The fields a selection asks of an object of type `typename` (any type when null), by the key they answer under. */
function responseKeys(selectionSet: SelectionSetNode, typename: string | null, fragments: Map<string, FragmentDefinitionNode>): string[] {
  const keys = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== '__typename') keys.add(selection.alias?.value ?? selection.name.value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition?.name.value;
        if (!condition || !typename || condition === typename) visit(selection.selectionSet);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && (!typename || fragment.typeCondition.name.value === typename)) visit(fragment.selectionSet);
      }
    }
  };
  visit(selectionSet);
  return [...keys];
}
