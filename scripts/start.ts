/**
 * `npm start`: the whole of Sanji on one machine. Without DATABASE_URL it runs an embedded
 * PostgreSQL (data kept in .sanji/pgdata), applies migrations, loads the demo dataset into an
 * empty database, starts the subgraphs and the gateway as processes of their own, and prints the
 * URL with a ready PROVINCE token.
 *
 * It supervises what it started: a service that exits unexpectedly is started again, after a
 * pause that grows while it keeps failing, and the others serve on meanwhile. Ctrl-C (or SIGTERM)
 * stops everything in order: the gateway drains its requests, then the subgraphs drain theirs,
 * then PostgreSQL stops. Every child runs in a process group of its own, so the terminal's
 * Ctrl-C reaches the launcher alone, which orders the stop; and each notices when the launcher is
 * gone (killed) and stops by itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ensureDevelopmentKeys, signToken } from '../shared/src/auth';
import { loadConfig, PROJECT_ROOT, SUBGRAPHS, type Config, type SubgraphName } from '../shared/src/config';
import { configurePgTypes } from '../shared/src/pg-types';
import { SERVICE_NODE_FLAGS } from '../shared/src/process';
import { hasData, loadDemoData, migrateAll } from './lib/database';
import { openDatabase, type Database } from './lib/database-url';
import { startEmbeddedPostgres } from './lib/embedded-postgres';

const say = (message: string) => process.stdout.write(`[sanji] ${message}\n`);
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A service that has run this long before failing starts again at once: it was not crash-looping. */
const STABLE_AFTER_MS = 30_000;
const FIRST_RESTART_DELAY_MS = 500;
const LONGEST_RESTART_DELAY_MS = 30_000;

/** Restart delay after the n-th failure in a row: 0.5 s, 1 s, 2 s, … up to 30 s. */
const restartDelay = (failures: number) => Math.min(FIRST_RESTART_DELAY_MS * 2 ** (failures - 1), LONGEST_RESTART_DELAY_MS);

class Service {
  child: ChildProcess | null = null;
  private startedAt = 0;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private ready = false;
  private restarting = false;

  constructor(
    readonly name: string,
    private readonly entry: string,
    private readonly env: NodeJS.ProcessEnv,
    /** Told when the service exits while it should be running; the launcher decides what then. */
    private readonly onUnexpectedExit: (service: Service, how: string) => void,
  ) {}

  /** Resolves once the service serves; rejects if it exits first. */
  start(): Promise<void> {
    const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, '--import', 'tsx', join(PROJECT_ROOT, this.entry)], {
      env: this.env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // A process group of its own: a terminal's Ctrl-C is the launcher's to act on, in order.
      detached: true,
    });
    this.child = child;
    this.startedAt = Date.now();
    this.ready = false;
    return new Promise((resolve, reject) => {
      child.once('spawn', () => say(`${this.name} ${this.restarting ? 'restarted' : 'started'} (pid ${child.pid})`));
      child.on('message', (message: { ready?: string }) => {
        if (!message?.ready || this.ready) return;
        this.ready = true;
        if (this.restarting) say(`${this.name} is serving again`);
        this.restarting = false;
        resolve();
      });
      child.once('exit', (code, signal) => {
        if (this.child === child) this.child = null;
        const how = signal ?? `code ${code}`;
        if (!this.ready) reject(new Error(`${this.name} exited during start-up (${how})`));
        this.onUnexpectedExit(this, how);
      });
    });
  }

  /** Starts the service again after a pause that grows while it keeps failing. */
  restart(how: string): void {
    this.failures = Date.now() - this.startedAt > STABLE_AFTER_MS ? 1 : this.failures + 1;
    const waitMs = restartDelay(this.failures);
    say(`${this.name} exited unexpectedly (${how}); starting it again in ${waitMs / 1000} s`);
    this.restarting = true;
    this.restartTimer = setTimeout(() => {
      this.start().catch(() => undefined); // its exit is reported, and restarted, like any other
    }, waitMs);
  }

  /** SIGTERM: the service drains its requests and closes its connections; SIGKILL if it overstays. */
  stop(graceMs: number): Promise<void> {
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const force = setTimeout(() => {
        say(`${this.name} did not stop within ${graceMs / 1000} s: killing it`);
        child.kill('SIGKILL');
      }, graceMs);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}

async function waitUntilHealthy(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not listening yet
    }
    await delay(250);
  }
  throw new Error(`no healthy answer from ${url} within ${timeoutMs / 1000} s`);
}

