/**
 * `npm run soak -- [--duration 180] [--connections 20] [--warmup 60] [--scale liaoning] [--seed 1] [--save]`
 *
 * Builds Sanji and starts the compiled services, as the benchmark does, on a fresh database with
 * the demo dataset, then keeps `--connections` callers busy for `--duration` seconds with a mix of
 * every contract operation: PROVINCE, CITY, COUNTY and BRANCH callers, each asking about regions,
 * branches and members of its own tier, for years 2016 to 2019, institution kinds and pages.
 * Every 10 s it prints each service process's resident memory; every minute, the requests, errors
 * and latency percentiles of that minute. An error is an HTTP status other than 200, a GraphQL
 * error, an answer without the data asked for (every request stays inside its caller's tier), or
 * no answer within 30 s. It exits non-zero on any error.
 *
 * Writes a summary, with the commit, the machine's cores and the settings, to
 * bench/results/local/soak.json (git-ignored), or with `--save` to bench/results/soak.json.
 */
import { request as httpRequest, Agent } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import * as hdr from 'hdr-histogram-js';
import { PROJECT_ROOT } from '../shared/src/config';
import { configurePgTypes } from '../shared/src/pg-types';
import { parseOptions } from '../scripts/lib/args';
import type { Scale } from '../scripts/lib/database';
import { callers, type Caller } from './callers';
import { build, children, prepareDatabase, provenance, rssMb, startServices, subgraphMetrics, SUBGRAPH_NAMES, writeResult } from './services';

const options = parseOptions(process.argv.slice(2));
const one = (name: string, fallback: string) => options.get(name)?.at(-1) ?? fallback;
const duration = Number(one('duration', '180'));
const connections = Number(one('connections', '20'));
const warmup = Math.min(Number(one('warmup', '60')), Math.floor(duration / 3));
const scale = one('scale', 'liaoning') as Scale;
const seed = Number(one('seed', '1'));
const save = options.has('save');
const REQUEST_TIMEOUT_MS = 30_000;
const RSS_EVERY_MS = 10_000;

const say = (message: string) => process.stdout.write(`[soak] ${message}\n`);

/** A small seeded generator (mulberry32), so that two runs send the same mix. */
function random(seedValue: number): () => number {
  let a = seedValue >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = random(seed);
const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];

const operation = (name: string) => readFileSync(join(PROJECT_ROOT, 'contract', `${name}.graphql`), 'utf8');
const QUERIES = Object.fromEntries(['Viewer', 'ProvinceDashboard', 'InstitutionLedger', 'CampaignLedger', 'BranchProfile', 'MemberProfile'].map((name) => [name, operation(name)]));
const KINDS = ['LAW_FIRM', 'NOTARY_OFFICE', 'JUDICIAL_APPRAISAL', 'GRASSROOTS_LEGAL_SERVICE', null];
const YEARS = [2016, 2017, 2018, 2019];
const AWARD_YEARS = [2016, 2018];

/** What the mix asks about, read from the demo dataset. */
interface Dataset {
  cities: string[];
  counties: string[];
  branches: { id: string; region: string }[];
  members: { id: string; region: string; organization: string | null }[];
}

async function readDataset(url: string): Promise<Dataset> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const regions = (await client.query(`SELECT code, level FROM organization.region WHERE code LIKE '21%' ORDER BY code`)).rows as { code: string; level: string }[];
    const branches = (
      await client.query(
        `SELECT id, region_code AS region FROM organization.party_organization
          WHERE kind IN ('STANDALONE_BRANCH', 'JOINT_BRANCH') AND dissolved_on IS NULL ORDER BY id`,
      )
    ).rows;
    // A few members of every branch, and members with no branch, so every tier has some in its scope.
    const members = (
      await client.query(
        `SELECT id, region_code AS region, organization_id AS organization FROM (
           SELECT id, region_code, organization_id, row_number() OVER (PARTITION BY organization_id ORDER BY id) AS n FROM members.member
         ) m WHERE n <= 3 ORDER BY id`,
      )
    ).rows;
    return {
      cities: regions.filter((r) => r.level === 'CITY').map((r) => r.code),
      counties: regions.filter((r) => r.level === 'COUNTY').map((r) => r.code),
      branches,
      members,
    };
  } finally {
    await client.end();
  }
}


interface Request {
  name: string;
  caller: Caller;
  variables: Record<string, unknown>;
}


/** End cursors seen, so that some ledger requests ask for a next page as a user paging through would. */
const cursors = new Map<string, string>();

