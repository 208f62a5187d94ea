/**
 * `npm run bench -- --mix [--writes-per-second 2] [--duration 60] [--connections 50] [--scale liaoning|national]
 *   [--warmup 5] [--seed 1] [--deck 2000] [--save]`
 *
 * Real use rather than one request repeated: a fixed-seed deck of requests over every query in
 * `contract/` (read from the folder, so an operation added later joins the mix with the default
 * weight), each sent by a caller of a tier that may ask it (the province, every city, every county,
 * every fifth branch) about regions, branches and members of its own scope, for the years 2016 to
 * 2019. While the deck is sent, single-record writes of all four subgraphs arrive at
 * `--writes-per-second`, spread over the counties: an institution renamed, a member's phone
 * changed, an activity recorded, a commendation program opened. `--connections` and
 * `--writes-per-second` take comma-separated lists; each pair is one run.
 *
 * Each run also sends, at the same connections: `Viewer` (a trivial request through the same
 * gateway: the honest floor of a read), and the same deck through a second gateway whose subgraphs
 * are stand-ins answering from memory (the floor of the subgraphs' work). It reports requests per
 * second, p50/p95/p99, errors (HTTP, GraphQL, an answer missing its root field, a failed write),
 * SQL statements per request and each subgraph's read-cache hit ratio (from `/metrics.json`), each
 * process's peak RSS during the run, `ofFloor` and `ofViewer`.
 *
 * Writes bench/results/local/mixed.json, or with `--save` bench/results/mixed.json.
 */
import { request as httpRequest, Agent } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type OperationDefinitionNode, type TypeNode } from 'graphql';
import { Client } from 'pg';
import * as hdr from 'hdr-histogram-js';
import { signToken } from '../shared/src/auth';
import { PROJECT_ROOT, type SubgraphName } from '../shared/src/config';
import type { Scale } from '../scripts/lib/database';
import { callers, type Caller } from './callers';
import { build, children, cpuReading, gatewayMetrics, metrics, peakRssMb, prepareDatabase, provenance, readResult, resetPeakRss, startServices, subgraphMetrics, SUBGRAPH_NAMES, writeResult } from './services';

type Options = Map<string, string[]>;
type Say = (message: string) => void;

/**
 * How often stations ask each operation, relative to one another: ledgers and profiles most,
 * dashboards less. An operation not listed gets `DEFAULT_WEIGHT`.
 */
const WEIGHTS: Record<string, number> = {
  MemberProfile: 6,
  BranchProfile: 6,
  InstitutionLedger: 6,
  CampaignLedger: 4,
  ProvinceDashboard: 2,
  CoverageTrend: 1,
  StationWorkList: 3,
  Viewer: 1,
};
const DEFAULT_WEIGHT = 2;

const YEARS = [2016, 2017, 2018, 2019];
const KINDS = ['LAW_FIRM', 'NOTARY_OFFICE', 'JUDICIAL_APPRAISAL', 'GRASSROOTS_LEGAL_SERVICE'];
const PAGE_SIZES = [10, 20, 50];
const WITHIN_DAYS = [30, 90, 180];
const REQUEST_TIMEOUT_MS = 30_000;

/** A small seeded generator (mulberry32), so that two runs send the same deck. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A contract query as the mix needs it: its text, its variables, and the root field its answer must hold. */
interface Operation {
  name: string;
  query: string;
  root: string;
  weight: number;
  variables: { name: string; type: string; required: boolean }[];
}

function typeName(type: TypeNode): { name: string; required: boolean } {
  if (type.kind === Kind.NON_NULL_TYPE) return { ...typeName(type.type), required: true };
  if (type.kind === Kind.LIST_TYPE) return { name: `[${typeName(type.type).name}]`, required: false };
  return { name: type.name.value, required: false };
}

/** Every query in `contract/`. */
export function contractQueries(): Operation[] {
  const folder = join(PROJECT_ROOT, 'contract');
  const operations: Operation[] = [];
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.graphql')).sort()) {
    const query = readFileSync(join(folder, file), 'utf8');
    const definition = parse(query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (!definition || definition.operation !== 'query' || !definition.name) continue;
    const rootField = definition.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
    if (!rootField || rootField.kind !== Kind.FIELD) continue;
    const name = definition.name.value;
    operations.push({
      name,
      query,
      root: rootField.alias?.value ?? rootField.name.value,
      weight: WEIGHTS[name] ?? DEFAULT_WEIGHT,
      variables: (definition.variableDefinitions ?? []).map((v) => {
        const { name: type, required } = typeName(v.type);
        return { name: v.variable.name.value, type, required };
      }),
    });
  }
  return operations;
}

