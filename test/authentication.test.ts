import { spawnSync } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { signToken } from '../shared/src/auth';
import { PROJECT_ROOT } from '../shared/src/config';
import { createProofSigner, PROOF_HEADER } from '../shared/src/internal';
import { startGateway } from '../gateway/src/server';
import type { RunningServer } from '../shared/src/subgraph-server';
import { startStack, type Stack } from './helpers/stack';
import { answerOf, expectHttpRefusal, expectNoErrors, expectRefused } from './helpers/expectations';
import { ViewerDocument } from '../examples/client/generated';

describe('callers prove who they are', () => {
  let stack: Stack;
  const viewer = ViewerDocument;

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
    expectHttpRefusal({ status, body }, 401, 'UNAUTHENTICATED');
    expect(body.data).toBeUndefined();
    expect(stack.subgraphRequests()).toEqual(before);
  }

  it('answers a valid token', async () => {
    const answer = await stack.request(viewer, {}, await stack.token({ tier: 'PROVINCE', regionCode: '210000' }));
    expect(expectNoErrors(answer).viewer.region.code).toBe('210000');
  });

  it('counts the subgraph calls a good token causes', async () => {
    // The same question was answered just before; the gateway is not to answer it from what it kept.
    stack.forgetCachedReads();
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
    expect(expectNoErrors(accepted).viewer.region.code).toBe('210000');
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
      return answerOf(response);
    };
    const proofFor = (query: string, variables: Record<string, unknown> = {}, authorization = province) =>
      createProofSigner(stack.config, 'gateway')(query, variables, { authorization });
    let province: string;

    beforeAll(async () => {
      province = `Bearer ${await stack.token({ tier: 'PROVINCE', regionCode: '210000' })}`;
    });

    it('refuses a request without the gateway’s proof, even with a valid token', async () => {
      expectHttpRefusal(await send(REGION, { authorization: province }), 401, 'UNAUTHENTICATED');
      expectHttpRefusal(await send('{ _service { sdl } }', {}), 401, 'UNAUTHENTICATED');
      expectHttpRefusal(await send('query { _entities(representations: [{ __typename: "Region", code: "210000" }]) { ... on Region { name } } }', {}), 401, 'UNAUTHENTICATED');
    });

    it('answers the gateway’s proof with the caller’s token', async () => {
      const { status, body } = await send(REGION, { authorization: province, [PROOF_HEADER]: await proofFor(REGION) });
      expect(status).toBe(200);
      expect(body.data.region.name).toBe('辽宁省');
    });

    it('refuses a proof made for another request, a forged proof, and a bad caller token', async () => {
      const other = await proofFor('{ region(code: "210300") { name } }');
      expectHttpRefusal(await send(REGION, { authorization: province, [PROOF_HEADER]: other }), 401, 'UNAUTHENTICATED');
      const forger = createProofSigner({ ...stack.config, internalSecret: 'not-the-secret-not-the-secret-not-the-secret' }, 'gateway');
      expectHttpRefusal(await send(REGION, { authorization: province, [PROOF_HEADER]: await forger(REGION, {}, { authorization: province }) }), 401, 'UNAUTHENTICATED');
      const [service, expiry, actor, mac] = (await proofFor(REGION)).split('.');
      expectHttpRefusal(await send(REGION, { authorization: province, [PROOF_HEADER]: `members.${expiry}.${actor}.${mac}` }), 401, 'UNAUTHENTICATED');
      expectHttpRefusal(await send(REGION, { authorization: province, [PROOF_HEADER]: `${service}.${Number(expiry) + 60}.${actor}.${mac}` }), 401, 'UNAUTHENTICATED');
      expectHttpRefusal(await send(REGION, { authorization: province, [PROOF_HEADER]: 'gateway' }), 401, 'UNAUTHENTICATED');
      expectHttpRefusal(await send(REGION, { authorization: 'Bearer not.a.token', [PROOF_HEADER]: await proofFor(REGION, {}, 'Bearer not.a.token') }), 401, 'UNAUTHENTICATED');
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
      expectHttpRefusal(await send(REGION, { authorization: province, [PROOF_HEADER]: lapsed }), 401, 'UNAUTHENTICATED');
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

  describe('token claims hold together with the records', () => {
    const MEMBERS = '{ members(first: 5) { edges { node { id name idNumber } } } }';
    let hongyang: { id: string; region_code: string };
    let fushun: { id: string; region_code: string };
    let dissolved: { id: string; region_code: string };

    beforeAll(async () => {
      const db = await stack.database();
      const branch = async (where: string) =>
        (await db.query(`SELECT id, region_code FROM organization.party_organization WHERE ${where} ORDER BY id LIMIT 1`)).rows[0];
      hongyang = await branch(`name LIKE '%弘扬%' AND dissolved_on IS NULL`);
      fushun = await branch(`region_code LIKE '2104%' AND region_code <> '210400' AND kind IN ('STANDALONE_BRANCH', 'JOINT_BRANCH') AND dissolved_on IS NULL`);
      dissolved = await branch(`dissolved_on IS NOT NULL AND region_code NOT LIKE '%00'`);
      expect(hongyang.region_code).toBe('210302');
      expect(fushun.region_code).toMatch(/^2104\d\d$/);
      expect(dissolved).toBeDefined();
    });

    const branchToken = (organizationId: string, regionCode: string) => stack.token({ tier: 'BRANCH', regionCode, organizationId, subject: `branch-${organizationId}` });

    /** 401 and no data; the members subgraph, which holds the branch's people, was never asked. */
    async function expectUnauthenticated(token: string) {
      const before = stack.subgraphRequests();
      const { status, body } = await stack.request(MEMBERS, {}, token);
      expectHttpRefusal({ status, body }, 401, 'UNAUTHENTICATED');
      expect(body.data).toBeUndefined();
      const after = stack.subgraphRequests();
      for (const name of ['members', 'activities', 'commendations'] as const) expect(after[name]).toBe(before[name]);
    }

    it('reads a branch’s members with a token whose county is the branch’s own', async () => {
      const { status, body } = await stack.request(MEMBERS, {}, await branchToken(hongyang.id, '210302'));
      expect(status).toBe(200);
      expect(body.data.members.edges.length).toBeGreaterThan(0);
    });

    it('refuses a BRANCH token whose organization lies in another county than its region claim', async () => {
      await expectUnauthenticated(await branchToken(fushun.id, '210302'));
      // The same branch with its own county is a good token.
      expect((await stack.request(MEMBERS, {}, await branchToken(fushun.id, fushun.region_code))).status).toBe(200);
    });

    it('refuses a BRANCH token for an organization that does not exist, is not an id, or is dissolved', async () => {
      await expectUnauthenticated(await branchToken('00000000-0000-4000-8000-000000000000', '210302'));
      await expectUnauthenticated(await branchToken('not-an-id', '210302'));
      await expectUnauthenticated(await branchToken(dissolved.id, dissolved.region_code));
    });

    it('refuses a token for a region that is not in the region table', async () => {
      await expectUnauthenticated(await stack.token({ tier: 'CITY', regionCode: '220100' }));
      await expectUnauthenticated(await stack.token({ tier: 'COUNTY', regionCode: '210399' }));
      expect((await stack.request(viewer, {}, await stack.token({ tier: 'CITY', regionCode: '210300' }))).status).toBe(200);
    });

    it('is refused by a subgraph too, even with a valid proof of the gateway for it', async () => {
      const ask = async (token: string) => {
        const authorization = `Bearer ${token}`;
        const response = await fetch(stack.subgraphUrls.members, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization, [PROOF_HEADER]: await createProofSigner(stack.config, 'gateway')(MEMBERS, {}, { authorization }) },
          body: JSON.stringify({ query: MEMBERS }),
        });
        return response.status;
      };
      expect(await ask(await branchToken(fushun.id, '210302'))).toBe(401);
      expect(await ask(await branchToken(fushun.id, fushun.region_code))).toBe(200);
    });

    describe('npm run token', () => {
      const token = (args: string[]) => {
        const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/token.ts', ...args], {
          cwd: PROJECT_ROOT,
          env: { ...process.env, DATABASE_URL: stack.databaseUrl },
          encoding: 'utf8',
        });
        return { status: run.status, stdout: run.stdout.trim(), stderr: run.stderr };
      };

      it('signs a token for a region and a branch that exist', () => {
        expect(token(['--tier', 'CITY', '--region', '210300'])).toMatchObject({ status: 0, stdout: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) });
        expect(token(['--tier', 'BRANCH', '--region', fushun.region_code, '--organization', fushun.id]).status).toBe(0);
      });

      it('refuses a region outside the region table, and a branch of another county, with a message and a failing exit', () => {
        const city = token(['--tier', 'CITY', '--region', '220100']);
        expect(city.status).not.toBe(0);
        expect(city.stdout).toBe('');
        expect(city.stderr).toContain('region 220100 does not exist');
        const branch = token(['--tier', 'BRANCH', '--region', '210302', '--organization', fushun.id]);
        expect(branch.status).not.toBe(0);
        expect(branch.stderr).toContain(`lies in region ${fushun.region_code}, not 210302`);
      });
    });
  });

  describe('proofs bound to the caller', () => {
    /** Stands between a second gateway and the organization subgraph, keeping what the gateway sent. */
    let tap: Server;
    let tapped: RunningServer;
    const captured: { headers: IncomingHttpHeaders; body: string }[] = [];

    beforeAll(async () => {
      tap = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', async () => {
          const body = Buffer.concat(chunks).toString('utf8');
          captured.push({ headers: req.headers, body });
          const forwarded: Record<string, string> = {};
          for (const name of ['content-type', 'authorization', PROOF_HEADER]) if (typeof req.headers[name] === 'string') forwarded[name] = req.headers[name] as string;
          const answer = await fetch(stack.subgraphUrls.organization, { method: 'POST', headers: forwarded, body });
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(await answer.text());
        });
      });
      await new Promise<void>((resolve) => tap.listen(0, '127.0.0.1', resolve));
      // Keeping no whole answers, so that every request is seen at the tap.
      tapped = await startGateway({ ...stack.config, responseCacheEntries: 0, fetchCacheEntries: 0 }, { port: 0, subgraphUrls: { organization: `http://127.0.0.1:${(tap.address() as AddressInfo).port}/graphql` } });
    });
    afterAll(async () => {
      await tapped?.stop();
      await new Promise((resolve) => tap?.close(resolve));
    });

    const REGIONS = '{ province: region(code: "210000") { name } county: region(code: "210302") { name } }';
    const replay = async (request: { headers: IncomingHttpHeaders; body: string }, authorization: string | null, proof = request.headers[PROOF_HEADER] as string) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', [PROOF_HEADER]: proof };
      if (authorization !== null) headers.authorization = authorization;
      const response = await fetch(stack.subgraphUrls.organization, { method: 'POST', headers, body: request.body });
      return answerOf(response);
    };

    async function capturedRequest(token: string) {
      captured.length = 0;
      const { status, body } = await stack.request(REGIONS, {}, token, tapped.url);
      expect(status).toBe(200);
      expect(body.data).toEqual({ province: null, county: { name: '铁东区' } });
      // The query plan's fetch goes out for the caller; a lookup of the token's region, if one was due, as the service without the token.
      const [request] = captured.filter((c) => c.body.includes('province:'));
      expect(request.headers.authorization).toBe(`Bearer ${token}`);
      expect(request.headers[PROOF_HEADER]).toMatch(/^gateway\.\d+\.caller:[\w-]{43}\.[\w-]+$/);
      for (const lookup of captured.filter((c) => c !== request)) {
        expect(lookup.headers.authorization).toBeUndefined();
        expect(lookup.headers[PROOF_HEADER]).toMatch(/^gateway\.\d+\.service\.[\w-]+$/);
      }
      return request;
    }

    it('serves the captured request again only with the token it was made for', async () => {
      const county = await stack.token({ tier: 'COUNTY', regionCode: '210302' });
      const request = await capturedRequest(county);
      const again = await replay(request, `Bearer ${county}`);
      expect(again.status).toBe(200);
      expect(again.body.data).toEqual({ province: null, county: { name: '铁东区' } });
    });

    it('refuses the captured request replayed without the token, with another caller’s token, or with no token at all', async () => {
      const county = await stack.token({ tier: 'COUNTY', regionCode: '210302' });
      const request = await capturedRequest(county);
      expectHttpRefusal(await replay(request, null), 401, 'UNAUTHENTICATED');
      expectHttpRefusal(await replay(request, ''), 401, 'UNAUTHENTICATED');
      expectHttpRefusal(await replay(request, `Bearer ${await stack.token({ tier: 'PROVINCE', regionCode: '210000' })}`), 401, 'UNAUTHENTICATED');
      expectHttpRefusal(await replay(request, `Bearer ${await stack.token({ tier: 'COUNTY', regionCode: '210302', subject: 'another-tiedong-reader' })}`), 401, 'UNAUTHENTICATED');
    });

    it('refuses a proof whose caller part is rewritten to claim the service', async () => {
      const county = await stack.token({ tier: 'COUNTY', regionCode: '210302' });
      const request = await capturedRequest(county);
      const [service, expiry, actor, mac] = (request.headers[PROOF_HEADER] as string).split('.');
      expect(actor).toMatch(/^caller:/);
      expectHttpRefusal(await replay(request, null, `${service}.${expiry}.service.${mac}`), 401, 'UNAUTHENTICATED');
      expectHttpRefusal(await replay(request, `Bearer ${county}`, `${service}.${expiry}.service.${mac}`), 401, 'UNAUTHENTICATED');
      expectHttpRefusal(await replay(request, null, `${service}.${expiry}.${mac}`), 401, 'UNAUTHENTICATED');
    });

    it('refuses a service proof made without the secret, and a service proof with a caller’s token beside it', async () => {
      const body = JSON.stringify({ query: REGIONS, variables: {} });
      const forger = createProofSigner({ ...stack.config, internalSecret: 'not-the-secret-not-the-secret-not-the-secret' }, 'gateway');
      expectHttpRefusal(await replay({ headers: {}, body }, null, await forger(REGIONS, {}, 'service')), 401, 'UNAUTHENTICATED');
      const service = await createProofSigner(stack.config, 'gateway')(REGIONS, {}, 'service');
      const county = await stack.token({ tier: 'COUNTY', regionCode: '210302' });
      expectHttpRefusal(await replay({ headers: {}, body }, `Bearer ${county}`, service), 401, 'UNAUTHENTICATED');
    });

    it('answers the service’s own proof, without a token, across every tier', async () => {
      const body = JSON.stringify({ query: REGIONS, variables: {} });
      const { status, body: answer } = await replay({ headers: {}, body }, null, await createProofSigner(stack.config, 'members')(REGIONS, {}, 'service'));
      expect(status).toBe(200);
      expect(answer.data).toEqual({ province: { name: '辽宁省' }, county: { name: '铁东区' } });
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
    expectRefused(service, 'GRAPHQL_VALIDATION_FAILED');
    const entities = await stack.request('{ _entities(representations: []) { __typename } }', {}, token);
    expectRefused(entities, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('reports health without a token', async () => {
    const response = await fetch(stack.gatewayUrl.replace('/graphql', '/health'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', subgraphs: { organization: 'up', members: 'up', activities: 'up', commendations: 'up' } });
  });
});
