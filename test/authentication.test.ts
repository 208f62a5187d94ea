import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { signToken } from '../shared/src/auth';
import { createProofSigner, PROOF_HEADER } from '../shared/src/internal';
import { contractOperation, startStack, type Stack } from './helpers/stack';

describe('callers prove who they are', () => {
  let stack: Stack;
  const viewer = contractOperation('Viewer');

  beforeAll(async () => {
    // The activities register's own reads of the organization subgraph would count as requests.
    stack = await startStack({ registerSyncMs: 0 });
  });
  afterAll(() => stack?.stop());

  const claims = { tier: 'PROVINCE', region: '210000', roles: ['viewer'] };

  /** 401, no data, and not a single request reached any subgraph. */
  async function expectRejected(token: string | null) {
    const before = stack.subgraphRequests();
    const { status, body } = await stack.request(viewer, {}, token);
    expect(status).toBe(401);
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(stack.subgraphRequests()).toEqual(before);
  }

  it('answers a valid token', async () => {
    const { status, body } = await stack.request(viewer, {}, await stack.token({ tier: 'PROVINCE', regionCode: '210000' }));
    expect(status).toBe(200);
    expect(body.data.viewer.region.code).toBe('210000');
  });

  it('counts the subgraph calls a good token causes', async () => {
    const before = stack.subgraphRequests().organization;
    await stack.request(viewer, {}, await stack.token({ tier: 'PROVINCE', regionCode: '210000' }));
    expect(stack.subgraphRequests().organization).toBeGreaterThan(before);
  });

  it('refuses a request with no token: 401, no data, no subgraph call', async () => {
    await expectRejected(null);
  });

  it('refuses a malformed token', async () => {
    await expectRejected('not.a.token');
  });

  it('refuses an expired token', async () => {
    await expectRejected(await signToken(stack.config, { subject: 'late', tier: 'PROVINCE', regionCode: '210000', roles: ['viewer'] }, -60));
  });

  it('refuses a token once it expires, though it was accepted and remembered a moment before', async () => {
    const shortLived = await signToken(stack.config, { subject: 'brief', tier: 'PROVINCE', regionCode: '210000', roles: ['viewer'] }, 2);
    const accepted = await stack.request(viewer, {}, shortLived);
    expect(accepted.status).toBe(200);
    expect(accepted.body.data.viewer.region.code).toBe('210000');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await expectRejected(shortLived);
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

  describe('a subgraph called directly', () => {
    const REGION = '{ region(code: "210000") { name } }';
    const send = async (query: string, headers: Record<string, string>, variables: Record<string, unknown> = {}) => {
      const response = await fetch(stack.subgraphUrls.organization, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    const proofFor = (query: string, variables: Record<string, unknown> = {}, authorization = province) =>
      createProofSigner(stack.config, 'gateway')(query, variables, { authorization });
    let province: string;

    beforeAll(async () => {
      province = `Bearer ${await stack.token({ tier: 'PROVINCE', regionCode: '210000' })}`;
    });

    it('refuses a request without the gateway’s proof, even with a valid token', async () => {
      expect((await send(REGION, { authorization: province })).status).toBe(401);
      expect((await send('{ _service { sdl } }', {})).status).toBe(401);
      expect((await send('query { _entities(representations: [{ __typename: "Region", code: "210000" }]) { ... on Region { name } } }', {})).status).toBe(401);
    });

    it('answers the gateway’s proof with the caller’s token', async () => {
      const { status, body } = await send(REGION, { authorization: province, [PROOF_HEADER]: await proofFor(REGION) });
      expect(status).toBe(200);
      expect(body.data.region.name).toBe('辽宁省');
    });

    it('refuses a proof made for another request, a forged proof, and a bad caller token', async () => {
      const other = await proofFor('{ region(code: "210300") { name } }');
      expect((await send(REGION, { authorization: province, [PROOF_HEADER]: other })).status).toBe(401);
      const forger = createProofSigner({ ...stack.config, internalSecret: 'not-the-secret-not-the-secret-not-the-secret' }, 'gateway');
      expect((await send(REGION, { authorization: province, [PROOF_HEADER]: await forger(REGION, {}, { authorization: province }) })).status).toBe(401);
      const [service, expiry, actor, mac] = (await proofFor(REGION)).split('.');
      expect((await send(REGION, { authorization: province, [PROOF_HEADER]: `members.${expiry}.${actor}.${mac}` })).status).toBe(401);
      expect((await send(REGION, { authorization: province, [PROOF_HEADER]: `${service}.${Number(expiry) + 60}.${actor}.${mac}` })).status).toBe(401);
      expect((await send(REGION, { authorization: province, [PROOF_HEADER]: 'gateway' })).status).toBe(401);
      expect((await send(REGION, { authorization: 'Bearer not.a.token', [PROOF_HEADER]: await proofFor(REGION, {}, 'Bearer not.a.token') })).status).toBe(401);
    });

    it('refuses a proof once it has lapsed', async () => {
      const sign = createProofSigner(stack.config, 'gateway');
      const made = Date.now();
      jest.spyOn(Date, 'now').mockReturnValue(made - 31_000);
      let lapsed: string;
      try {
        lapsed = await sign(REGION, {}, { authorization: province });
      } finally {
        jest.restoreAllMocks();
      }
      expect((await send(REGION, { authorization: province, [PROOF_HEADER]: lapsed })).status).toBe(401);
      expect((await send(REGION, { authorization: province, [PROOF_HEADER]: await sign(REGION, {}, { authorization: province }) })).status).toBe(200);
    });

    it('gives null for another county’s region asked through _entities, even with a valid proof', async () => {
      const county = `Bearer ${await stack.token({ tier: 'COUNTY', regionCode: '210302' })}`;
      const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Region { code name } } }';
      const variables = { r: [{ __typename: 'Region', code: '210303' }, { __typename: 'Region', code: '210302' }] };
      const { body } = await send(query, { authorization: county, [PROOF_HEADER]: await proofFor(query, variables, county) }, variables);
      expect(body.data._entities).toEqual([null, { code: '210302', name: '铁东区' }]);
    });
  });

  it('ignores a proof sent by a client through the gateway', async () => {
    const county = await stack.token({ tier: 'COUNTY', regionCode: '210302' });
    const query = '{ province: region(code: "210000") { name } county: region(code: "210302") { name } }';
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${county}`, [PROOF_HEADER]: await createProofSigner(stack.config, 'gateway')(query, {}, { authorization: `Bearer ${county}` }) },
      body: JSON.stringify({ query }),
    });
    expect(await response.json()).toEqual({ data: { province: null, county: { name: '铁东区' } } });
  });

  it('does not offer _service or _entities through the gateway', async () => {
    const token = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
    const service = await stack.request('{ _service { sdl } }', {}, token);
    expect(service.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const entities = await stack.request('{ _entities(representations: []) { __typename } }', {}, token);
    expect(entities.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('reports health without a token', async () => {
    const response = await fetch(stack.gatewayUrl.replace('/graphql', '/health'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', subgraphs: { organization: 'up', members: 'up', activities: 'up', commendations: 'up' } });
  });
});
