import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { signToken, type TokenClaims } from '../../shared/src/auth';
import { loadConfig, PROJECT_ROOT, SUBGRAPHS, type Config, type SubgraphName } from '../../shared/src/config';
import { configurePgTypes } from '../../shared/src/pg-types';
import type { RunningServer } from '../../shared/src/subgraph-server';
import { startGateway } from '../../gateway/src/server';
import { SUBGRAPH_MODULES } from '../../subgraphs/registry';
import { freePort } from './ports';
import { dropDatabase, ensureDatabase } from '../../scripts/lib/postgres';

export interface GraphQLResponse<T = any> {
  status: number;
  /** Loosely typed: tests assert on its shape. */
  body: { data?: T; errors?: any };
}

export interface Stack {
  config: Config;
  gatewayUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
  /** The fresh database this stack runs on, for checks a user could make with psql. */
  databaseUrl: string;
  /** Sends a GraphQL request over HTTP to the gateway (or to `url`), as the holder of `token`. */
  request<T = any>(query: string, variables?: Record<string, unknown>, token?: string | null, url?: string): Promise<GraphQLResponse<T>>;
  /** How many requests each subgraph has received so far. */
  subgraphRequests(): Record<SubgraphName, number>;
  /** How many SQL statements each subgraph has sent so far. */
  sqlStatements(): Record<SubgraphName, number>;
  /** Empties every subgraph's read cache, as a change would, so the next request reads the database. */
  forgetCachedReads(): void;
  /** A token for a caller of the given tier. */
  token(claims: Partial<TokenClaims> & Pick<TokenClaims, 'tier' | 'regionCode'>): Promise<string>;
  stop(): Promise<void>;
}

/** The project's copy of a contract operation, as consumers send it. */
export function contractOperation(name: string): string {
  return readFileSync(join(PROJECT_ROOT, 'contract', `${name}.graphql`), 'utf8');
}

/**
 * Starts the subgraphs and the gateway on free ports against a fresh copy of the demo database,
 * exactly as they run in production: separate servers talking HTTP.
 */
export async function startStack(overrides: Partial<Config> = {}): Promise<Stack> {
  configurePgTypes();
  const adminUrl = process.env.SANJI_TEST_ADMIN_URL;
  const template = process.env.SANJI_TEST_TEMPLATE;
  if (!adminUrl || !template) throw new Error('the jest global setup did not run');
  const database = `sanji_test_${randomBytes(6).toString('hex')}`;
  const databaseUrl = await ensureDatabase(adminUrl, database, template);
  // Subgraphs look each other up, so every port is known before any of them starts.
  const subgraphPorts = {} as Record<SubgraphName, number>;
  const subgraphUrls = {} as Record<SubgraphName, string>;
  for (const name of Object.keys(SUBGRAPHS) as SubgraphName[]) {
    subgraphPorts[name] = await freePort();
    subgraphUrls[name] = `http://127.0.0.1:${subgraphPorts[name]}/graphql`;
  }
  const config: Config = { ...loadConfig(), databaseUrl, subgraphPorts, subgraphUrls, logLevel: process.env.LOG_LEVEL ?? 'silent', ...overrides };

  const servers: RunningServer[] = [];
  try {
    for (const name of Object.keys(SUBGRAPH_MODULES) as SubgraphName[]) {
      servers.push(await SUBGRAPH_MODULES[name].start(config, subgraphPorts[name]));
    }
    const subgraphServers = [...servers];
    const gateway = await startGateway(config, { port: 0 });
    servers.push(gateway);

    const request: Stack['request'] = async (query, variables = {}, token = null, url = gateway.url) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : {} };
    };

    return {
      config,
      gatewayUrl: gateway.url,
      subgraphUrls,
      databaseUrl,
      sqlStatements: () =>
        Object.fromEntries((Object.keys(SUBGRAPH_MODULES) as SubgraphName[]).map((name, i) => [name, subgraphServers[i].statementCount?.() ?? 0])) as Record<SubgraphName, number>,
      forgetCachedReads: () => {
        for (const server of subgraphServers) server.readCache?.invalidate();
      },
      subgraphRequests: () =>
        Object.fromEntries((Object.keys(SUBGRAPH_MODULES) as SubgraphName[]).map((name, i) => [name, subgraphServers[i].requestCount?.() ?? 0])) as Record<SubgraphName, number>,
      request,
      token: (claims) =>
        signToken(config, {
          subject: claims.subject ?? `test-${claims.tier.toLowerCase()}-${claims.regionCode}`,
          roles: claims.roles ?? ['viewer'],
          organizationId: claims.organizationId ?? null,
          tier: claims.tier,
          regionCode: claims.regionCode,
        }),
      stop: async () => {
        for (const server of servers.reverse()) await server.stop();
        await dropDatabase(adminUrl, database);
      },
    };
  } catch (err) {
    for (const server of servers.reverse()) await server.stop();
    await dropDatabase(adminUrl, database);
    throw err;
  }
}
