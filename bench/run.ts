/**
 * `npm run bench -- [--scale liaoning|national] [--duration 10] [--warmup 3] [--process-warmup 5] [--connections 1,50] [--only Op,Op] [--levers] [--save]`
 * `npm run bench -- --mix [--writes-per-second 2] [--duration 60] [--connections 50] [--scale liaoning|national] [--save]` (see mix.ts)
 *
 * Builds Sanji and starts the compiled services, as production runs them, on a fresh database
 * with the demo dataset (embedded PostgreSQL, or DATABASE_URL's server). Runs every contract
 * operation as PROVINCE, CITY and COUNTY callers with autocannon at each concurrency, and runs the
 * same again through the same gateway against stand-in subgraphs that answer from memory (the
 * floor). Writes bench/results/<scale>.json and <scale>.md (<scale>-uncached.* when
 * SANJI_READ_CACHE_ENTRIES=0 turns the read cache off), and the same as latest.json and latest.md.
 *
 * With `--levers`, measures instead what each tuning setting is worth: ProvinceDashboard as the
 * province, with the setting off and on, the services restarted for each; and a subgraph's
 * `_entities` answer with inline tracing requested, with tracing off and on. Writes
 * levers.json and levers.md, in the same folder.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import * as hdr from 'hdr-histogram-js';
import { signToken } from '../shared/src/auth';
import { createProofSigner, PROOF_HEADER } from '../shared/src/internal';
import { changeChannel } from '../shared/src/read-cache';
import { loadConfig, PROJECT_ROOT, type SubgraphName } from '../shared/src/config';
import { configurePgTypes } from '../shared/src/pg-types';
import { parseOptions } from '../scripts/lib/args';
import { type Scale } from '../scripts/lib/database';
import { runMix } from './mix';
import { build, children, cpuReading, metrics, peakRssMb, prepareDatabase, provenance, startServices as startStack, SUBGRAPH_NAMES, writeResult } from './services';
import { pgTimeReading } from './pg-time';

const options = parseOptions(process.argv.slice(2));
const one = (name: string, fallback: string) => options.get(name)?.at(-1) ?? fallback;
const scale = one('scale', 'liaoning') as Scale;
const duration = Number(one('duration', '10'));
const warmup = Number(one('warmup', '3'));
const concurrencies = one('connections', '1,50').split(',').map(Number);
const only = options.get('only')?.flatMap((o) => o.split(','));
const save = options.has('save');

const TIERS = [
  { tier: 'PROVINCE', regionCode: '210000' },
  { tier: 'CITY', regionCode: '210300' },
  { tier: 'COUNTY', regionCode: '210302' },
] as const;
// Viewer always runs: every other row is reported against it (`ofViewer`).
const OPERATIONS = ['Viewer', 'ProvinceDashboard', 'InstitutionLedger', 'CampaignLedger', 'BranchProfile', 'MemberProfile', 'StationWorkList'].filter((o) => o === 'Viewer' || !only || only.includes(o));

const say = (message: string) => process.stdout.write(`[bench] ${message}\n`);

/**
 * Empties the subgraphs' read caches the way any change does, by an announcement on each
 * schema's channel, and waits until they have heard it.
 */
