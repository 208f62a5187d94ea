/**
 * What the benchmark and the soak share: building Sanji, a fresh database with the demo dataset,
 * and the compiled services started as production runs them, each a process of its own.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevelopmentKeys } from '../shared/src/auth';
import { loadConfig, PROJECT_ROOT, SUBGRAPHS, type Config, type SubgraphName } from '../shared/src/config';
import { SERVICE_NODE_FLAGS } from '../shared/src/process';
import { loadDemoData, migrateAll, type Scale } from '../scripts/lib/database';
import { startEmbeddedPostgres } from '../scripts/lib/embedded-postgres';
import { PG_TIME_SETTINGS } from './pg-time';
import { dropDatabase, ensureDatabase } from '../scripts/lib/postgres';
import { freePort } from '../test/helpers/ports';

export const SUBGRAPH_NAMES = Object.keys(SUBGRAPHS) as SubgraphName[];

/** Every service process started so far, so that a failed run can stop them all. */
export const children: ChildProcess[] = [];

/** The commit `dist/` was compiled from, as `build` found the work tree; null before it ran. */
let built: string | null = null;

/** Compiles Sanji into `dist/`, which the services run from. */
export function build(): void {
  // Taken first: what is measured is what was compiled, whatever the tree holds when the results are written.
  built = commitOfWorkTree();
  execFileSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(PROJECT_ROOT, 'tsconfig.json')], { stdio: 'inherit' });
}

/** HEAD, with `-dirty` when the work tree has changes outside the results; 'unknown' outside a git checkout. */
function commitOfWorkTree(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
    // The results folder is what runs write: a file another run saved there changes no code measured.
    return git('rev-parse', 'HEAD') + (git('status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)bench/results') ? '-dirty' : '');
  } catch {
    // not a git checkout (a container image): the commit is unknown
    return 'unknown';
  }
}

export interface RunDatabase {
  config: Config;
  /** The database the services use, with the demo dataset loaded. */
  url: string;
  /** What every service process gets in its environment. */
  env: NodeJS.ProcessEnv;
  loadSeconds: number;
  /** Drops the database, and stops the embedded server when one was started. */
  close: () => Promise<void>;
}

/**
 * A fresh database `database` with the demo dataset at `scale`, on DATABASE_URL's server or else
 * on an embedded one in a temporary folder, with development keys for the run's tokens.
 */
export async function prepareDatabase(scale: Scale, database: string, say: (message: string) => void): Promise<RunDatabase> {
  const stateDir = mkdtempSync(join(tmpdir(), 'sanji-bench-'));
  const config = loadConfig({ ...process.env, SANJI_STATE_DIR: stateDir, NODE_ENV: 'development' });
  await ensureDevelopmentKeys(config);

  let adminUrl = process.env.DATABASE_URL;
  const embedded = adminUrl ? null : await startEmbeddedPostgres({ dataDir: join(stateDir, 'pgdata'), port: await freePort(), persistent: false, settings: PG_TIME_SETTINGS });
  adminUrl ??= embedded!.adminUrl;
  await dropDatabase(adminUrl, database);
  const url = await ensureDatabase(adminUrl, database);
  const started = Date.now();
  await migrateAll(config, url);
  await loadDemoData(url, scale);
  const loadSeconds = (Date.now() - started) / 1000;
  say(`${scale} dataset loaded in ${loadSeconds.toFixed(1)} s`);

  // The activities register's reads of the organization subgraph would count in the statements and fetches per request.
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', DATABASE_URL: url, SANJI_STATE_DIR: stateDir, LOG_LEVEL: 'warn', SANJI_REGISTER_SYNC_MS: '0' };
  // Production mode reads the keys generated for this run; the bench lifts no limit.
  env.SANJI_JWKS_FILE = config.jwt.jwksFile;
  return {
    config,
    url,
    env,
    loadSeconds,
    close: async () => {
      await dropDatabase(adminUrl, database);
      await embedded?.stop();
    },
  };
}

