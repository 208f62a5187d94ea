import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DestinationStream } from 'pino';

/** The project root, wherever the code runs from (sources via tsx, or compiled into dist/). */
export const PROJECT_ROOT = findProjectRoot(__dirname);

/** The subgraphs of the supergraph, each with the port it listens on by default. */
export const SUBGRAPHS = {
  organization: { defaultPort: 4001, enabled: true },
  members: { defaultPort: 4002, enabled: true },
  activities: { defaultPort: 4003, enabled: true },
  commendations: { defaultPort: 4004, enabled: true },
} as const;

export type SubgraphName = keyof typeof SUBGRAPHS;

export type Environment = 'development' | 'production' | 'test';

export interface Config {
  env: Environment;
  /** A PostgreSQL connection string; when absent, `npm start` and the tests run an embedded server. */
  databaseUrl: string | undefined;
  /** The gateway's port. */
  port: number;
  /** The address services bind to. */
  host: string;
  subgraphUrls: Record<SubgraphName, string>;
  subgraphPorts: Record<SubgraphName, number>;
  jwt: {
    issuer: string;
    audience: string;
    /** Lifetime of tokens issued by `npm run token`, in seconds. */
    tokenTtlSeconds: number;
    /** A JWKS file with the public keys that verify tokens. */
    jwksFile: string;
    /** Or a JWKS URL (the identity provider's), fetched and refetched as keys rotate. */
    jwksUrl: string | undefined;
    /** The least time between two fetches of the JWKS URL, when a token names an unknown key. */
    jwksCooldownMs: number;
    /** A JWK file with the private key that signs development tokens. */
    privateKeyFile: string;
  };
  /** The secret Sanji's services share for service-to-service calls (SANJI_INTERNAL_SECRET). */
  internalSecret: string | undefined;
  /** Where a generated development secret is kept when SANJI_INTERNAL_SECRET is not set. */
  internalSecretFile: string;
  /** How long a transfer letter (介绍信) stays valid, in months. */
  transferValidityMonths: number;
  /** Where the embedded PostgreSQL keeps its data. */
  embeddedDataDir: string;
  embeddedPort: number;
  /** Most institutions a joint branch (联合党支部) may cover. */
  jointBranchCap: number;
  /** Full Party members an institution needs for a standalone branch (单独党支部). */
  standaloneBranchMinFullMembers: number;
  /** Largest page a connection field serves. */
  maxPageSize: number;
  /** Connections in each service's PostgreSQL pool. */
  poolSize: number;
  /** Kept-alive sockets from the gateway to each subgraph; 0 opens a connection per request. */
  subgraphSockets: number;
  /** Megabytes of query plans the gateway keeps; 0 plans every request anew. */
  queryPlanCacheMb: number;
  /** Subgraphs answer a gateway's request for a federated trace (ftv1), for a trace collector. */
  inlineTracing: boolean;
  /** Services name their statements, so PostgreSQL parses and plans each once per connection. */
  preparedStatements: boolean;
  /** Entries each subgraph keeps of answers it has read, dropped on every change; 0 reads every time. */
  readCacheEntries: number;
  /** Whole answers the gateway keeps, by operation, variables and caller, dropped on every change; 0 keeps none. */
  responseCacheEntries: number;
  /** Megabytes of serialized answers the gateway's response cache holds at most. */
  responseCacheMb: number;
  /** Subgraph answers to the gateway's fetches it keeps, by fetch and caller, dropped by the changes that meet them; 0 keeps none. */
  fetchCacheEntries: number;
  /** Megabytes of serialized fetch answers the gateway's fetch cache holds at most. */
  fetchCacheMb: number;
  /** How often the activities subgraph reads the organization subgraph's changes of Party organizations; 0 never. */
  registerSyncMs: number;
  logLevel: string;
  /** Where the services write their log lines; standard output when absent. Set by code, not by the environment. */
  logDestination?: DestinationStream;
  /** How long a stopping service waits for the requests it has accepted to finish (SANJI_DRAIN_MS). */
  drainMs: number;
  /** What one request may ask of the gateway; 0 switches a limit off. */
  limits: RequestLimits;
  /** Accept only the operations of the persisted-operation manifest (safelisting). */
  safelist: boolean;
  /** `GET /explorer/viewers.json` hands signed demo tokens to loopback callers (never in production). */
  demoTokens: boolean;
  /** Origins whose pages may call the gateway from the browser (CORS), as patterns: `*` for any port or a host's leading labels. */
  corsOrigins: string[];
}

export interface RequestLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
  /** Characters in the query document. */
  maxDocumentLength: number;
  /** Bytes in a request body. */
  maxBodyBytes: number;
  /** Bytes in a request body from a caller who may write: an import of up to 5,000 ledger rows. */
  maxImportBodyBytes: number;
  /** How long the gateway waits for a subgraph, and PostgreSQL for a statement. */
  requestTimeoutMs: number;
}

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return parsed;
}

