import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { loadConfig } from './config';
import { createTokenVerifier, InvalidTokenError, recordsProblem, type TokenRecords } from './auth';
import { createProofSigner, createProofVerifier, InvalidProofError } from './internal';
import type { Viewer } from './viewer';

/** An identity provider's key set, served over HTTP, whose keys can be rotated. */
async function keyServer() {
  let keys: JWK[] = [];
  const server: Server = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    publish: (next: JWK[]) => (keys = next),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function signingKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const sign = () =>
    new SignJWT({ tier: 'PROVINCE', region: '210000', roles: ['viewer'] })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject('someone')
      .setIssuer('sanji')
      .setAudience('sanji')
      .setExpirationTime('5m')
      .sign(privateKey);
  return { jwk, sign };
}

describe('keys from a JWKS URL', () => {
  it('verifies tokens under the published keys and follows a rotation without a restart', async () => {
    const provider = await keyServer();
    try {
      const first = await signingKey('2019-a');
      const second = await signingKey('2019-b');
      provider.publish([first.jwk]);
      const config = loadConfig({ SANJI_JWKS_URL: provider.url, SANJI_JWKS_COOLDOWN_SECONDS: '1' });
      const verify = createTokenVerifier(config);

      expect((await verify(`Bearer ${await first.sign()}`)).tier).toBe('PROVINCE');
      await expect(verify(`Bearer ${await second.sign()}`)).rejects.toBeInstanceOf(InvalidTokenError);

      provider.publish([first.jwk, second.jwk]);
      // The unknown key id made the verifier wait out its cooldown before asking the provider again.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect((await verify(`Bearer ${await second.sign()}`)).tier).toBe('PROVINCE');
    } finally {
      await provider.close();
    }
  });
});

describe('claims checked against the records', () => {
  const records: TokenRecords = {
    regionExists: async (code) => ['210000', '210300', '210302', '210402'].includes(code),
    organization: async (id) =>
      ({
        'hongyang-branch': { regionCode: '210302', dissolved: false },
        'fushun-branch': { regionCode: '210402', dissolved: false },
        'closed-branch': { regionCode: '210302', dissolved: true },
      })[id] ?? null,
  };
  const branch = (organizationId: string, regionCode = '210302'): Viewer => ({ subject: 's', tier: 'BRANCH', regionCode, organizationId, roles: ['viewer'] });

  it('accepts a branch in the county its token claims, and a region of the table', async () => {
    expect(await recordsProblem(branch('hongyang-branch'), records)).toBeNull();
    expect(await recordsProblem({ subject: 's', tier: 'CITY', regionCode: '210300', organizationId: null, roles: ['viewer'] }, records)).toBeNull();
  });

  it('refuses a branch of another county, a branch that does not exist or is dissolved, and a region not in the table', async () => {
    expect(await recordsProblem(branch('fushun-branch'), records)).toMatch(/another region/);
    expect(await recordsProblem(branch('nowhere-branch'), records)).toMatch(/does not exist/);
    expect(await recordsProblem(branch('closed-branch'), records)).toMatch(/dissolved/);
    expect(await recordsProblem({ subject: 's', tier: 'CITY', regionCode: '220100', organizationId: null, roles: ['viewer'] }, records)).toMatch(/region does not exist/);
  });
});

describe('proofs between services', () => {
  const config = { ...loadConfig({}), internalSecret: 'a-test-secret-a-test-secret-a-test-secret' };
  const sign = createProofSigner(config, 'gateway');
  const verify = createProofVerifier(config);
  const QUERY = '{ regions { code } }';
  const alice = 'Bearer alice.token.signature';
  const bob = 'Bearer bob.token.signature';

  it('holds for the caller whose token it was made with, and only for them', async () => {
    const proof = await sign(QUERY, {}, { authorization: alice });
    expect(await verify(proof, QUERY, {}, alice)).toEqual({ service: 'gateway', onBehalfOf: 'caller' });
    await expect(verify(proof, QUERY, {}, undefined)).rejects.toBeInstanceOf(InvalidProofError);
    await expect(verify(proof, QUERY, {}, '')).rejects.toBeInstanceOf(InvalidProofError);
    await expect(verify(proof, QUERY, {}, bob)).rejects.toBeInstanceOf(InvalidProofError);
  });

  it('makes a request the service’s own only when made as the service, with no token beside it', async () => {
    const service = await sign(QUERY, {}, 'service');
    expect(await verify(service, QUERY, {}, undefined)).toEqual({ service: 'gateway', onBehalfOf: 'service' });
    await expect(verify(service, QUERY, {}, alice)).rejects.toBeInstanceOf(InvalidProofError);
    const [name, expiry, , mac] = (await sign(QUERY, {}, { authorization: alice })).split('.');
    await expect(verify(`${name}.${expiry}.service.${mac}`, QUERY, {}, undefined)).rejects.toBeInstanceOf(InvalidProofError);
    await expect(verify(`${name}.${expiry}.${mac}`, QUERY, {}, undefined)).rejects.toBeInstanceOf(InvalidProofError);
  });

  it('is refused when made under another secret', async () => {
    const forger = createProofSigner({ ...config, internalSecret: 'not-the-secret-not-the-secret-not-the-secret' }, 'gateway');
    await expect(verify(await forger(QUERY, {}, 'service'), QUERY, {}, undefined)).rejects.toBeInstanceOf(InvalidProofError);
  });
});

describe('claims checked by a subgraph', () => {
  it('checks a branch’s organization and leaves the region table to the gateway', async () => {
    const organizationOnly: TokenRecords = { organization: async () => ({ regionCode: '210402', dissolved: false }) };
    expect(await recordsProblem({ subject: 's', tier: 'CITY', regionCode: '220100', organizationId: null, roles: ['viewer'] }, organizationOnly)).toBeNull();
    expect(await recordsProblem({ subject: 's', tier: 'BRANCH', regionCode: '210302', organizationId: 'x', roles: ['viewer'] }, organizationOnly)).toMatch(/another region/);
  });
});
