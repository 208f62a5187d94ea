import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { jwtVerify, SignJWT } from 'jose';
import type { Config } from './config';
import type { Viewer } from './viewer';

/**
 * Service credentials: how one subgraph asks another for facts that do not depend on the caller's
 * tier (does this branch exist, and where?). A short-lived HS256 token under a secret shared only
 * by Sanji's own services, in a header the gateway never forwards from clients.
 */
export const SERVICE_TOKEN_HEADER = 'x-sanji-service-token';
const SERVICE_AUDIENCE = 'sanji-internal';
const SERVICE_TOKEN_SECONDS = 60;

export function ensureDevelopmentInternalSecret(config: Config): void {
  if (config.internalSecret || existsSync(config.internalSecretFile)) return;
  if (config.env === 'production') {
    throw new Error(`No internal secret at ${config.internalSecretFile}: production needs SANJI_INTERNAL_SECRET or SANJI_INTERNAL_SECRET_FILE.`);
  }
  mkdirSync(dirname(config.internalSecretFile), { recursive: true });
  writeFileSync(config.internalSecretFile, randomBytes(32).toString('base64url'), { mode: 0o600 });
}

export function internalSecret(config: Config): Uint8Array {
  const secret = config.internalSecret ?? readFileSync(config.internalSecretFile, 'utf8').trim();
  if (secret.length < 32) throw new Error('the internal secret must be at least 32 characters');
  return new TextEncoder().encode(secret);
}

export function createServiceSigner(config: Config, service: string): () => Promise<string> {
  const secret = internalSecret(config);
  return () =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(service)
      .setAudience(SERVICE_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + SERVICE_TOKEN_SECONDS)
      .sign(secret);
}

/** Verifies a service token and returns the viewer it stands for, or throws. */
export function createServiceVerifier(config: Config): (token: string) => Promise<Viewer> {
  const secret = internalSecret(config);
  return async (token) => {
    const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], audience: SERVICE_AUDIENCE, requiredClaims: ['sub', 'exp'] });
    return systemViewer(String(payload.sub));
  };
}

/** Sanji's own service, reading across every tier; it may not write. */
export function systemViewer(service: string): Viewer {
  return { subject: `service:${service}`, tier: 'SYSTEM', regionCode: '000000', organizationId: null, roles: [] };
}
