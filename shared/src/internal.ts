import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { jwtVerify, SignJWT } from 'jose';
import type { Config } from './config';
import type { Viewer } from './viewer';

/**
 * The proof that a request to a subgraph comes from Sanji itself: the gateway, or one subgraph
 * asking another. A short-lived HS256 token under a secret that only Sanji's services hold,
 * bound to the one request it travels with (a digest of its query and variables), so it cannot
 * be replayed with another query. Subgraphs refuse every request without one, and refuse to
 * start without the secret. The gateway never passes this header on from clients.
 */
export const PROOF_HEADER = 'x-sanji-proof';
const PROOF_AUDIENCE = 'sanji-internal';
const PROOF_SECONDS = 30;

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

export type ProofSigner = (query: string, variables: unknown) => Promise<string>;

/**
 * The internal secret as an HMAC key, imported once: handed raw bytes, jose would import them
 * again for every proof, and a dashboard signs and checks eight.
 */
function proofKey(config: Config): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', internalSecret(config) as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

export function createProofSigner(config: Config, service: string): ProofSigner {
  const key = proofKey(config);
  return async (query, variables) =>
    new SignJWT({ rd: requestDigest(query, variables) })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(service)
      .setAudience(PROOF_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + PROOF_SECONDS)
      .sign(await key);
}

/** Verifies a proof for the request it came with; returns the service that sent it, or throws. */
export function createProofVerifier(config: Config): (proof: string, query: string, variables: unknown) => Promise<string> {
  const key = proofKey(config);
  return async (proof, query, variables) => {
    const { payload } = await jwtVerify(proof, await key, { algorithms: ['HS256'], audience: PROOF_AUDIENCE, requiredClaims: ['sub', 'exp', 'rd'] });
    if (payload.rd !== requestDigest(query, variables)) throw new Error('the proof belongs to another request');
    return String(payload.sub);
  };
}

/** Sanji's own service, reading across every tier; it may not write. */
export function systemViewer(service: string): Viewer {
  return { subject: `service:${service}`, tier: 'SYSTEM', regionCode: '000000', organizationId: null, roles: [] };
}