/** Runs a service from the compiled build (`dist/`), as the container image does. */
function start(name: string, entry: string, env: NodeJS.ProcessEnv, say: (message: string) => void): ChildProcess {
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, join(PROJECT_ROOT, 'dist', entry.replace(/\.ts$/, '.js'))], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(child);
  say(`${name} started (pid ${child.pid})`);
  return child;
}

export async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not come up`);
}

/** What a subgraph says of itself in JSON (`/metrics.json`; `/metrics` is Prometheus's text). */
export async function subgraphMetrics(port: number): Promise<{ requests: number; statements: number; readCache: { entries: number; hits: number; misses: number; roundTrips: number } }> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics.json`);
  if (!response.ok) throw new Error(`no JSON metrics from the subgraph on port ${port}: ${response.status}`);
  return (await response.json()) as Awaited<ReturnType<typeof subgraphMetrics>>;
}

interface GatewayCacheFigures {
  hits: number;
  misses: number;
  forgotten: number;
  entries: number;
  roundTrips: number;
}

/** What the gateway's `/metrics.json` says of its response cache and its fetch cache. */
export async function gatewayMetrics(url: string): Promise<{ responseCache: GatewayCacheFigures; fetchCache: GatewayCacheFigures }> {
  const response = await fetch(url.replace(/\/graphql$/, '/metrics.json'));
  return (await response.json()) as { responseCache: GatewayCacheFigures; fetchCache: GatewayCacheFigures };
}

export async function metrics(ports: Record<SubgraphName, number>): Promise<{ requests: number; statements: number; cachedEntries: number }> {
  let requests = 0;
  let statements = 0;
  let cachedEntries = 0;
  for (const name of SUBGRAPH_NAMES) {
    const m = await subgraphMetrics(ports[name]);
    requests += m.requests;
    statements += m.statements;
    cachedEntries += m.readCache.entries;
  }
  return { requests, statements, cachedEntries };
}

export interface RunningStack {
  url: string;
  floorUrl: string | null;
  ports: Record<SubgraphName, number>;
  processes: Record<string, ChildProcess>;
  stop: () => Promise<void>;
}

/** Starts the four subgraphs and the gateway, and with `withFloor` a second gateway over stand-ins. */
export async function startServices(baseEnv: NodeJS.ProcessEnv, withFloor: boolean, say: (message: string) => void): Promise<RunningStack> {
  const ports = {} as Record<SubgraphName, number>;
  const standInPorts = {} as Record<SubgraphName, number>;
  for (const name of SUBGRAPH_NAMES) {
    ports[name] = await freePort();
    standInPorts[name] = await freePort();
  }
  const gatewayPort = await freePort();
  const floorPort = await freePort();
  const env: NodeJS.ProcessEnv = { ...baseEnv };
  for (const name of SUBGRAPH_NAMES) {
    env[`SANJI_${name.toUpperCase()}_PORT`] = String(ports[name]);
    env[`SANJI_${name.toUpperCase()}_URL`] = `http://127.0.0.1:${ports[name]}/graphql`;
  }
  const processes: Record<string, ChildProcess> = {};
  for (const name of SUBGRAPH_NAMES) processes[name] = start(name, `subgraphs/${name}/src/main.ts`, env, say);
  processes.gateway = start('gateway', 'gateway/src/main.ts', { ...env, PORT: String(gatewayPort) }, say);
  if (withFloor) {
    const floorEnv: NodeJS.ProcessEnv = { ...env, PORT: String(floorPort) };
    for (const name of SUBGRAPH_NAMES) floorEnv[`SANJI_${name.toUpperCase()}_URL`] = `http://127.0.0.1:${standInPorts[name]}/graphql`;
    processes['gateway (floor)'] = start('gateway (floor)', 'gateway/src/main.ts', floorEnv, say);
    processes['stand-ins'] = start('stand-ins', 'bench/stand-in.ts', {
      ...env,
      SANJI_STAND_INS: JSON.stringify(SUBGRAPH_NAMES.map((name) => ({ port: standInPorts[name], target: `http://127.0.0.1:${ports[name]}/graphql` }))),
    }, say);
  }
  const started = Date.now();
  await waitFor(`http://127.0.0.1:${gatewayPort}/health`);
  if (withFloor) await waitFor(`http://127.0.0.1:${floorPort}/health`);
  say(`services ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return {
    url: `http://127.0.0.1:${gatewayPort}/graphql`,
    floorUrl: withFloor ? `http://127.0.0.1:${floorPort}/graphql` : null,
    ports,
    processes,
    stop: async () => {
      const exits = Object.values(processes).map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve))));
      for (const child of Object.values(processes)) child.kill('SIGTERM');
      await Promise.all(exits);
    },
  };
}