export const ENVIRONMENTS: readonly Environment[] = ['production', 'test', 'development'];
export const BOOLEAN_VALUES = { on: true, true: true, off: false, false: false } as const;

/**
 * An on/off setting. Only the documented words count, and anything else stops start-up: a
 * mistyped `SANJI_SAFELIST=1` must not quietly run without the safelist.
 */
function bool(value: string | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined || value === '') return fallback;
  if (!Object.hasOwn(BOOLEAN_VALUES, value)) {
    throw new Error(`${name} must be one of ${Object.keys(BOOLEAN_VALUES).join(', ')}, got "${value}"`);
  }
  return BOOLEAN_VALUES[value as keyof typeof BOOLEAN_VALUES];
}

/** Where a developer's frontend dev server runs: any port on this machine. */
export const DEVELOPMENT_CORS_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*'] as const;

/** `scheme://host[:port]`, with `*` for the port or for the host's leading labels (`https://*.example.org`). */
const ORIGIN_PATTERN = /^https?:\/\/(\*\.)?([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(:(\*|\d{1,5}))?$/;

/**
 * The origins allowed to call the gateway from a browser. Each must be an exact origin or a
 * pattern of one: a path, a trailing slash or a bare `*` would not be what the operator meant
 * (a browser's Origin has none, and any origin at all is never an allowlist), so they stop start-up.
 */
function corsOrigins(value: string | undefined, mode: Environment): string[] {
  if (value === undefined || value === '') return mode === 'production' ? [] : [...DEVELOPMENT_CORS_ORIGINS];
  if (value === 'off') return [];
  return value.split(',').map((entry) => {
    const origin = entry.trim().toLowerCase();
    if (!ORIGIN_PATTERN.test(origin)) {
      throw new Error(`SANJI_CORS_ORIGINS must be off or a comma-separated list of origins such as https://ledger.example.org or http://localhost:*, got "${entry.trim()}"`);
    }
    return origin;
  });
}

/**
 * The environment Sanji runs in. Development unmasks errors and generates keys, so a NODE_ENV
 * that is not exactly one of the three stops start-up rather than falling back to it.
 */
function environment(value: string | undefined): Environment {
  if (value === undefined || value === '') return 'development';
  if (!ENVIRONMENTS.includes(value as Environment)) {
    throw new Error(`NODE_ENV must be one of ${ENVIRONMENTS.join(', ')} (unset means development), got "${value}"`);
  }
  return value as Environment;
}

/**
 * Reads the configuration from the environment; every setting has a working development default,
 * and a value a setting does not accept stops start-up with a message naming the accepted ones.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const mode = environment(env.NODE_ENV);
  const demoTokens = bool(env.SANJI_DEMO_TOKENS, false, 'SANJI_DEMO_TOKENS');
  if (demoTokens && mode === 'production') throw new Error('SANJI_DEMO_TOKENS cannot be on with NODE_ENV=production: production never hands out tokens');
  const stateDir = resolve(env.SANJI_STATE_DIR ?? join(PROJECT_ROOT, '.sanji'));
  const host = env.SANJI_HOST ?? '127.0.0.1';
  const subgraphPorts = {} as Record<SubgraphName, number>;
  const subgraphUrls = {} as Record<SubgraphName, string>;
  for (const name of Object.keys(SUBGRAPHS) as SubgraphName[]) {
    const key = name.toUpperCase();
    subgraphPorts[name] = int(env[`SANJI_${key}_PORT`], SUBGRAPHS[name].defaultPort, `SANJI_${key}_PORT`);
    subgraphUrls[name] = env[`SANJI_${key}_URL`] ?? `http://127.0.0.1:${subgraphPorts[name]}/graphql`;
  }
  return {
    env: mode,
    databaseUrl: env.DATABASE_URL || undefined,
    port: int(env.PORT, 4000, 'PORT'),
    host,
    subgraphUrls,
    subgraphPorts,
    jwt: {
      issuer: env.SANJI_JWT_ISSUER ?? 'sanji',
      audience: env.SANJI_JWT_AUDIENCE ?? 'sanji',
      tokenTtlSeconds: int(env.SANJI_TOKEN_TTL_SECONDS, 8 * 3600, 'SANJI_TOKEN_TTL_SECONDS'),
      jwksFile: resolve(env.SANJI_JWKS_FILE ?? join(stateDir, 'keys', 'jwks.json')),
      jwksUrl: env.SANJI_JWKS_URL || undefined,
      jwksCooldownMs: int(env.SANJI_JWKS_COOLDOWN_SECONDS, 30, 'SANJI_JWKS_COOLDOWN_SECONDS') * 1000,
      privateKeyFile: resolve(env.SANJI_JWT_PRIVATE_KEY_FILE ?? join(stateDir, 'keys', 'signing-key.json')),
    },
    internalSecret: env.SANJI_INTERNAL_SECRET || undefined,
    internalSecretFile: resolve(env.SANJI_INTERNAL_SECRET_FILE ?? join(stateDir, 'keys', 'internal-secret')),
    transferValidityMonths: int(env.SANJI_TRANSFER_VALIDITY_MONTHS, 3, 'SANJI_TRANSFER_VALIDITY_MONTHS'),
    embeddedDataDir: resolve(env.SANJI_PGDATA ?? join(stateDir, 'pgdata')),
    embeddedPort: int(env.SANJI_EMBEDDED_PG_PORT, 54329, 'SANJI_EMBEDDED_PG_PORT'),
    jointBranchCap: int(env.SANJI_JOINT_BRANCH_CAP, 5, 'SANJI_JOINT_BRANCH_CAP'),
    standaloneBranchMinFullMembers: int(env.SANJI_STANDALONE_MIN_FULL_MEMBERS, 3, 'SANJI_STANDALONE_MIN_FULL_MEMBERS'),
    maxPageSize: int(env.SANJI_MAX_PAGE_SIZE, 100, 'SANJI_MAX_PAGE_SIZE'),
    // PostgreSQL does the most work with about two busy connections per core; more only queue on the CPUs.
    poolSize: int(env.SANJI_DB_POOL_SIZE, Math.max(2, 2 * availableParallelism()), 'SANJI_DB_POOL_SIZE'),
    subgraphSockets: int(env.SANJI_SUBGRAPH_SOCKETS, 16, 'SANJI_SUBGRAPH_SOCKETS'),
    queryPlanCacheMb: int(env.SANJI_QUERY_PLAN_CACHE_MB, 30, 'SANJI_QUERY_PLAN_CACHE_MB'),
    inlineTracing: bool(env.SANJI_INLINE_TRACING, false, 'SANJI_INLINE_TRACING'),
    preparedStatements: bool(env.SANJI_PREPARED_STATEMENTS, true, 'SANJI_PREPARED_STATEMENTS'),
    readCacheEntries: int(env.SANJI_READ_CACHE_ENTRIES, 20_000, 'SANJI_READ_CACHE_ENTRIES'),
    responseCacheEntries: int(env.SANJI_RESPONSE_CACHE_ENTRIES, 20_000, 'SANJI_RESPONSE_CACHE_ENTRIES'),
    responseCacheMb: int(env.SANJI_RESPONSE_CACHE_MB, 40, 'SANJI_RESPONSE_CACHE_MB'),
    fetchCacheEntries: int(env.SANJI_FETCH_CACHE_ENTRIES, 20_000, 'SANJI_FETCH_CACHE_ENTRIES'),
    fetchCacheMb: int(env.SANJI_FETCH_CACHE_MB, 32, 'SANJI_FETCH_CACHE_MB'),
    registerSyncMs: int(env.SANJI_REGISTER_SYNC_MS, 1000, 'SANJI_REGISTER_SYNC_MS'),
    logLevel: env.LOG_LEVEL ?? (mode === 'test' ? 'silent' : 'info'),
    drainMs: int(env.SANJI_DRAIN_MS, 10_000, 'SANJI_DRAIN_MS'),
    safelist: bool(env.SANJI_SAFELIST, false, 'SANJI_SAFELIST'),
    demoTokens,
    corsOrigins: corsOrigins(env.SANJI_CORS_ORIGINS, mode),
    limits: {
      maxDepth: int(env.SANJI_MAX_DEPTH, 6, 'SANJI_MAX_DEPTH'),
      maxAliases: int(env.SANJI_MAX_ALIASES, 15, 'SANJI_MAX_ALIASES'),
      maxDirectives: int(env.SANJI_MAX_DIRECTIVES, 50, 'SANJI_MAX_DIRECTIVES'),
      maxTokens: int(env.SANJI_MAX_TOKENS, 1000, 'SANJI_MAX_TOKENS'),
      maxCost: int(env.SANJI_MAX_COST, 25_000, 'SANJI_MAX_COST'),
      maxDocumentLength: int(env.SANJI_MAX_DOCUMENT_LENGTH, 15_000, 'SANJI_MAX_DOCUMENT_LENGTH'),
      maxBodyBytes: int(env.SANJI_MAX_BODY_BYTES, 100_000, 'SANJI_MAX_BODY_BYTES'),
      maxImportBodyBytes: int(env.SANJI_MAX_IMPORT_BODY_BYTES, 4_000_000, 'SANJI_MAX_IMPORT_BODY_BYTES'),
      requestTimeoutMs: int(env.SANJI_REQUEST_TIMEOUT_MS, 15_000, 'SANJI_REQUEST_TIMEOUT_MS'),
    },
  };
}

function findProjectRoot(from: string): string {
  // Sources run from shared/src, compiled code from dist/shared/src: the root holds package.json.
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = resolve(dir, '..');
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}
