import type { ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ErrorCode } from './errors';
import type { Logger } from './logger';

/**
 * Seconds a GraphQL request takes: a subgraph answers a warm fetch in about a millisecond, the
 * gateway a dashboard in tens; the top bucket is the request timeout's order.
 */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15];

/**
 * Most operation names a service keeps as label values. Callers name their operations freely, so
 * past this many distinct names the rest are counted together as `other`, and the series a
 * scrape returns stay bounded.
 */
const MAX_OPERATION_NAMES = 200;

/** What became of a GraphQL request: answered whole, refused for the caller's mistake, or failed in part or whole. */
export type Outcome = 'success' | 'client_error' | 'error';

/**
 * The process's own figures (CPU, memory, heap, event-loop lag, garbage collection), collected
 * once per process however many services it runs (the tests run several), and added to each
 * service's scrape.
 */
let processRegistry: Registry | undefined;

function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * One service's metrics, in a registry of its own: tests run several services in one process, and
 * each scrape must describe only the service it was sent to.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'operation' | 'outcome'>;
  private readonly latency: Histogram<'operation'>;
  private readonly operationNames = new Set<string>();
  private readonly requestChildren = new Map<string, Counter.Internal>();
  private readonly latencyChildren = new Map<string, Histogram.Internal<'operation'>>();

  constructor(readonly service: string) {
    processMetrics();
    this.requests = new Counter({
      name: 'sanji_graphql_requests_total',
      help: 'GraphQL requests answered, by operation name and outcome (success, client_error, error).',
      labelNames: ['operation', 'outcome'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'sanji_graphql_request_duration_seconds',
      help: 'Time from receiving a GraphQL request to sending its answer, by operation name.',
      labelNames: ['operation'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
  }

  /** Counts one answered request. */
  recordRequest(operationName: string | null | undefined, outcome: Outcome, seconds: number): void {
    const operation = this.operationLabel(operationName);
    const key = `${operation}\n${outcome}`;
    let counter = this.requestChildren.get(key);
    if (!counter) this.requestChildren.set(key, (counter = this.requests.labels({ operation, outcome })));
    counter.inc();
    let histogram = this.latencyChildren.get(operation);
    if (!histogram) this.latencyChildren.set(operation, (histogram = this.latency.labels({ operation })));
    histogram.observe(seconds);
  }

  private operationLabel(name: string | null | undefined): string {
    if (!name) return '(anonymous)';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.operationNames.add(name);
    return name;
  }

  /**
   * A counter that follows a running total kept elsewhere (statements sent, cache hits): on each
   * scrape it moves by what the total has grown since the last one.
   */
  mirrorCounter(name: string, help: string, total: () => number): void {
    let last = 0;
    new Counter({
      name,
      help,
      registers: [this.registry],
      collect() {
        const now = total();
        if (now > last) this.inc(now - last);
        last = now;
      },
    });
  }

  /** A gauge read at each scrape (connections in a pool, entries in a cache). */
  readGauge(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  /** Answers a scrape in Prometheus's text format. */
  async send(res: ServerResponse): Promise<void> {
    try {
      const scraped = Registry.merge([this.registry, processMetrics()]);
      scraped.setDefaultLabels({ service: this.service });
      const text = await scraped.metrics();
      res.writeHead(200, { 'content-type': scraped.contentType, 'content-length': String(Buffer.byteLength(text)) });
      res.end(text);
    } catch {
      res.writeHead(500).end();
    }
  }
}

/** Error codes (or none) that mean the service failed; every other code names a mistake of the caller's. */
const SERVICE_FAULTS = new Set<unknown>([undefined, ErrorCode.INTERNAL_SERVER_ERROR, 'DOWNSTREAM_SERVICE_ERROR']);

/** What became of a request, from the errors in its answer. */
export function outcomeOf(errors: readonly GraphQLFormattedError[] | undefined): Outcome {
  if (!errors?.length) return 'success';
  return errors.some((error) => SERVICE_FAULTS.has(error.extensions?.code)) ? 'error' : 'client_error';
}

/**
 * Counts every GraphQL request a server answers, with its operation name, outcome and time taken,
 * and logs it at `debug` level (LOG_LEVEL=debug gives a line per request, with its id).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function requestMetricsPlugin(metrics: ServiceMetrics, log: Logger): ApolloServerPlugin<any> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, request, document, response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : response.body.initialResult.errors;
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          // A request refused before its operation was resolved (invalid, say) still counts under the name it gave.
          const operation = operationName ?? request.operationName ?? soleOperationName(document);
          const outcome = outcomeOf(errors);
          metrics.recordRequest(operation, outcome, seconds);
          log.debug({ operation, outcome, ms: Math.round(seconds * 1e4) / 10 }, 'request answered');
        },
      };
    },
  };
}

function soleOperationName(document: DocumentNode | undefined): string | undefined {
  const operations = document?.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION) ?? [];
  return operations.length === 1 && operations[0].kind === Kind.OPERATION_DEFINITION ? operations[0].name?.value : undefined;
}