/**
 * Where a script writes its results: `bench/results/local/` (git-ignored), so that a run leaves
 * the committed figures alone, or `bench/results/` itself with `--save`.
 */
export function resultsFolder(save: boolean): string {
  const folder = save ? join(PROJECT_ROOT, 'bench', 'results') : join(PROJECT_ROOT, 'bench', 'results', 'local');
  mkdirSync(folder, { recursive: true });
  return folder;
}

/** Writes `name` in the results folder and says where. */
export function writeResult(save: boolean, name: string, text: string, say: (message: string) => void): void {
  const path = join(resultsFolder(save), name);
  writeFileSync(path, text);
  say(`wrote ${path.slice(PROJECT_ROOT.length + 1)}`);
}

/** A results file written before, as `writeResult` with the same `save` wrote it; null when there is none. */
export function readResult(save: boolean, name: string): unknown {
  try {
    return JSON.parse(readFileSync(join(resultsFolder(save), name), 'utf8')) as unknown;
  } catch {
    return null;
  }
}

/**
 * What a results file must say of where its figures come from: the commit measured (the one
 * compiled, `-dirty` when the work tree then had changes outside the results), the machine's
 * cores, and the settings of the run.
 */
export function provenance(settings: Record<string, unknown>): { commit: string; cores: number; settings: Record<string, unknown> } {
  const commit = built ?? commitOfWorkTree();
  const sanji = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('SANJI_') && !/SECRET|KEY|PASSWORD|JWKS|URL/.test(name)));
  return { commit, cores: cpus().length, settings: { ...settings, environment: sanji } };
}

/** Forgets a process's peak resident memory, so that the next reading of it covers what follows. */
export function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not Linux, or not allowed: the peak then covers the process's whole life
  }
}

/** Resident memory of a process now, in MB. */
export function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

/** Peak resident memory of a process, from the kernel's own high-water mark. */
export function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : 0;
}

/** CPU time a process has used so far, in milliseconds (user and system, from /proc). */
export function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime, in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** CPU time so far of each PostgreSQL process on the machine (the server the services use, and any other idle one), by pid. */
export function postgresCpuMs(): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') byPid.set(Number(entry), cpuMs(Number(entry)));
    } catch {
      // the process ended meanwhile
    }
  }
  return byPid;
}

/** Takes a reading of each process's CPU time; the returned function gives each one's share per request since. */
export function cpuReading(processes: Record<string, ChildProcess>): (requests: number) => Record<string, number> {
  const before = Object.fromEntries(Object.entries(processes).map(([name, child]) => [name, cpuMs(child.pid!)]));
  const postgresBefore = postgresCpuMs();
  return (requests) => {
    const per = (ms: number) => Math.round((ms / Math.max(1, requests)) * 10) / 10;
    const used = Object.fromEntries(Object.entries(processes).map(([name, child]) => [name, per(cpuMs(child.pid!) - before[name])]));
    // A connection the pool closed during the run takes its time with it; one opened counts from zero.
    let postgres = 0;
    for (const [pid, ms] of postgresCpuMs()) postgres += ms - (postgresBefore.get(pid) ?? 0);
    return { ...used, postgres: per(postgres) };
  };
}
