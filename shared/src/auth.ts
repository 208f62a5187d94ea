import { LRUCache } from 'lru-cache';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import type { Config, SubgraphName } from './config';
import { ExistsDocument, OrganizationPlaceDocument } from './generated/organization';
import { ensureDevelopmentInternalSecret } from './internal';
import { isUuid } from './sql';
import { SubgraphClient } from './subgraph-client';
import { ACCESS_ROLES, TIERS, viewerProblem, type AccessRole, type Tier, type Viewer } from './viewer';

/** Only this algorithm is accepted: `none`, HMAC and everything else are refused. */
export const TOKEN_ALGORITHM = 'ES256';

/**
 * Creates a development signing key and its public JWKS on first start. Production deployments
 * configure their own JWKS and never get a generated key.
 */
export async function ensureDevelopmentKeys(config: Config): Promise<void> {
  ensureDevelopmentInternalSecret(config);
  if (config.jwt.jwksUrl || existsSync(config.jwt.jwksFile)) return;
  if (config.env === 'production') {
    throw new Error(`No JWKS at ${config.jwt.jwksFile}: production needs a configured key (SANJI_JWKS_FILE).`);
  }
  const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: TOKEN_ALGORITHM, use: 'sig' };
  const jwks: JSONWebKeySet = { keys: [{ ...publicJwk, kid, alg: TOKEN_ALGORITHM, use: 'sig' }] };
  for (const file of [config.jwt.jwksFile, config.jwt.privateKeyFile]) mkdirSync(dirname(file), { recursive: true });
  writeFileSync(config.jwt.privateKeyFile, JSON.stringify(privateJwk, null, 2), { mode: 0o600 });
  writeFileSync(config.jwt.jwksFile, JSON.stringify(jwks, null, 2));
}

export interface TokenClaims {
  subject: string;
  tier: Tier;
  regionCode: string;
  organizationId?: string | null;
  roles: AccessRole[];
}