function nextRequest(byTier: Record<Caller['tier'], Caller[]>): Request {
  const caller = pick(byTier[pick(['PROVINCE', 'CITY', 'COUNTY', 'BRANCH'] as const)]);
  const year = pick(YEARS);
  const names =
    caller.tier === 'BRANCH'
      ? ['Viewer', 'BranchProfile', 'MemberProfile']
      : ['Viewer', 'ProvinceDashboard', 'ProvinceDashboard', 'InstitutionLedger', 'InstitutionLedger', 'CampaignLedger', 'BranchProfile', 'BranchProfile', 'MemberProfile'];
  let name = pick(names);
  if (name === 'BranchProfile' && caller.branches.length === 0) name = 'CampaignLedger';
  if (name === 'MemberProfile' && caller.members.length === 0) name = caller.tier === 'BRANCH' ? 'BranchProfile' : 'ProvinceDashboard';
  switch (name) {
    case 'ProvinceDashboard':
      return { name, caller, variables: { code: pick(caller.regions), year, awardYear: pick(AWARD_YEARS) } };
    case 'InstitutionLedger': {
      const code = pick(caller.regions);
      const kind = pick(KINDS);
      const first = pick([10, 20, 50]);
      const key = `${caller.token}|${code}|${kind}|${first}`;
      const after = next() < 0.3 ? (cursors.get(key) ?? null) : null;
      return { name, caller, variables: { code, kind, first, after, cursorKey: key } };
    }
    case 'CampaignLedger':
      return { name, caller, variables: { code: pick(caller.regions) } };
    case 'BranchProfile':
      return { name, caller, variables: { id: pick(caller.branches), year } };
    case 'MemberProfile':
      return { name, caller, variables: { id: pick(caller.members), year } };
    default:
      return { name: 'Viewer', caller, variables: {} };
  }
}

/** The root field each operation asks for: an answer without it is an error, as every request stays in its caller's tier. */
const ROOT: Record<string, string> = {
  Viewer: 'viewer',
  ProvinceDashboard: 'region',
  InstitutionLedger: 'region',
  CampaignLedger: 'region',
  BranchProfile: 'partyOrganization',
  MemberProfile: 'member',
};

const agent = new Agent({ keepAlive: true, maxSockets: connections });

function post(url: URL, body: string, token: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end(body);
  });
}

const histogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
const ms = (h: hdr.Histogram, percentile: number) => Math.round(h.getValueAtPercentile(percentile) / 10) / 100;

interface Minute {
  minute: number;
  requests: number;
  errors: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
}

async function main(): Promise<void> {
  configurePgTypes();
  say('building');
  build();
  const database = await prepareDatabase(scale, 'sanji_soak', say);
  let exitCode = 1;
  try {
    const stack = await startServices(database.env, false, say);
    try {
      exitCode = await soak(stack.url, stack.processes, stack.ports, database);
    } finally {
      await stack.stop();
    }
  } finally {
    await database.close();
  }
  process.exit(exitCode);
}