/** What the mix asks about and writes to, read from the dataset. */
interface Dataset {
  cities: string[];
  counties: string[];
  branches: { id: string; region: string }[];
  members: { id: string; region: string; organization: string | null }[];
  /** Per county, what its writes change: an institution, a member, a branch. */
  writable: { county: string; institution: { id: string; name: string } | null; member: string | null; branch: string | null }[];
}

async function readDataset(url: string): Promise<Dataset> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const regions = (await client.query(`SELECT code, level FROM organization.region WHERE code LIKE '21%' ORDER BY code`)).rows as { code: string; level: string }[];
    const branches = (
      await client.query(
        `SELECT id, region_code AS region FROM organization.party_organization
          WHERE kind IN ('STANDALONE_BRANCH', 'JOINT_BRANCH') AND dissolved_on IS NULL AND region_code LIKE '21%' ORDER BY id`,
      )
    ).rows as { id: string; region: string }[];
    const members = (
      await client.query(
        `SELECT id, region_code AS region, organization_id AS organization FROM (
           SELECT id, region_code, organization_id, row_number() OVER (PARTITION BY organization_id ORDER BY id) AS n FROM members.member WHERE region_code LIKE '21%'
         ) m WHERE n <= 3 ORDER BY id`,
      )
    ).rows as Dataset['members'];
    const institutions = (
      await client.query(`SELECT DISTINCT ON (region_code) region_code AS county, id, name FROM organization.institution WHERE state = 'OPERATING' ORDER BY region_code, id`)
    ).rows as { county: string; id: string; name: string }[];
    const practitioners = (
      // A county edits the members whose formal relation it holds: a branch of the county, or none yet.
      await client.query(
        `SELECT DISTINCT ON (m.region_code) m.region_code AS county, m.id
           FROM members.member m LEFT JOIN organization.party_organization o ON o.id = m.organization_id
          WHERE m.institution_id IS NOT NULL AND (m.organization_id IS NULL OR o.region_code = m.region_code)
          ORDER BY m.region_code, m.id`,
      )
    ).rows as { county: string; id: string }[];
    // Branches founded before the years written in, so that an activity recorded for them is valid.
    const founded = (
      await client.query(
        `SELECT DISTINCT ON (region_code) region_code AS county, id FROM organization.party_organization
          WHERE kind IN ('STANDALONE_BRANCH', 'JOINT_BRANCH') AND dissolved_on IS NULL AND founded_on < '2019-01-01' ORDER BY region_code, id`,
      )
    ).rows as { county: string; id: string }[];
    const counties = regions.filter((r) => r.level === 'COUNTY').map((r) => r.code);
    return {
      cities: regions.filter((r) => r.level === 'CITY').map((r) => r.code),
      counties,
      branches,
      members,
      writable: counties.map((county) => {
        const institution = institutions.find((i) => i.county === county);
        return {
          county,
          institution: institution ? { id: institution.id, name: institution.name } : null,
          member: practitioners.find((m) => m.county === county)?.id ?? null,
          branch: founded.find((b) => b.county === county)?.id ?? null,
        };
      }),
    };
  } finally {
    await client.end();
  }
}




/** One request of the deck: who sends it, its body, and the root field its answer must hold. */
interface Planned {
  name: string;
  token: string;
  body: string;
  root: string;
}

/** What an `id` variable names, by the root field it is passed to. */
const ID_SOURCES: Record<string, (caller: Caller) => string[]> = {
  partyOrganization: (caller) => caller.branches,
  member: (caller) => caller.members,
};

