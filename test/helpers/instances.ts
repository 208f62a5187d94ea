import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { signToken, type TokenClaims } from '../../shared/src/auth';
import { loadConfig, PROJECT_ROOT, SUBGRAPHS, type Config, type SubgraphName } from '../../shared/src/config';
import { configurePgTypes } from '../../shared/src/pg-types';
import type { RunningServer } from '../../shared/src/subgraph-server';
import { startGateway } from '../../gateway/src/server';
import { SUBGRAPH_MODULES } from '../../subgraphs/registry';
import { dropDatabase, ensureDatabase } from '../../scripts/lib/postgres';
import { startBalancer, type Balancer } from './balancer';
import { freePort } from './ports';
import type { GraphQLResponse } from './stack';

const NAMES = Object.keys(SUBGRAPHS) as SubgraphName[];

/** One instance of a subgraph: a server in this process, or a process of its own. */
export interface Instance {
  port: number;
  /** Requests that reached its `/graphql`, for an instance in this process. */
  requestCount?: () => number;
  /** The process, for an instance started as one. */
  child?: ChildProcess;
}

export interface InstancesOptions {
  /** The subgraph whose second instance runs as a process of its own, so a test can kill it. */
  childProcess?: SubgraphName;
  /** The subgraph whose second instance reaches PostgreSQL over a slow link, and how slow each way. */
  slowLink?: { subgraph: SubgraphName; delayMs: number };
}

export interface Instances {
  config: Config;
  databaseUrl: string;
  /** Two instances of each subgraph, in the order their balancer hands out connections. */
  instances: Record<SubgraphName, [Instance, Instance]>;
  balancers: Record<SubgraphName, Balancer>;
  /** Starts a gateway over the balancers; it stops with the rest. */
  gateway(overrides?: Partial<Config>): Promise<string>;
  request<T = any>(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<GraphQLResponse<T>>;
  token(claims: Partial<TokenClaims> & Pick<TokenClaims, 'tier' | 'regionCode'>): Promise<string>;
  stop(): Promise<void>;
}

/** Waits until `url` answers 200, or fails after `seconds`. */
async function healthy(url: string, seconds = 60): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Runs Sanji as an operator runs several instances of it: two instances of every subgraph on one
 * fresh copy of the demo database, a TCP balancer in front of each pair, and gateways (and the
 * subgraphs' own lookups of one another) going through the balancers.
 */
export async function startInstances(options: InstancesOptions = {}): Promise<Instances> {
  configurePgTypes();
  const adminUrl = process.env.SANJI_TEST_ADMIN_URL;
  const template = process.env.SANJI_TEST_TEMPLATE;
  if (!adminUrl || !template) throw new Error('the jest global setup did not run');
  const database = `sanji_test_${randomBytes(6).toString('hex')}`;
  const databaseUrl = await ensureDatabase(adminUrl, database, template);

  const ports = {} as Record<SubgraphName, [number, number]>;
  const balancers = {} as Record<SubgraphName, Balancer>;
  const subgraphUrls = {} as Record<SubgraphName, string>;
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne().catch(() => undefined);
    await dropDatabase(adminUrl, database);
  };
  try {
    for (const name of NAMES) {
      ports[name] = [await freePort(), await freePort()];
      balancers[name] = await startBalancer(ports[name].map((port) => ({ host: '127.0.0.1', port })));
      stoppers.push(() => balancers[name].stop());
      subgraphUrls[name] = balancers[name].url('/graphql');
    }
    const config: Config = { ...loadConfig(), databaseUrl, subgraphUrls, registerSyncMs: 0, logLevel: process.env.LOG_LEVEL ?? 'silent' };

    let slowConfig = config;
    if (options.slowLink) {
      const server = new URL(databaseUrl);
      const link = await startBalancer([{ host: server.hostname, port: Number(server.port || 5432) }], { delayMs: options.slowLink.delayMs });
      const slowUrl = new URL(databaseUrl);
      slowUrl.hostname = '127.0.0.1';
      slowUrl.port = String(link.port);
      slowConfig = { ...config, databaseUrl: slowUrl.toString() };
      // Stopped after the instances that use it: stoppers run in reverse.
      stoppers.push(() => link.stop());
    }

    const instances = {} as Record<SubgraphName, [Instance, Instance]>;
    for (const name of NAMES) {
      const pair: Instance[] = [];
      for (const [index, port] of ports[name].entries()) {
        if (index === 1 && options.childProcess === name) {
          pair.push(await startChild(name, port, config, stoppers));
          continue;
        }
        const own = index === 1 && options.slowLink?.subgraph === name ? slowConfig : config;
        const server: RunningServer = await SUBGRAPH_MODULES[name].start(own, port);
        stoppers.push(() => server.stop());
        pair.push({ port, requestCount: server.requestCount });
      }
      instances[name] = pair as [Instance, Instance];
    }

    return {
      config,
      databaseUrl,
      instances,
      balancers,
      gateway: async (overrides = {}) => {
        const gateway = await startGateway({ ...config, ...overrides }, { port: 0 });
        stoppers.push(() => gateway.stop());
        return gateway.url;
      },
      request: async (url, query, variables, token) => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query, variables }),
        });
        const text = await response.text();
        return { status: response.status, body: text ? JSON.parse(text) : {} };
      },
      token: (claims) =>
        signToken(config, {
          subject: claims.subject ?? `test-${claims.tier.toLowerCase()}-${claims.regionCode}`,
          roles: claims.roles ?? ['viewer'],
          organizationId: claims.organizationId ?? null,
          tier: claims.tier,
          regionCode: claims.regionCode,
        }),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Starts a subgraph as `npm start` does, as a process of its own with the test's configuration. */
async function startChild(name: SubgraphName, port: number, config: Config, stoppers: (() => Promise<void>)[]): Promise<Instance> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: config.databaseUrl,
    LOG_LEVEL: config.logLevel,
    SANJI_REGISTER_SYNC_MS: String(config.registerSyncMs),
    [`SANJI_${name.toUpperCase()}_PORT`]: String(port),
  };
  for (const other of NAMES) env[`SANJI_${other.toUpperCase()}_URL`] = config.subgraphUrls[other];
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'subgraphs', name, 'src', 'main.ts')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  stoppers.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  });
  await healthy(`http://127.0.0.1:${port}/health`);
  return { port, child };
}