async function forgetCachedReads(databaseUrl: string, ports: Record<SubgraphName, number>): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const name of SUBGRAPH_NAMES) await client.query(`NOTIFY ${changeChannel(name)}`);
  } finally {
    await client.end();
  }
  for (let i = 0; i < 100 && (await metrics(ports)).cachedEntries > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Waits until no subgraph has received a request for a while: the previous run's backlog is gone. */
async function settle(ports: Record<SubgraphName, number>): Promise<void> {
  let last = -1;
  for (let i = 0; i < 120; i++) {
    const { requests } = await metrics(ports);
    if (requests === last) return;
    last = requests;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

interface Measurement {
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

async function load(url: string, body: string, token: string, connections: number, seconds: number, extraHeaders: Record<string, string> = {}): Promise<Measurement> {
  const latencies = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...extraHeaders },
    body,
    // In microseconds, so that sub-millisecond answers keep their precision.
    setupClient: (client) => {
      client.on('response', (_status: number, _bytes: number, responseTime: number) => latencies.recordValue(Math.max(1, Math.round(responseTime * 1000))));
    },
  });
  const ms = (percentile: number) => Math.round(latencies.getValueAtPercentile(percentile) / 10) / 100;
  return {
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.average),
    p50: ms(50),
    p95: ms(95),
    p99: ms(99),
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

const startServices = (baseEnv: NodeJS.ProcessEnv, withFloor: boolean) => startStack(baseEnv, withFloor, say);

async function main(): Promise<void> {
  configurePgTypes();
  if (options.has('mix')) return runMix(options, say);
  say('building');
  build();
  const database = await prepareDatabase(scale, `sanji_bench_${scale}`, say);
  try {
    if (options.has('levers')) await measureLevers(database.config, database.env, database.url);
    else await measureOperations(database.config, database.env, database.url, database.loadSeconds);
  } finally {
    await database.close();
  }
}

async function measureOperations(config: ReturnType<typeof loadConfig>, env: NodeJS.ProcessEnv, databaseUrl: string, loadSeconds: number): Promise<void> {
  const stack = await startServices(env, true);
  const { url: ours, ports, processes } = stack;
  const floor = stack.floorUrl!;
  const provinceToken = await signToken(config, { subject: 'bench', tier: 'PROVINCE', regionCode: '210000', roles: ['viewer'] });
  const ask = async (query: string, variables: Record<string, unknown>) =>
    ((await (await fetch(ours, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${provinceToken}` }, body: JSON.stringify({ query, variables }) })).json()) as any).data;
  const { institutions } = await ask('{ institutions(filter: { nameContains: "辽宁弘扬律师事务所" }, first: 1) { edges { node { partyOrganization { id } } } } }', {});
  const branchId = institutions.edges[0].node.partyOrganization.id as string;
  const { members } = await ask('query($id: ID) { members(filter: { organizationId: $id }, first: 1) { edges { node { id } } } }', { id: branchId });
  const memberId = members.edges[0].node.id as string;

  // Services run for weeks: the figures are for processes whose code V8 has already optimized.
  // Each operation runs once through both gateways for `--process-warmup` seconds (default 5)
  // before any is measured.
  const processWarmup = Number(one('process-warmup', '5'));
  for (const operation of OPERATIONS) {
    const query = readFileSync(join(PROJECT_ROOT, 'contract', `${operation}.graphql`), 'utf8');
    const body = JSON.stringify({ query, variables: { code: '210000', year: 2019, awardYear: 2016, withinDays: 90, kind: 'LAW_FIRM', first: 20, id: operation === 'MemberProfile' ? memberId : branchId } });
    if (processWarmup > 0) for (const url of [ours, floor]) await load(url, body, provinceToken, 50, processWarmup);
  }
  say('processes warmed up');

  const rows: Record<string, unknown>[] = [];
  for (const operation of OPERATIONS) {
    const query = readFileSync(join(PROJECT_ROOT, 'contract', `${operation}.graphql`), 'utf8');
    for (const { tier, regionCode } of TIERS) {
      const variables: Record<string, unknown> = { code: regionCode, year: 2019, awardYear: 2016, withinDays: 90, kind: 'LAW_FIRM', first: 20, id: operation === 'MemberProfile' ? memberId : branchId };
      const body = JSON.stringify({ query, variables });
      const token = await signToken(config, { subject: `bench-${tier}`, tier, regionCode, roles: ['viewer'] });
      await settle(ports);
      // What one request costs when nothing it needs is cached: the figure the statement-count test holds.
      await forgetCachedReads(databaseUrl, ports);
      const before = await metrics(ports);
      const probe = await fetch(ours, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
      const responseBytes = (await probe.arrayBuffer()).byteLength;
      const after = await metrics(ports);
      // The first request through the floor gateway records the stand-ins' answers.
      await fetch(floor, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
      for (const connections of concurrencies) {
        await load(ours, body, token, connections, warmup);
        await settle(ports);
        const ownProcesses = Object.fromEntries(Object.entries(processes).filter(([name]) => SUBGRAPH_NAMES.includes(name as SubgraphName) || name === 'gateway'));
        const cpu = cpuReading(ownProcesses);
        const statementsBefore = (await metrics(ports)).statements;
        const pgTime = await pgTimeReading(databaseUrl);
        const { requests, ...measured } = await load(ours, body, token, connections, duration);
        const cpuMsPerRequest = cpu(requests);
        const postgresTime = await pgTime(requests);
        const warmStatements = ((await metrics(ports)).statements - statementsBefore) / Math.max(1, requests);
        await settle(ports);
        await load(floor, body, token, connections, warmup);
        const { requests: _floorRequests, ...floorMeasured } = await load(floor, body, token, connections, duration);
        const row = {
          operation,
          tier,
          scale,
          connections,
          ...measured,
          responseBytes,
          sqlStatements: after.statements - before.statements,
          sqlStatementsWarm: Math.round(warmStatements * 100) / 100,
          subgraphFetches: after.requests - before.requests,
          floorRequestsPerSecond: floorMeasured.requestsPerSecond,
          floorP50: floorMeasured.p50,
          ofFloor: Math.round((measured.requestsPerSecond / floorMeasured.requestsPerSecond) * 100) / 100,
          cpuMsPerRequest,
          ...(postgresTime ?? { pgMsPerRequest: null }),
        };
        rows.push(row);
        say(`${operation} ${tier} c=${connections}: ${measured.requestsPerSecond} req/s, p50 ${measured.p50} ms, floor ${floorMeasured.requestsPerSecond} req/s (${row.ofFloor})`);
      }
    }
  }

  // A trivial request through the same gateway, as the province at the same connections: the honest floor of a read.
  for (const row of rows) {
    const viewer = rows.find((r) => r.operation === 'Viewer' && r.tier === 'PROVINCE' && r.connections === row.connections) as { requestsPerSecond: number } | undefined;
    row.ofViewer = viewer ? Math.round(((row.requestsPerSecond as number) / viewer.requestsPerSecond) * 100) / 100 : null;
  }
  const peakRss = Object.fromEntries(Object.entries(processes).map(([name, child]) => [name, peakRssMb(child.pid!)]));
  await stack.stop();
  const readCache = process.env.SANJI_READ_CACHE_ENTRIES === '0' ? 'off' : 'on';
  const results = {
    ...provenance({ scale, readCache, duration, warmup, processWarmup, connections: concurrencies, operations: OPERATIONS }),
    scale,
    readCache,
    duration,
    warmup,
    loadSeconds,
    peakRssMb: peakRss,
    runs: rows,
  };
  // latest.* is the newest run of any kind; <scale>.* keeps each scale's newest beside the other's,
  // and <scale>-uncached.* the newest with the read cache off, where every request reaches PostgreSQL.
  const kept = readCache === 'on' ? scale : `${scale}-uncached`;
  for (const name of [kept, 'latest']) {
    writeResult(save, `${name}.json`, `${JSON.stringify(results, null, 2)}\n`, say);
    writeResult(save, `${name}.md`, markdown(results), say);
  }
}

/**
 * Each setting the README's table of levers reports, with the values compared; the default last.
 * All but the first run with the read cache off, so that every request reaches PostgreSQL.
 */
const LEVERS = [
  { lever: 'Read cache in each subgraph, cleared by every change', setting: 'SANJI_READ_CACHE_ENTRIES', values: ['0', '20000'] },
  { lever: 'Kept-alive, bounded socket pool from the gateway to each subgraph', setting: 'SANJI_SUBGRAPH_SOCKETS', values: ['0', '16'] },
  { lever: 'Query-plan cache in the gateway', setting: 'SANJI_QUERY_PLAN_CACHE_MB', values: ['0', '30'] },
  { lever: 'PostgreSQL pool of each service, sized to the machine', setting: 'SANJI_DB_POOL_SIZE', values: ['1', '20', '10', '4'] },
  { lever: 'Named statements, parsed once per connection', setting: 'SANJI_PREPARED_STATEMENTS', values: ['off', 'on'] },
];

async function measureLevers(config: ReturnType<typeof loadConfig>, env: NodeJS.ProcessEnv, url: string): Promise<void> {
  const query = readFileSync(join(PROJECT_ROOT, 'contract', 'ProvinceDashboard.graphql'), 'utf8');
  const body = JSON.stringify({ query, variables: { code: '210000', year: 2019, awardYear: 2016, kind: 'LAW_FIRM' } });
  const token = await signToken(config, { subject: 'bench-levers', tier: 'PROVINCE', regionCode: '210000', roles: ['viewer'] });
  const rows: Record<string, unknown>[] = [];
  for (const { lever, setting, values } of LEVERS) {
    for (const value of values) {
      const stack = await startServices({ ...env, SANJI_READ_CACHE_ENTRIES: '0', [setting]: value }, false);
      for (const connections of concurrencies) {
        await load(stack.url, body, token, connections, warmup);
        await settle(stack.ports);
        const { requests: _requests, ...measured } = await load(stack.url, body, token, connections, duration);
        rows.push({ lever, setting: `${setting}=${value}`, operation: 'ProvinceDashboard', connections, ...measured });
        say(`${setting}=${value} c=${connections}: ${measured.requestsPerSecond} req/s, p50 ${measured.p50} ms`);
      }
      await stack.stop();
    }
  }

  // A trace is made only when the gateway asks for one, so the subgraph is asked directly, as a
  // gateway reporting traces would ask it: every Liaoning region's statistics in one _entities call.
  const client = new (await import('pg')).Client({ connectionString: url });
  await client.connect();
  const regions = (await client.query(`SELECT code FROM organization.region WHERE code LIKE '21%' ORDER BY code`)).rows.map((row) => ({ __typename: 'Region', code: row.code }));
  await client.end();
  const entities = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Region { memberStats(practice: LAWYER) { practitioners partyMembers fullMembers } } } }';
  const entitiesBody = JSON.stringify({ query: entities, variables: { representations: regions } });
  const sign = createProofSigner(config, 'gateway');
  for (const value of ['on', 'off']) {
    const stack = await startServices({ ...env, SANJI_READ_CACHE_ENTRIES: '0', SANJI_INLINE_TRACING: value }, false);
    const target = `http://127.0.0.1:${stack.ports.members}/graphql`;
    for (const connections of concurrencies) {
      // A proof lives 30 seconds: one for the warm-up, a fresh one for the run.
      const headers = async () => ({ 'apollo-federation-include-trace': 'ftv1', [PROOF_HEADER]: await sign(entities, { representations: regions }, { authorization: `Bearer ${token}` }) });
      await load(target, entitiesBody, token, connections, warmup, await headers());
      const { requests: _requests, ...measured } = await load(target, entitiesBody, token, connections, duration, await headers());
      rows.push({ lever: 'Inline tracing and per-field cache-control hooks in the subgraphs', setting: `SANJI_INLINE_TRACING=${value}`, operation: `members _entities (${regions.length} regions)`, connections, ...measured });
      say(`SANJI_INLINE_TRACING=${value} c=${connections}: ${measured.requestsPerSecond} req/s, p50 ${measured.p50} ms`);
    }
    await stack.stop();
  }

  const lines = [
    `Scale \`${scale}\`, ${duration} s per run after a warm-up of ${warmup} s; the services restarted for each setting, with the read cache off except where it is the lever.`,
    '',
    '| lever | setting | operation | conn. | req/s | p50 ms | p95 ms | errors |',
    '|---|---|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.lever} | \`${r.setting}\` | ${r.operation} | ${r.connections} | ${r.requestsPerSecond} | ${r.p50} | ${r.p95} | ${r.errors} |`),
    '',
  ];
  const settings = provenance({ scale, duration, warmup, connections: concurrencies, levers: LEVERS });
  writeResult(save, 'levers.json', `${JSON.stringify({ ...settings, scale, duration, warmup, runs: rows }, null, 2)}\n`, say);
  writeResult(save, 'levers.md', lines.join('\n'), say);
}

/** `gateway / organization + members + activities + commendations / postgres`, in ms of CPU per request. */
function cpuCell(cpu: Record<string, number> | undefined): string {
  if (!cpu) return '';
  return `${cpu.gateway} / ${SUBGRAPH_NAMES.map((name) => cpu[name]).join(' + ')} / ${cpu.postgres}`;
}

function markdown(results: { commit: string; cores: number; scale: string; readCache: string; duration: number; loadSeconds: number; peakRssMb: Record<string, number>; runs: Record<string, any>[] }): string {
  const lines = [
    `Commit \`${results.commit}\`, ${results.cores} cores. Scale \`${results.scale}\`, read cache ${results.readCache}, ${results.duration} s per run after a warm-up; dataset loaded in ${results.loadSeconds.toFixed(1)} s.`,
    '',
    '| operation | tier | conn. | req/s | p50 ms | p95 ms | p99 ms | errors | bytes | SQL cold / warm | fetches | floor req/s | of floor | of Viewer | CPU ms/req: gateway, subgraphs, PostgreSQL |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...results.runs.map((r) =>
      `| ${r.operation} | ${r.tier} | ${r.connections} | ${r.requestsPerSecond} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.errors} | ${r.responseBytes} | ${r.sqlStatements} / ${r.sqlStatementsWarm} | ${r.subgraphFetches} | ${r.floorRequestsPerSecond} | ${r.ofFloor} | ${r.ofViewer ?? ''} | ${cpuCell(r.cpuMsPerRequest)} |`,
    ),
    '',
    `Peak RSS (MB): ${Object.entries(results.peakRssMb).map(([name, mb]) => `${name} ${mb}`).join(', ')}.`,
    '',
  ];
  return lines.join('\n');
}

main().catch(async (err) => {
  console.error(err);
  for (const child of children) child.kill('SIGTERM');
  process.exit(1);
});