/** Variables for an operation asked by a caller, or null when the caller has nothing in scope to ask it about. */
function variablesFor(operation: Operation, caller: Caller, next: () => number): Record<string, unknown> | null {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const variables: Record<string, unknown> = {};
  let fromYear = pick(YEARS);
  for (const variable of operation.variables) {
    let value: unknown;
    switch (variable.name) {
      case 'code':
        value = caller.regions.length > 0 ? pick(caller.regions) : undefined;
        break;
      case 'id': {
        const ids = ID_SOURCES[operation.root]?.(caller) ?? [];
        value = ids.length > 0 ? pick(ids) : undefined;
        break;
      }
      case 'year':
      case 'awardYear':
        value = pick(YEARS);
        break;
      case 'fromYear':
        value = fromYear = pick(YEARS);
        break;
      case 'toYear':
        value = pick(YEARS.filter((y) => y >= fromYear));
        break;
      case 'kind':
        value = pick(KINDS);
        break;
      case 'first':
        value = pick(PAGE_SIZES);
        break;
      case 'withinDays':
        value = pick(WITHIN_DAYS);
        break;
      default:
        value = undefined;
    }
    if (value === undefined) {
      if (variable.required) return null;
      continue;
    }
    variables[variable.name] = value;
  }
  return variables;
}

/** The deck: `size` requests drawn with the seed, each operation by its weight, each tier equally often. */
function deal(operations: Operation[], all: Caller[], size: number, seed: number): Planned[] {
  const next = random(seed);
  const tiers = (['PROVINCE', 'CITY', 'COUNTY', 'BRANCH'] as const).filter((tier) => all.some((c) => c.tier === tier));
  const totalWeight = operations.reduce((sum, o) => sum + o.weight, 0);
  const deck: Planned[] = [];
  for (let attempts = 0; deck.length < size && attempts < size * 50; attempts++) {
    const tier = tiers[Math.floor(next() * tiers.length)];
    const ofTier = all.filter((c) => c.tier === tier);
    const caller = ofTier[Math.floor(next() * ofTier.length)];
    let draw = next() * totalWeight;
    const operation = operations.find((o) => (draw -= o.weight) < 0) ?? operations[operations.length - 1];
    const variables = variablesFor(operation, caller, next);
    if (!variables) continue;
    deck.push({ name: operation.name, token: caller.token, body: JSON.stringify({ query: operation.query, variables }), root: operation.root });
  }
  return deck;
}

/** A single-record write, sent as its owner: the county's editor, its admin, or a branch's secretary. */
interface Write {
  subgraph: SubgraphName;
  token: string;
  body: string;
}

interface Writers {
  next(): Write | null;
}

async function writers(config: Parameters<typeof signToken>[0], data: Dataset, seed: number): Promise<Writers> {
  const next = random(seed + 1);
  const counties = [] as { county: string; editor: string; admin: string; secretary: string | null; institution: Dataset['writable'][number]['institution']; member: string | null; branch: string | null }[];
  for (const w of data.writable) {
    counties.push({
      ...w,
      editor: await signToken(config, { subject: `mix-writer-${w.county}`, tier: 'COUNTY', regionCode: w.county, roles: ['editor'] }),
      admin: await signToken(config, { subject: `mix-admin-${w.county}`, tier: 'COUNTY', regionCode: w.county, roles: ['admin'] }),
      secretary: w.branch ? await signToken(config, { subject: `mix-secretary-${w.branch}`, tier: 'BRANCH', regionCode: w.county, organizationId: w.branch, roles: ['editor'] }) : null,
    });
  }
  const renamed = new Set<string>();
  let count = 0;
  const body = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });
  return {
    next() {
      for (let attempt = 0; attempt < 20; attempt++) {
        const c = counties[Math.floor(next() * counties.length)];
        const subgraph = SUBGRAPH_NAMES[count % SUBGRAPH_NAMES.length];
        const n = ++count;
        const month = String(1 + Math.floor(next() * 12)).padStart(2, '0');
        const day = String(1 + Math.floor(next() * 28)).padStart(2, '0');
        switch (subgraph) {
          case 'organization': {
            if (!c.institution) continue;
            // Renamed and named back in turn, so that any number of runs leaves the names as they were.
            const id = c.institution.id;
            const name = renamed.has(id) ? c.institution.name : `${c.institution.name}（更名）`;
            if (renamed.has(id)) renamed.delete(id);
            else renamed.add(id);
            return { subgraph, token: c.editor, body: body(`mutation($id: ID!, $input: UpdateInstitutionInput!) { updateInstitution(id: $id, input: $input) { id } }`, { id, input: { name } }) };
          }
          case 'members':
            if (!c.member) continue;
            return {
              subgraph,
              token: c.editor,
              body: body(`mutation($id: ID!, $input: UpdateMemberInput!) { updateMember(id: $id, input: $input) { id } }`, {
                id: c.member,
                input: { phone: `139${String(Math.floor(next() * 1e8)).padStart(8, '0')}` },
              }),
            };
          case 'activities':
            if (!c.branch || !c.secretary) continue;
            return {
              subgraph,
              token: c.secretary,
              body: body(`mutation($input: RecordActivityInput!) { recordActivity(input: $input) { id } }`, {
                input: { organizerOrganizationId: c.branch, kind: 'THEME_PARTY_DAY', title: `主题党日（基准${n}）`, date: `2019-${month}-${day}` },
              }),
            };
          case 'commendations':
            return {
              subgraph,
              token: c.admin,
              body: body(`mutation($input: CreateCommendationProgramInput!) { createCommendationProgram(input: $input) { id } }`, {
                input: { name: `评先选优（基准${n}）`, regionCode: c.county, year: 2019, opensOn: '2019-01-01', closesOn: '2019-12-31', categories: [{ category: 'ADVANCED_BRANCH', quota: 1 }] },
              }),
            };
        }
      }
      return null;
    },
  };
}

