import { startGateway } from '../gateway/src/server';
import type { SubgraphName } from '../shared/src/config';
import type { RunningServer } from '../shared/src/subgraph-server';
import { freePort } from './helpers/ports';
import { startStack, type Stack } from './helpers/stack';
import { expectNoErrors, expectRefused } from './helpers/expectations';

/** One sample of a Prometheus text exposition. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Reads the Prometheus text format line by line: `name{label="value",…} number`. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value;
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** A scrape, and the sum of a metric's samples whose labels include `labels`. */
async function scrape(baseUrl: string) {
  const response = await fetch(baseUrl.replace(/\/graphql$/, '/metrics'));
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const samples = parseExposition(await response.text());
  return {
    samples,
    value: (name: string, labels: Record<string, string | RegExp> = {}) =>
      samples
        .filter((sample) => sample.name === name)
        .filter((sample) => Object.entries(labels).every(([key, want]) => (typeof want === 'string' ? sample.labels[key] === want : want.test(sample.labels[key] ?? ''))))
        .reduce((sum, sample) => sum + sample.value, 0),
    has: (name: string) => samples.some((sample) => sample.name === name),
  };
}

const LEDGER = `query MetricsLedger { institutions(first: 3) { edges { node { name fullPartyMemberCount } } } }`;

