import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { signToken } from '../shared/src/auth';
import { createServiceSigner, SERVICE_TOKEN_HEADER } from '../shared/src/internal';
import { contractOperation, startStack, type Stack } from './helpers/stack';

describe('callers prove who they are', () => {
  let stack: Stack;
  const viewer = contractOperation('Viewer');

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  const claims = { tier: 'PROVINCE', region: '210000', roles: ['viewer'] };

  async function expectRejected(token: string | null, url?: string) {
    const { status, body } = await stack.request(viewer, {}, token, url);
    expect(status).toBe(401);
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  }

  it('answers a valid token', async () => {
    const { status, body } = await stack.request(viewer, {}, await stack.token({ tier: 'PROVINCE', regionCode: '210000' }));
    expect(status).toBe(200);
    expect(body.data.viewer.region.code).toBe('210000');
  });

  it('refuses a request with no token: 401 and no data', async () => {
    await expectRejected(null);
  });

  it('refuses a malformed token', async () => {
    await expectRejected('not.a.token');
  });

  it('refuses an expired token', async () => {
    await expectRejected(await signToken(stack.config, { subject: 'late', tier: 'PROVINCE', regionCode: '210000', roles: ['viewer'] }, -60));
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const unsigned = new UnsecuredJWT(claims).setSubject('mallory').setIssuer('sanji').setAudience('sanji').setExpirationTime('1h').encode();
    await expectRejected(unsigned);
  });

  it('refuses a token signed with a key it does not know', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const kid = (await exportJWK(publicKey)).x;
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject('mallory')
      .setIssuer('sanji')
      .setAudience('sanji')
      .setExpirationTime('1h')
      .sign(privateKey);
    await expectRejected(forged);
  });

  it('refuses a token whose claims do not hold together', async () => {
    await expectRejected(await signToken(stack.config, { subject: 'x', tier: 'CITY', regionCode: '210302', roles: ['viewer'] }));
  });

  it('a subgraph called directly without a valid token answers 401', async () => {
    await expectRejected(null, stack.subgraphUrls.organization);
    await expectRejected('not.a.token', stack.subgraphUrls.organization);
    const { status } = await stack.request(viewer, {}, await stack.token({ tier: 'PROVINCE', regionCode: '210000' }), stack.subgraphUrls.organization);
    expect(status).toBe(200);
  });

  it('a subgraph refuses a forged service credential', async () => {
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('members')
      .setAudience('sanji-internal')
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode('not-the-secret-not-the-secret-not-the-secret'));
    const response = await fetch(stack.subgraphUrls.organization, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SERVICE_TOKEN_HEADER]: forged },
      body: JSON.stringify({ query: '{ region(code: "210000") { name } }' }),
    });
    expect(response.status).toBe(401);
  });

  it('a service credential sent by a client through the gateway is ignored', async () => {
    const county = await stack.token({ tier: 'COUNTY', regionCode: '210302' });
    const serviceToken = await createServiceSigner(stack.config, 'members')();
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${county}`, [SERVICE_TOKEN_HEADER]: serviceToken },
      body: JSON.stringify({ query: '{ province: region(code: "210000") { name } county: region(code: "210302") { name } }' }),
    });
    expect(await response.json()).toEqual({ data: { province: null, county: { name: '铁东区' } } });
  });

  it('reports health without a token', async () => {
    const response = await fetch(stack.gatewayUrl.replace('/graphql', '/health'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', subgraphs: { organization: 'up', members: 'up', activities: 'up', commendations: 'up' } });
  });
});