interface Answer {
  status: number;
  text: string;
}

function post(agent: Agent, url: URL, body: string, token: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', agent, timeout: REQUEST_TIMEOUT_MS, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` } },
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

/** Why an answer is an error, or null: HTTP status, GraphQL errors, or its root field missing. */
function problem(answer: Answer, root: string | null): string | null {
  if (answer.status !== 200) return `HTTP ${answer.status} ${answer.text.slice(0, 200)}`;
  let parsed: { data?: Record<string, unknown> | null; errors?: unknown[] };
  try {
    parsed = JSON.parse(answer.text);
  } catch {
    return `not JSON: ${answer.text.slice(0, 200)}`;
  }
  if (parsed.errors?.length) return JSON.stringify(parsed.errors.slice(0, 2)).slice(0, 400);
  if (root && !parsed.data?.[root]) return `no ${root} in the answer`;
  return null;
}

interface Measured {
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  writes: number;
  writeErrors: number;
  errorSamples: string[];
}

/**
 * Sends the deck round and round for `seconds` over `connections` connections, and the writes at
 * `writesPerSecond` beside it. Latencies are of the deck's reads; errors count reads and writes.
 */
async function drive(target: string, deck: Planned[], connections: number, seconds: number, writesPerSecond: number, write: Writers | null): Promise<Measured> {
  const url = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: connections + 4 });
  const latencies = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const errorSamples: string[] = [];
  let position = 0;
  let requests = 0;
  let errors = 0;
  let writes = 0;
  let writeErrors = 0;
  const started = Date.now();
  const deadline = started + seconds * 1000;
  const note = (message: string) => {
    if (errorSamples.length < 10) errorSamples.push(message);
  };
  const worker = async () => {
    while (Date.now() < deadline) {
      const planned = deck[position++ % deck.length];
      const begun = process.hrtime.bigint();
      let error: string | null;
      try {
        error = problem(await post(agent, url, planned.body, planned.token), planned.root);
      } catch (err) {
        error = (err as Error).message;
      }
      latencies.recordValue(Math.max(1, Math.round(Number(process.hrtime.bigint() - begun) / 1000)));
      requests += 1;
      if (error) {
        errors += 1;
        note(`${planned.name}: ${error}`);
      }
    }
  };
  // Writes go out on a clock of their own, so that a slow answer does not slow the rate.
  const pendingWrites: Promise<void>[] = [];
  const timer =
    write && writesPerSecond > 0
      ? setInterval(() => {
          const w = write.next();
          if (!w) return;
          writes += 1;
          pendingWrites.push(
            post(agent, url, w.body, w.token).then(
              (answer) => {
                const error = problem(answer, null);
                if (error) {
                  writeErrors += 1;
                  note(`write to ${w.subgraph}: ${error}`);
                }
              },
              (err: Error) => {
                writeErrors += 1;
                note(`write to ${w.subgraph}: ${err.message}`);
              },
            ),
          );
        }, 1000 / writesPerSecond)
      : null;
  await Promise.all(Array.from({ length: connections }, () => worker()));
  if (timer) clearInterval(timer);
  await Promise.all(pendingWrites);
  agent.destroy();
  const elapsed = (Date.now() - started) / 1000;
  const ms = (percentile: number) => Math.round(latencies.getValueAtPercentile(percentile) / 10) / 100;
  return { requests, requestsPerSecond: Math.round(requests / elapsed), p50: ms(50), p95: ms(95), p99: ms(99), errors: errors + writeErrors, writes, writeErrors, errorSamples };
}

