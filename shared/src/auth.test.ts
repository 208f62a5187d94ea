import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { loadConfig } from './config';
import { createTokenVerifier, InvalidTokenError } from './auth';

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