async function soak(
  gatewayUrl: string,
  processes: Record<string, import('node:child_process').ChildProcess>,
  ports: Record<string, number>,
  database: Awaited<ReturnType<typeof prepareDatabase>>,
): Promise<number> {
  const data = await readDataset(database.url);
  const all = await callers(database.config, data, 'soak');
  const byTier = { PROVINCE: [], CITY: [], COUNTY: [], BRANCH: [] } as Record<Caller['tier'], Caller[]>;
  for (const caller of all) byTier[caller.tier].push(caller);
  say(
    `${all.length} callers (${Object.entries(byTier).map(([tier, list]) => `${list.length} ${tier}`).join(', ')}), ` +
      `${data.branches.length} branches, ${data.members.length} members; ${connections} connections for ${duration} s, seed ${seed}`,
  );

  const url = new URL(gatewayUrl);
  const started = Date.now();
  const deadline = started + duration * 1000;
  const overall = histogram();
  let current = histogram();
  let minuteRequests = 0;
  let minuteErrors = 0;
  let minuteStarted = started;
  const minutes: Minute[] = [];
  const byOperation: Record<string, { requests: number; errors: number; latency: hdr.Histogram }> = {};
  const errorSamples: string[] = [];
  let errors = 0;
  let requests = 0;

  const closeMinute = (now: number) => {
    const seconds = (now - minuteStarted) / 1000;
    if (minuteRequests === 0 && seconds < 1) return;
    const row: Minute = {
      minute: minutes.length + 1,
      requests: minuteRequests,
      errors: minuteErrors,
      requestsPerSecond: Math.round(minuteRequests / Math.max(seconds, 0.001)),
      p50: ms(current, 50),
      p95: ms(current, 95),
      p99: ms(current, 99),
    };
    minutes.push(row);
    say(`minute ${row.minute}: ${row.requests} requests (${row.requestsPerSecond}/s), ${row.errors} errors, p50 ${row.p50} ms, p95 ${row.p95} ms, p99 ${row.p99} ms`);
    current = histogram();
    minuteRequests = 0;
    minuteErrors = 0;
    minuteStarted = now;
  };

  const record = (name: string, micros: number, error: string | null) => {
    // Answers still arriving after the last full minute count in it, not in a minute of their own.
    if (Date.now() - minuteStarted >= 60_000 && minuteStarted + 60_000 < deadline) closeMinute(minuteStarted + 60_000);
    const value = Math.max(1, Math.round(micros));
    overall.recordValue(value);
    current.recordValue(value);
    requests += 1;
    minuteRequests += 1;
    const op = (byOperation[name] ??= { requests: 0, errors: 0, latency: histogram() });
    op.requests += 1;
    op.latency.recordValue(value);
    if (error) {
      errors += 1;
      minuteErrors += 1;
      op.errors += 1;
      if (errorSamples.length < 20) errorSamples.push(`${name}: ${error}`);
      if (errors <= 5) say(`error in ${name}: ${error}`);
    }
  };

  const worker = async () => {
    while (Date.now() < deadline) {
      const { name, caller, variables } = nextRequest(byTier);
      const { cursorKey, ...sent } = variables as Record<string, unknown> & { cursorKey?: string };
      const body = JSON.stringify({ query: QUERIES[name], variables: sent });
      const begun = process.hrtime.bigint();
      let error: string | null = null;
      try {
        const { status, text } = await post(url, body, caller.token);
        const answer = (() => {
          try {
            return JSON.parse(text) as { data?: Record<string, any> | null; errors?: { message: string; path?: unknown; extensions?: Record<string, unknown> }[] };
          } catch {
            return null;
          }
        })();
        if (status !== 200) error = `HTTP ${status} ${text.slice(0, 200)}`;
        else if (!answer) error = `not JSON: ${text.slice(0, 200)}`;
        else if (answer.errors?.length) error = JSON.stringify(answer.errors.slice(0, 2)).slice(0, 400);
        else if (!answer.data?.[ROOT[name]]) error = `no ${ROOT[name]} in the answer for ${JSON.stringify(sent)}`;
        else if (cursorKey) {
          const pageInfo = answer.data.region?.institutions?.pageInfo;
          if (pageInfo?.hasNextPage && pageInfo.endCursor) cursors.set(cursorKey, pageInfo.endCursor);
          else cursors.delete(cursorKey);
        }
      } catch (err) {
        error = (err as Error).message;
      }
      record(name, Number(process.hrtime.bigint() - begun) / 1000, error);
    }
  };

  const watched: Record<string, number> = { ...Object.fromEntries(Object.entries(processes).map(([name, child]) => [name, child.pid!])), 'soak (load)': process.pid };
  const rss: { seconds: number; mb: Record<string, number> }[] = [];
  const sample = () => {
    const seconds = Math.round((Date.now() - started) / 1000);
    const mb = Object.fromEntries(Object.entries(watched).map(([name, pid]) => [name, rssMb(pid)]));
    rss.push({ seconds, mb });
    say(`${String(seconds).padStart(4)} s  RSS MB  ${Object.entries(mb).map(([name, value]) => `${name} ${value}`).join('  ')}`);
  };
  sample();
  const timer = setInterval(sample, RSS_EVERY_MS);
  await Promise.all(Array.from({ length: connections }, () => worker()));
  clearInterval(timer);
  closeMinute(Date.now());
  sample();

  // Growth after warm-up: the last reading against the first one taken once the warm-up was over.
  const base = rss.find((r) => r.seconds >= warmup) ?? rss[0];
  const last = rss[rss.length - 1];
  const growthMb = Object.fromEntries(Object.keys(watched).map((name) => [name, last.mb[name] - base.mb[name]]));
  const readCaches: Record<string, unknown> = {};
  for (const name of SUBGRAPH_NAMES) readCaches[name] = await subgraphMetrics(ports[name]).then((m) => m.readCache, () => null);
  const seconds = (Date.now() - started) / 1000;
  const summary = {
    ...provenance({ scale, duration, connections, seed, warmup }),
    scale,
    duration,
    connections,
    seed,
    warmup,
    requests,
    requestsPerSecond: Math.round(requests / seconds),
    errors,
    p50: ms(overall, 50),
    p95: ms(overall, 95),
    p99: ms(overall, 99),
    max: ms(overall, 100),
    minutes,
    byOperation: Object.fromEntries(
      Object.entries(byOperation).map(([name, op]) => [name, { requests: op.requests, errors: op.errors, p50: ms(op.latency, 50), p95: ms(op.latency, 95), p99: ms(op.latency, 99) }]),
    ),
    rssMb: rss,
    rssGrowthAfterWarmupMb: growthMb,
    readCaches,
    errorSamples,
  };
  say(`${requests} requests in ${seconds.toFixed(0)} s (${summary.requestsPerSecond}/s), ${errors} errors; p50 ${summary.p50} ms, p95 ${summary.p95} ms, p99 ${summary.p99} ms, max ${summary.max} ms`);
  for (const [name, op] of Object.entries(summary.byOperation)) say(`  ${name}: ${op.requests} requests, ${op.errors} errors, p50 ${op.p50} ms, p95 ${op.p95} ms, p99 ${op.p99} ms`);
  say(`RSS growth after the ${warmup} s warm-up (MB): ${Object.entries(growthMb).map(([name, mb]) => `${name} ${mb >= 0 ? '+' : ''}${mb}`).join(', ')}`);
  writeResult(save, 'soak.json', `${JSON.stringify(summary, null, 2)}\n`, say);
  return errors === 0 ? 0 : 1;
}

main().catch(async (err) => {
  console.error(err);
  for (const child of children) child.kill('SIGTERM');
  process.exit(1);
});
