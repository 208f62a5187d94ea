import { createHash, createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Config } from './config';
import type { Viewer } from './viewer';

/**
 * The proof that a request to a subgraph comes from Sanji itself: the gateway, or one subgraph
 * asking another. `<service>.<expiry>.<actor>.<mac>`: an HMAC-SHA256, under a secret that only
 * Sanji's services hold, of the sending service, an expiry 30 seconds ahead, on whose behalf the
 * request runs, and a digest of the one request it travels with (its query and variables), so it
 * cannot be replayed with another query or after it lapses. Subgraphs refuse every request without
 * one, and refuse to start without the secret. The gateway never passes this header on from clients.
 *
 * The actor binds the proof to the caller: `caller:<hash>` names the SHA-256 of the request's
 * Authorization header, so the request replayed without that token, or with another, fails; only
 * `service` makes the request the service's own (every region, no writes), and nothing that signs
 * for a caller can produce it. A caller's request without a token is therefore refused, never
 * promoted to the service.
 *
 * Not a JWT: nothing but Sanji reads it, and node:crypto's synchronous HMAC costs microseconds
 * where WebCrypto's asynchronous one was a tenth of the gateway's CPU (eight proofs a dashboard).
 */
export const PROOF_HEADER = 'x-sanji-proof';
const PROOF_SECONDS = 30;
/** What a proof may name as its sender: the name cannot hold the `.` that separates the parts. */
const SERVICE_NAME = /^[a-z][a-z-]*$/;

export function ensureDevelopmentInternalSecret(config: Config): void {
  if (config.internalSecret || existsSync(config.internalSecretFile)) return;
  if (config.env === 'production') {
    throw new Error(`No internal secret at ${config.internalSecretFile}: production needs SANJI_INTERNAL_SECRET or SANJI_INTERNAL_SECRET_FILE.`);
  }
  mkdirSync(dirname(config.internalSecretFile), { recursive: true });
  writeFileSync(config.internalSecretFile, randomBytes(32).toString('base64url'), { mode: 0o600 });
}

export function internalSecret(config: Config): Uint8Array {
  let secret = config.internalSecret;
  if (!secret) {
    if (!existsSync(config.internalSecretFile)) {
      throw new Error('No internal secret: set SANJI_INTERNAL_SECRET (or SANJI_INTERNAL_SECRET_FILE); subgraphs do not run open.');
    }
    secret = readFileSync(config.internalSecretFile, 'utf8').trim();
  }
  if (secret.length < 32) throw new Error('the internal secret must be at least 32 characters');
  return new TextEncoder().encode(secret);
}

/** What a proof is bound to: the request's query and variables. */
export function requestDigest(query: string, variables: unknown): string {
  return createHash('sha256').update(`${query}\n${JSON.stringify(variables ?? {})}`).digest('base64url');
}

/** On whose behalf a request between services runs: a caller's (their Authorization header, so their tier applies), or the service's own. */
export type OnBehalfOf = { authorization: string } | 'service';

/** The proof's actor part: `service`, or `caller:` and the digest of the caller's Authorization header. */
export function proofActor(onBehalfOf: OnBehalfOf): string {
  if (onBehalfOf === 'service') return 'service';
  return `caller:${createHash('sha256').update(onBehalfOf.authorization).digest('base64url')}`;
}

export type ProofSigner = (query: string, variables: unknown, onBehalfOf: OnBehalfOf) => Promise<string>;

/** The secret as a key object, made once per process rather than for every proof. */
function proofKey(config: Config): KeyObject {
  return createSecretKey(internalSecret(config));
}

function proofMac(key: KeyObject, service: string, expiry: number, actor: string, digest: string): Buffer {
  return createHmac('sha256', key).update(`sanji-proof\n${service}\n${expiry}\n${actor}\n${digest}`).digest();
}

export function createProofSigner(config: Config, service: string): ProofSigner {
  if (!SERVICE_NAME.test(service)) throw new Error(`not a service name: ${service}`);
  const key = proofKey(config);
  return async (query, variables, onBehalfOf) => {
    const expiry = Math.floor(Date.now() / 1000) + PROOF_SECONDS;
    const actor = proofActor(onBehalfOf);
    return `${service}.${expiry}.${actor}.${proofMac(key, service, expiry, actor, requestDigest(query, variables)).toString('base64url')}`;
  };
}

export class InvalidProofError extends Error {}

/** Who a verified proof says sent the request, and whether it runs as the service or for the caller whose token came with it. */
export interface VerifiedProof {
  service: string;
  onBehalfOf: 'service' | 'caller';
}

const ACTOR = /^(service|caller:[A-Za-z0-9_-]{43})$/;

/**
 * Verifies a proof for the request it came with (its query, variables and Authorization header,
 * undefined when absent); returns who sent it and for whom, or throws.
 */
export function createProofVerifier(config: Config): (proof: string, query: string, variables: unknown, authorization: string | undefined) => Promise<VerifiedProof> {
  const key = proofKey(config);
  return async (proof, query, variables, authorization) => {
    const [service, expiryText, actor, mac, extra] = (proof ?? '').split('.');
    const expiry = Number(expiryText);
    if (extra !== undefined || !service || !mac || !SERVICE_NAME.test(service) || !/^\d+$/.test(expiryText ?? '') || !ACTOR.test(actor ?? '')) {
      throw new InvalidProofError('not a proof');
    }
    if (expiry <= Date.now() / 1000 || expiry > Date.now() / 1000 + PROOF_SECONDS + 60) throw new InvalidProofError('the proof has lapsed');
    const given = Buffer.from(mac, 'base64url');
    const expected = proofMac(key, service, expiry, actor, requestDigest(query, variables));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidProofError('the proof belongs to another request or another secret');
    // The service's own request carries no caller's token; a caller's carries exactly the one it was made for.
    if (actor === 'service') {
      if (authorization !== undefined) throw new InvalidProofError('a service proof travels without a caller token');
      return { service, onBehalfOf: 'service' };
    }
    if (authorization === undefined || proofActor({ authorization }) !== actor) throw new InvalidProofError('the proof was made for another caller');
    return { service, onBehalfOf: 'caller' };
  };
}

/** Sanji's own service, reading across every tier; it may not write. */
export function systemViewer(service: string): Viewer {
  return { subject: `service:${service}`, tier: 'SYSTEM', regionCode: '000000', organizationId: null, roles: [] };
}
