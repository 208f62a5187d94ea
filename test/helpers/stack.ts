import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { Client } from 'pg';
import { signToken, type TokenClaims } from '../../shared/src/auth';
import { loadConfig, PROJECT_ROOT, SUBGRAPHS, type Config, type SubgraphName } from '../../shared/src/config';
import { configurePgTypes } from '../../shared/src/pg-types';
import type { RunningServer } from '../../shared/src/subgraph-server';
import { startGateway } from '../../gateway/src/server';
import { SUBGRAPH_MODULES } from '../../subgraphs/registry';
import { freePort } from './ports';
import { dropDatabase, ensureDatabase } from '../../scripts/lib/postgres';

/** One error of a GraphQL answer, as the gateway sends it. */
export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  locations?: { line: number; column: number }[];
  extensions?: { code?: string; field?: string; requestId?: string; [key: string]: unknown };
}

export interface GraphQLResponse<T = any> {
  status: number;
  body: { data?: T | null; errors?: GraphQLErrorBody[] };
}

export interface Stack {
  config: Config;
  gatewayUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
  /** The fresh database this stack runs on, for checks a user could make with psql. */
  databaseUrl: string;
  /**
   * Sends a GraphQL request over HTTP to the gateway (or to `url`), as the holder of `token`. A
   * contract operation's typed document (examples/client/generated.ts) types its variables and data.
   */
  request<T, V extends Record<string, unknown>>(document: TypedDocumentNode<T, V>, variables: V, token?: string | null, url?: string): Promise<GraphQLResponse<T>>;
  request<T = any>(query: string, variables?: Record<string, unknown>, token?: string | null, url?: string): Promise<GraphQLResponse<NoInfer<T>>>;
  /** A pg client on the stack's database, for what a user would check with psql; connected once, closed by `stop`. */
  database(): Promise<Client>;
  /** How many requests each subgraph has received so far. */
  subgraphRequests(): Record<SubgraphName, number>;
  /** How many SQL statements each subgraph has sent so far. */
  sqlStatements(): Record<SubgraphName, number>;
  /** Empties every subgraph's read cache and the gateway's response cache, as a change would, so the next request reads the database. */
  forgetCachedReads(): void;
  /** A token for a caller of the given tier. */
  token(claims: Partial<TokenClaims> & Pick<TokenClaims, 'tier' | 'regionCode'>): Promise<string>;
  stop(): Promise<void>;
}

/** What the gateway's `/metrics.json` says of its response cache. */
/** What one of the gateway's caches counts, from its `/metrics.json`. */
export interface GatewayCacheFigures {
  active: boolean;
  entries: number;
  hits: number;
  misses: number;
  forgotten: number;
}

async function gatewayCaches(stack: Pick<Stack, 'gatewayUrl'>): Promise<{ responseCache: GatewayCacheFigures; fetchCache: GatewayCacheFigures }> {
  return (await (await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/metrics.json'))).json()) as { responseCache: GatewayCacheFigures; fetchCache: GatewayCacheFigures };
}

/** The gateway's cache of whole answers. */
export async function responseCacheOf(stack: Pick<Stack, 'gatewayUrl'>): Promise<GatewayCacheFigures> {
  return (await gatewayCaches(stack)).responseCache;
}

/** The gateway's cache of the subgraphs' answers to its fetches. */
export async function fetchCacheOf(stack: Pick<Stack, 'gatewayUrl'>): Promise<GatewayCacheFigures> {
  return (await gatewayCaches(stack)).fetchCache;
}

/** The project's copy of a contract operation, as consumers send it. */
export function contractOperation(name: string): string {
  return readFileSync(join(PROJECT_ROOT, 'contract', `${name}.graphql`), 'utf8');
}

/**
 * Starts the subgraphs and the gateway on free ports against a fresh copy of the demo database,
 * exactly as they run in production: separate servers talking HTTP. With `onDatabaseOf`, they
 * serve another stack's database instead (a second deployment of the same data), and leave it be.
 */
export async function startStack(overrides: Partial<Config> = {}, onDatabaseOf?: Stack): Promise<Stack> {
  configurePgTypes();
  const adminUrl = process.env.SANJI_TEST_ADMIN_URL;
  const template = process.env.SANJI_TEST_TEMPLATE;
  if (!adminUrl || !template) throw new Error('the jest global setup did not run');
  const database = `sanji_test_${randomBytes(6).toString('hex')}`;
  const databaseUrl = onDatabaseOf ? onDatabaseOf.databaseUrl : await ensureDatabase(adminUrl, database, template);
  const dropOwnDatabase = () => (onDatabaseOf ? Promise.resolve() : dropDatabase(adminUrl, database));
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

    const request = async (document: string | TypedDocumentNode, variables: Record<string, unknown> = {}, token: string | null = null, url = gateway.url) => {
      const query = typeof document === 'string' ? document : print(document);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : {} };
    };
    let client: Promise<Client> | undefined;

    return {
      config,
      gatewayUrl: gateway.url,
      subgraphUrls,
      databaseUrl,
      sqlStatements: () =>
        Object.fromEntries((Object.keys(SUBGRAPH_MODULES) as SubgraphName[]).map((name, i) => [name, subgraphServers[i].statementCount?.() ?? 0])) as Record<SubgraphName, number>,
      forgetCachedReads: () => {
        for (const server of subgraphServers) server.readCache?.invalidate();
        gateway.responseCache.invalidate();
        gateway.fetchCache.invalidate();
      },
      subgraphRequests: () =>
        Object.fromEntries((Object.keys(SUBGRAPH_MODULES) as SubgraphName[]).map((name, i) => [name, subgraphServers[i].requestCount?.() ?? 0])) as Record<SubgraphName, number>,
      request: request as Stack['request'],
      database: () => {
        client ??= (async () => {
          const connected = new Client({ connectionString: databaseUrl });
          await connected.connect();
          return connected;
        })();
        return client;
      },
      token: (claims) =>
        signToken(config, {
          subject: claims.subject ?? `test-${claims.tier.toLowerCase()}-${claims.regionCode}`,
          roles: claims.roles ?? ['viewer'],
          organizationId: claims.organizationId ?? null,
          tier: claims.tier,
          regionCode: claims.regionCode,
        }),
      stop: async () => {
        await (await client?.catch(() => undefined))?.end();
        for (const server of servers.reverse()) await server.stop();
        await dropOwnDatabase();
      },
    };
  } catch (err) {
    for (const server of servers.reverse()) await server.stop();
    await dropOwnDatabase();
    throw err;
  }
}