describe('metrics an operator can scrape', () => {
  let stack: Stack;
  let province: string;

  beforeAll(async () => {
    // The activities subgraph's copy of the register polls the organization subgraph every second:
    // off here, so that a poll landing between two requests does not count as theirs.
    stack = await startStack({ registerSyncMs: 0 });
    province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('counts the gateway’s requests by operation name and outcome, with their latency and the process’s own figures', async () => {
    const before = await scrape(stack.gatewayUrl);
    expectNoErrors(await stack.request(LEDGER, {}, province));
    expectNoErrors(await stack.request(LEDGER, {}, province));
    const mistake = await stack.request(`query MetricsMistake { institutions(first: 1) { edges { node { noSuchField } } } }`, {}, province);
    expectRefused(mistake, 'GRAPHQL_VALIDATION_FAILED');

    const after = await scrape(stack.gatewayUrl);
    const requests = (operation: string, outcome: string) => ['sanji_graphql_requests_total', { operation, outcome, service: 'gateway' }] as const;
    expect(after.value(...requests('MetricsLedger', 'success')) - before.value(...requests('MetricsLedger', 'success'))).toBe(2);
    expect(after.value(...requests('MetricsMistake', 'client_error')) - before.value(...requests('MetricsMistake', 'client_error'))).toBe(1);
    const timed = (scraped: typeof after) => scraped.value('sanji_graphql_request_duration_seconds_count', { operation: 'MetricsLedger' });
    expect(timed(after) - timed(before)).toBe(2);
    expect(after.value('sanji_graphql_request_duration_seconds_bucket', { operation: 'MetricsLedger', le: '+Inf' })).toBe(timed(after));
    // The second ledger is the first one's answer again, kept whole by the gateway.
    expect(after.value('sanji_response_cache_misses_total') - before.value('sanji_response_cache_misses_total')).toBe(1);
    expect(after.value('sanji_response_cache_hits_total') - before.value('sanji_response_cache_hits_total')).toBe(1);
    expect(after.value('sanji_response_cache_active')).toBe(1);
    expect(after.value('sanji_response_cache_entries')).toBeGreaterThan(0);
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds']) {
      expect(after.has(name)).toBe(true);
    }
  });

  it('counts each subgraph’s requests, statements, pool connections and read-cache use, in a registry of its own', async () => {
    stack.forgetCachedReads();
    const before = await scrape(stack.subgraphUrls.organization);
    expectNoErrors(await stack.request(LEDGER, {}, province));
    const afterMiss = await scrape(stack.subgraphUrls.organization);
    // A caller of the same scope in another role: the gateway keeps answers per role, so it asks the subgraph, whose read cache keeps them per scope.
    expectNoErrors(await stack.request(LEDGER, {}, await stack.token({ tier: 'PROVINCE', regionCode: '210000', roles: ['editor'] })));
    const afterHit = await scrape(stack.subgraphUrls.organization);

    const ledgerFetches = (scraped: typeof before) => scraped.value('sanji_graphql_requests_total', { operation: /^MetricsLedger__organization__/, outcome: 'success' });
    expect(ledgerFetches(afterMiss) - ledgerFetches(before)).toBe(1);
    expect(ledgerFetches(afterHit) - ledgerFetches(afterMiss)).toBe(1);
    // The first answer is read from PostgreSQL and kept; the same request again is answered from the cache.
    expect(afterMiss.value('sanji_db_statements_total') - before.value('sanji_db_statements_total')).toBeGreaterThan(0);
    expect(afterMiss.value('sanji_read_cache_misses_total') - before.value('sanji_read_cache_misses_total')).toBeGreaterThan(0);
    expect(afterMiss.value('sanji_read_cache_entries')).toBeGreaterThan(0);
    expect(afterHit.value('sanji_read_cache_hits_total') - afterMiss.value('sanji_read_cache_hits_total')).toBeGreaterThan(0);
    expect(afterHit.value('sanji_db_statements_total')).toBe(afterMiss.value('sanji_db_statements_total'));
    expect(afterHit.value('sanji_read_cache_active')).toBe(1);
    // Served from the cache only after a round trip on the change feed that began after the request arrived.
    expect(afterHit.value('sanji_read_cache_feed_round_trips_total') - afterMiss.value('sanji_read_cache_feed_round_trips_total')).toBeGreaterThanOrEqual(1);

    const connections = afterHit.value('sanji_db_pool_connections');
    expect(connections).toBeGreaterThan(0);
    expect(connections).toBeLessThanOrEqual(stack.config.poolSize);
    expect(afterHit.value('sanji_db_pool_idle_connections')).toBeLessThanOrEqual(connections);
    expect(afterHit.has('sanji_db_pool_waiting_clients')).toBe(true);

    for (const name of Object.keys(stack.subgraphUrls) as SubgraphName[]) {
      const scraped = await scrape(stack.subgraphUrls[name]);
      expect(new Set(scraped.samples.map((sample) => sample.labels.service))).toEqual(new Set([name]));
      expect(scraped.has('process_cpu_user_seconds_total')).toBe(true);
    }
  });

  it('keeps the figures the benchmark reads as JSON beside them', async () => {
    const figures = await (await fetch(stack.subgraphUrls.members.replace(/\/graphql$/, '/metrics.json'))).json();
    expect(figures).toEqual({
      requests: expect.any(Number),
      statements: expect.any(Number),
      readCache: { active: true, entries: expect.any(Number), hits: expect.any(Number), misses: expect.any(Number), forgotten: expect.any(Number), roundTrips: expect.any(Number) },
    });
  });

  describe('while a subgraph is stopped', () => {
    let gateway: RunningServer;
    beforeAll(async () => {
      gateway = await startGateway(stack.config, { port: 0, subgraphUrls: { members: `http://127.0.0.1:${await freePort()}/graphql` } });
    });
    afterAll(async () => {
      await gateway?.stop();
    });

    it('counts the failed fetch against that subgraph, and the request as an error', async () => {
      const answer = await stack.request(LEDGER, {}, province, gateway.url);
      expect(answer.body.errors).toHaveLength(3);
      const scraped = await scrape(gateway.url);
      expect(scraped.value('sanji_gateway_subgraph_fetch_errors_total', { subgraph: 'members', reason: 'refused' })).toBe(1);
      expect(scraped.value('sanji_gateway_subgraph_fetch_errors_total', { subgraph: 'organization' })).toBe(0);
      // A refused connection reached nothing, so the query's fetch was tried once more before failing.
      expect(scraped.value('sanji_gateway_subgraph_fetch_retries_total', { subgraph: 'members', reason: 'refused' })).toBe(1);
      expect(scraped.value('sanji_graphql_requests_total', { operation: 'MetricsLedger', outcome: 'error' })).toBe(1);
      expect(scraped.value('sanji_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'organization' })).toBe(1);
    });
  });
});