/** Sends every request of the deck once, so that the stand-ins have recorded each answer before the floor is measured. */
async function prime(target: string, deck: Planned[], connections: number): Promise<void> {
  const url = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  let position = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (position < deck.length) {
        const planned = deck[position++];
        await post(agent, url, planned.body, planned.token).catch(() => undefined);
      }
    }),
  );
  agent.destroy();
}

const list = (value: string) => value.split(',').map(Number);
const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : null);

export async function runMix(options: Options, say: Say): Promise<void> {
  const one = (name: string, fallback: string) => options.get(name)?.at(-1) ?? fallback;
  const scale = one('scale', 'liaoning') as Scale;
  const duration = Number(one('duration', '60'));
  const warmup = Number(one('warmup', '5'));
  const seed = Number(one('seed', '1'));
  const deckSize = Number(one('deck', '2000'));
  const connectionList = list(one('connections', '50'));
  const writeRates = list(one('writes-per-second', '2'));
  const save = options.has('save');

  say('building');
  build();
  const database = await prepareDatabase(scale, `sanji_bench_mix_${scale}`, say);
  try {
    const stack = await startServices(database.env, true, say);
    try {
      const data = await readDataset(database.url);
      const all = await callers(database.config, data, 'mix');
      const operations = contractQueries();
      const deck = deal(operations, all, deckSize, seed);
      const viewer = operations.find((o) => o.name === 'Viewer');
      if (!viewer) throw new Error('contract/Viewer.graphql is missing: the mix is measured against it');
      const viewerDeck = deal([{ ...viewer, weight: 1 }], all, Math.min(deckSize, all.length), seed);
      const write = await writers(database.config, data, seed);
      const counts = Object.fromEntries(operations.map((o) => [o.name, deck.filter((p) => p.name === o.name).length]));
      say(`deck of ${deck.length} requests from ${all.length} callers, seed ${seed}: ${Object.entries(counts).map(([name, n]) => `${name} ${n}`).join(', ')}`);

      say('priming the stand-ins with every request of the deck');
      await prime(stack.floorUrl!, deck, Math.max(...connectionList));
      await prime(stack.floorUrl!, viewerDeck, Math.max(...connectionList));
      // A station's working day has asked these before: the caches hold each answer once when the measurement begins.
      say('sending every request of the deck once');
      await prime(stack.url, deck, Math.max(...connectionList));
      if (warmup > 0) {
        say(`warming the processes up for ${warmup} s`);
        await drive(stack.url, deck, Math.max(...connectionList), warmup, 0, null);
        await drive(stack.floorUrl!, deck, Math.max(...connectionList), warmup, 0, null);
      }

      const runs: Record<string, unknown>[] = [];
      for (const connections of connectionList) {
        for (const writesPerSecond of writeRates) {
          const pids = { ...Object.fromEntries(Object.entries(stack.processes).map(([name, child]) => [name, child.pid!])), 'bench (load)': process.pid };
          for (const pid of Object.values(pids)) resetPeakRss(pid);

          const viewerRun = await drive(stack.url, viewerDeck, connections, duration, 0, null);
          const before = await metrics(stack.ports);
          const caches = await Promise.all(SUBGRAPH_NAMES.map((name) => subgraphMetrics(stack.ports[name])));
          const gatewayBefore = await gatewayMetrics(stack.url);
          const cpu = cpuReading(stack.processes);
          const mix = await drive(stack.url, deck, connections, duration, writesPerSecond, write);
          const cpuMsPerRequest = cpu(mix.requests + mix.writes);
          const after = await metrics(stack.ports);
          const cachesAfter = await Promise.all(SUBGRAPH_NAMES.map((name) => subgraphMetrics(stack.ports[name])));
          const gatewayAfter = await gatewayMetrics(stack.url);
          const floor = await drive(stack.floorUrl!, deck, connections, duration, 0, null);

          const hitRatio = (hits: number, misses: number) => (hits + misses > 0 ? Math.round((hits / (hits + misses)) * 100) / 100 : null);
          const cacheHitRatio = {
            // The gateway's whole answers first: a hit there asks no subgraph at all.
            gateway: hitRatio(gatewayAfter.responseCache.hits - gatewayBefore.responseCache.hits, gatewayAfter.responseCache.misses - gatewayBefore.responseCache.misses),
            // Then the fetches of the answers it planned again, answered from what it kept of the subgraphs'.
            gatewayFetches: hitRatio(gatewayAfter.fetchCache.hits - gatewayBefore.fetchCache.hits, gatewayAfter.fetchCache.misses - gatewayBefore.fetchCache.misses),
            ...Object.fromEntries(
              SUBGRAPH_NAMES.map((name, i) => [name, hitRatio(cachesAfter[i].readCache.hits - caches[i].readCache.hits, cachesAfter[i].readCache.misses - caches[i].readCache.misses)]),
            ),
          };
          // Round trips on the change feeds that let kept answers be served: statements the services send besides the reads.
          const roundTrips =
            cachesAfter.reduce((sum, m, i) => sum + m.readCache.roundTrips - caches[i].readCache.roundTrips, 0) +
            gatewayAfter.responseCache.roundTrips - gatewayBefore.responseCache.roundTrips +
            gatewayAfter.fetchCache.roundTrips - gatewayBefore.fetchCache.roundTrips;
          const row = {
            scale,
            connections,
            writesPerSecond,
            requests: mix.requests,
            writes: mix.writes,
            requestsPerSecond: mix.requestsPerSecond,
            p50: mix.p50,
            p95: mix.p95,
            p99: mix.p99,
            errors: mix.errors,
            writeErrors: mix.writeErrors,
            sqlPerRequest: Math.round(((after.statements - before.statements) / Math.max(1, mix.requests + mix.writes)) * 100) / 100,
            subgraphRequestsPerRequest: Math.round(((after.requests - before.requests) / Math.max(1, mix.requests + mix.writes)) * 100) / 100,
            feedRoundTripsPerRequest: Math.round((roundTrips / Math.max(1, mix.requests + mix.writes)) * 100) / 100,
            cacheHitRatio,
            peakRssMb: Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, peakRssMb(pid)])),
            cpuMsPerRequest,
            floorRequestsPerSecond: floor.requestsPerSecond,
            viewerRequestsPerSecond: viewerRun.requestsPerSecond,
            ofFloor: ratio(mix.requestsPerSecond, floor.requestsPerSecond),
            ofViewer: ratio(mix.requestsPerSecond, viewerRun.requestsPerSecond),
            errorSamples: [...mix.errorSamples, ...floor.errorSamples.map((e) => `floor: ${e}`), ...viewerRun.errorSamples.map((e) => `Viewer: ${e}`)],
          };
          runs.push(row);
          say(
            `c=${connections} writes/s=${writesPerSecond}: ${row.requestsPerSecond} req/s, p50 ${row.p50} ms, p95 ${row.p95} ms, p99 ${row.p99} ms, ` +
              `${row.errors} errors (${mix.writes} writes), ${row.sqlPerRequest} SQL/req, ${row.subgraphRequestsPerRequest} subgraph requests/req, ${row.feedRoundTripsPerRequest} feed round trips/req, hit ratio ${JSON.stringify(cacheHitRatio)}, CPU ms/req ${JSON.stringify(cpuMsPerRequest)}; ` +
              `floor ${floor.requestsPerSecond} req/s (${row.ofFloor}), Viewer ${viewerRun.requestsPerSecond} req/s (${row.ofViewer})`,
          );
          for (const sample of row.errorSamples.slice(0, 3)) say(`  ${sample}`);
        }
      }
      const measured = provenance({ scale, duration, warmup, seed, deck: deck.length, connections: connectionList, writesPerSecond: writeRates, weights: WEIGHTS, defaultWeight: DEFAULT_WEIGHT, deckCounts: counts });
      // The file keeps each scale's latest runs: a run on one dataset replaces that dataset's rows only.
      const before = readResult(save, 'mixed.json') as { runs?: { scale?: string }[] } | null;
      const otherScales = (before?.runs ?? []).filter((run) => run.scale !== scale);
      const results = {
        ...measured,
        loadSeconds: database.loadSeconds,
        runs: [...otherScales, ...runs.map((run) => ({ ...run, commit: measured.commit, duration, loadSeconds: database.loadSeconds }))],
      };
      writeResult(save, 'mixed.json', `${JSON.stringify(results, null, 2)}\n`, say);
    } finally {
      await stack.stop();
    }
  } catch (err) {
    for (const child of children) child.kill('SIGTERM');
    throw err;
  } finally {
    await database.close();
  }
}