/** Starts the embedded PostgreSQL again when it stops while Sanji runs; the services reconnect by themselves. */
function superviseEmbeddedPostgres(config: Config, database: Database, stopping: () => boolean): void {
  const embedded = database.embedded;
  if (!embedded) return;
  let failures = 0;
  const watch = (exited: Promise<void>) =>
    void exited.then(async () => {
      if (stopping()) return;
      failures += 1;
      const waitMs = restartDelay(failures);
      say(`the embedded PostgreSQL exited unexpectedly (its log: ${embedded.logFile}); starting it again in ${waitMs / 1000} s`);
      await delay(waitMs);
      if (stopping()) return;
      try {
        const again = await startEmbeddedPostgres({ dataDir: config.embeddedDataDir, port: config.embeddedPort, persistent: true, say });
        Object.assign(embedded, { pid: again.pid, exited: again.exited, stop: again.stop });
        say(`the embedded PostgreSQL is running again (pid ${again.pid})`);
        failures = 0;
        watch(again.exited);
      } catch (err) {
        say(`the embedded PostgreSQL did not start again: ${(err as Error).message}`);
        watch(Promise.resolve());
      }
    });
  watch(embedded.exited);
}

async function main(): Promise<void> {
  configurePgTypes();
  const config = loadConfig();
  const subgraphs: Service[] = [];
  let gateway: Service | null = null;
  let database: Database | null = null;
  let stopping = false;
  let ready = false;
  // A service gets its drain time, then a little for closing its connections, before it is killed.
  const serviceGraceMs = config.drainMs + 5_000;

  const shutdown = async (code: number) => {
    if (stopping) {
      say('already stopping: waiting for the requests in flight to finish');
      return;
    }
    stopping = true;
    say('stopping');
    // In order: no new request reaches a subgraph once the gateway is gone, and no statement
    // reaches PostgreSQL once the subgraphs are.
    await gateway?.stop(serviceGraceMs);
    await Promise.all(subgraphs.map((service) => service.stop(serviceGraceMs)));
    await database?.embedded?.stop().catch((err: Error) => say(`the embedded PostgreSQL did not stop cleanly: ${err.message}`));
    say('stopped');
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));

  const onUnexpectedExit = (service: Service, how: string) => {
    if (stopping) return;
    // Before Sanji is ready, a failing service fails the start: nothing serves yet to keep serving.
    if (ready) service.restart(how);
  };

  try {
    await ensureDevelopmentKeys(config);
    database = await openDatabase(config, 'npm start', say);
    say(database.embedded ? `embedded PostgreSQL on port ${config.embeddedPort}, data in ${config.embeddedDataDir}` : 'using DATABASE_URL');
    superviseEmbeddedPostgres(config, database, () => stopping);
    await migrateAll(config, database.url);
    if (!(await hasData(database.url))) {
      const started = Date.now();
      say('empty database: loading the Liaoning demo dataset');
      await loadDemoData(database.url, 'liaoning');
      say(`demo dataset loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }

    // On the embedded database this is a developer's own machine with demo data: the explorer offers demo viewers' tokens (to loopback callers) unless told otherwise.
    const demoTokens = process.env.SANJI_DEMO_TOKENS || (database.embedded && config.env !== 'production' ? 'on' : 'off');
    const env = { ...process.env, DATABASE_URL: database.url, SANJI_DEMO_TOKENS: demoTokens };
    for (const name of (Object.keys(SUBGRAPHS) as SubgraphName[]).filter((n) => SUBGRAPHS[n].enabled)) {
      subgraphs.push(new Service(name, `subgraphs/${name}/src/main.ts`, env, onUnexpectedExit));
    }
    gateway = new Service('gateway', 'gateway/src/main.ts', env, onUnexpectedExit);
    await Promise.all([...subgraphs, gateway].map((service) => service.start()));

    const base = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
    await waitUntilHealthy(`${base}/health`);
    if (stopping) return;
    ready = true;
    const token = await signToken(config, { subject: 'dev-province', tier: 'PROVINCE', regionCode: '210000', roles: ['viewer', 'editor'] });
    say(`ready: GraphQL at ${base}/graphql`);
    say('a PROVINCE editor token (8 hours):');
    process.stdout.write(`${token}\n`);
  } catch (err) {
    if (stopping) return;
    say(`start failed: ${err instanceof Error ? err.message : String(err)}`);
    await shutdown(1);
  }
}

void main();