/** Signs a token with the development key (`npm run token`, tests). */
export async function signToken(config: Config, claims: TokenClaims, ttlSeconds = config.jwt.tokenTtlSeconds): Promise<string> {
  const jwk = JSON.parse(readFileSync(config.jwt.privateKeyFile, 'utf8')) as JWK;
  const key = await importJWK(jwk, TOKEN_ALGORITHM);
  const payload: Record<string, unknown> = { tier: claims.tier, region: claims.regionCode, roles: claims.roles };
  if (claims.organizationId) payload.org = claims.organizationId;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: jwk.kid, typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuer(config.jwt.issuer)
    .setAudience(config.jwt.audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(key);
}

export class InvalidTokenError extends Error {}

export type TokenVerifier = (authorization: string | undefined) => Promise<Viewer>;

/** Where a Party organization lies, as token verification needs to know it. */
export interface OrganizationPlace {
  regionCode: string;
  dissolved: boolean;
}

/**
 * The records a token's claims must name: the region of the region table, and for a BRANCH caller
 * a Party organization that exists, is not dissolved and lies in the token's county.
 */
export interface TokenRecords {
  /** Absent where a region outside the table needs no refusal (see createTokenRecords). */
  regionExists?(code: string): Promise<boolean>;
  /** Null when there is no such organization. */
  organization(id: string): Promise<OrganizationPlace | null>;
}

/** How many regions and organizations a process remembers for token checks, and for how long. */
const REMEMBERED_RECORDS = 10_000;
export const TOKEN_RECORDS_TTL_MS = 60_000;

/**
 * The token records as the organization subgraph holds them, read with the service's own proof
 * (the check must see every region, whatever tier the token claims) and remembered per code and
 * per organization id in bounded LRUs for a minute. The region table and an organization's county
 * almost never change, while every caller's first request needs them: a minute bounds how long a
 * dissolved branch's tokens or a moved branch's old county are still honoured, and the bounds keep
 * a flood of distinct claims from growing the process. Concurrent checks of one id share one
 * lookup. A failed lookup is not remembered, and fails the request (closed, not open).
 *
 * The gateway checks both, so a caller hears 401 before any subgraph is asked. A subgraph checks
 * the BRANCH organization again (`regions: false`): a BRANCH scope is its organization alone, so
 * a branch of another county would read unmasked there; a region outside the table scopes to an
 * empty subtree and shows nothing, and checking it in every subgraph would only repeat the lookup.
 */
export function createTokenRecords(config: Config, service: SubgraphName | 'gateway', options: { regions?: boolean } = {}): TokenRecords {
  const client = new SubgraphClient(config, service, 'organization', config.limits.requestTimeoutMs || undefined);
  type Remembered<T> = { value: T };
  const regions = new LRUCache<string, Remembered<boolean>>({
    max: REMEMBERED_RECORDS,
    ttl: TOKEN_RECORDS_TTL_MS,
    fetchMethod: async (code) => {
      const [found] = await client.entities(ExistsDocument, 'Region', [{ code }], 'service');
      return { value: found !== null };
    },
  });
  const organizations = new LRUCache<string, Remembered<OrganizationPlace | null>>({
    max: REMEMBERED_RECORDS,
    ttl: TOKEN_RECORDS_TTL_MS,
    fetchMethod: async (id) => {
      const [found] = await client.entities(OrganizationPlaceDocument, 'PartyOrganization', [{ id }], 'service');
      return { value: found?.region ? { regionCode: found.region.code, dissolved: found.dissolvedOn !== null } : null };
    },
  });
  const organization = async (id: string) => (isUuid(id) ? ((await organizations.fetch(id))?.value ?? null) : null);
  if (options.regions === false) return { organization };
  return { regionExists: async (code) => (await regions.fetch(code))?.value ?? false, organization };
}

/** Why a viewer's claims do not match the records, or null when they do. */
export async function recordsProblem(viewer: Viewer, records: TokenRecords): Promise<string | null> {
  if (viewer.tier === 'BRANCH') {
    const organization = await records.organization(viewer.organizationId ?? '');
    if (!organization) return 'the organization does not exist';
    if (organization.dissolved) return 'the organization is dissolved';
    if (organization.regionCode !== viewer.regionCode) return 'the organization lies in another region than the token claims';
    return null;
  }
  if (records.regionExists && !(await records.regionExists(viewer.regionCode))) return 'the region does not exist';
  return null;
}

/** How many verified tokens a process remembers, and for how long at most. */
const VERIFIED_TOKENS = 10_000;
export const VERIFIED_TOKEN_TTL_MS = 60_000;

/**
 * Builds the verifier both the gateway and every subgraph use: a bearer token signed by a key of
 * the JWKS (picked by `kid`), with the allowed algorithm, issuer and audience, not expired, with
 * coherent tier claims, and, given the records, claims that name an existing region or a live
 * organization in the claimed county.
 */
export function createTokenVerifier(config: Config, records?: TokenRecords): TokenVerifier {
  const jwks = config.jwt.jwksUrl
    ? // An unknown key id triggers a refetch (after the cooldown), so a rotated key is picked up without a restart.
      createRemoteJWKSet(new URL(config.jwt.jwksUrl), { cooldownDuration: config.jwt.jwksCooldownMs, cacheMaxAge: 10 * 60_000 })
    : createLocalJWKSet(JSON.parse(readFileSync(config.jwt.jwksFile, 'utf8')) as JSONWebKeySet);
  // A caller sends the same token with every request, and the gateway's every subgraph fetch
  // carries it again: each process checks a token's signature once and then remembers the viewer
  // until the token expires, at most VERIFIED_TOKEN_TTL_MS, so a key withdrawn from the JWKS stops
  // being honoured within that time.
  const verified = new LRUCache<string, Viewer>({ max: VERIFIED_TOKENS, ttlAutopurge: false });
  return async (authorization) => {
    const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(authorization ?? '');
    if (!match) throw new InvalidTokenError('missing bearer token');
    const remembered = verified.get(match[1]);
    if (remembered) return remembered;
    let payload;
    try {
      ({ payload } = await jwtVerify(match[1], jwks, {
        algorithms: [TOKEN_ALGORITHM],
        issuer: config.jwt.issuer,
        audience: config.jwt.audience,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (err) {
      throw new InvalidTokenError((err as Error).message);
    }
    const { tier, region, org, roles } = payload as Record<string, unknown>;
    const viewer: Viewer = {
      subject: String(payload.sub),
      tier: tier as Tier,
      regionCode: String(region),
      organizationId: typeof org === 'string' ? org : null,
      roles: Array.isArray(roles) ? (roles as AccessRole[]) : [],
    };
    if (!TIERS.includes(viewer.tier as Tier)) throw new InvalidTokenError('unknown tier');
    if (!viewer.roles.every((r) => ACCESS_ROLES.includes(r))) throw new InvalidTokenError('unknown role');
    const problem = viewerProblem(viewer) ?? (records ? await recordsProblem(viewer, records) : null);
    if (problem) throw new InvalidTokenError(problem);
    const ttl = Math.min(VERIFIED_TOKEN_TTL_MS, Number(payload.exp) * 1000 - Date.now());
    if (ttl > 0) verified.set(match[1], Object.freeze(viewer), { ttl });
    return viewer;
  };
}
