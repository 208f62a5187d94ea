import { createServer, type Socket } from 'node:net';
import { signToken } from '../shared/src/auth';
import { loadConfig } from '../shared/src/config';
import { startGateway } from '../gateway/src/server';
import { contractOperation, startStack, type GraphQLResponse, type Stack } from './helpers/stack';
import { errorCodes, expectHttpRefusal, expectNoErrors, expectRefused } from './helpers/expectations';
import { InstitutionLedgerDocument } from '../examples/client/generated';

/** The limits of one request, on (production) and off (every limit 0, development). */
describe('request limits', () => {
  let guarded: Stack;
  let open: Stack;
  let guardedToken: string;
  let openToken: string;

  beforeAll(async () => {
    guarded = await startStack({ env: 'production' });
    const off = { maxDepth: 0, maxAliases: 0, maxDirectives: 0, maxTokens: 0, maxCost: 0, maxDocumentLength: 0, maxBodyBytes: 0, maxImportBodyBytes: 0, requestTimeoutMs: 0 };
    open = await startStack({ env: 'development', limits: off });
    guardedToken = await guarded.token({ tier: 'PROVINCE', regionCode: '210000' });
    openToken = await open.token({ tier: 'PROVINCE', regionCode: '210000' });
  });
  afterAll(async () => {
    await guarded?.stop();
    await open?.stop();
  });

  const both = async (query: string) => ({
    on: await guarded.request(query, {}, guardedToken),
    off: await open.request(query, {}, openToken),
  });
  /** Refused before execution: no data at all, the error saying which limit. */
  const rejected = (response: GraphQLResponse, pattern: RegExp, code = 'GRAPHQL_VALIDATION_FAILED') => {
    expect(response.body.data).toBeUndefined();
    expectRefused(response, code, { message: pattern });
  };

  it('refuses a query 7 levels deep', async () => {
    const deep = '{ region(code: "210000") { children { children { guidanceStation { children { region { code } } } } } } }';
    const { on, off } = await both(deep);
    rejected(on, /depth limit of 6/i);
    expectNoErrors(off);
  });

  it('refuses 200 aliases', async () => {
    const aliases = `{ viewer { ${Array.from({ length: 200 }, (_, i) => `a${i}: tier`).join(' ')} } }`;
    const { on, off } = await both(aliases);
    rejected(on, /aliases/i);
    expect(off.body.data.viewer.a199).toBe('PROVINCE');
  });

  it('refuses 100 directives', async () => {
    const directives = `{ viewer { ${'tier @include(if: true) '.repeat(100)} } }`;
    const { on, off } = await both(directives);
    rejected(on, /directives/i);
    expectNoErrors(off);
  });

  it('refuses a 5,000-token document', async () => {
    // 5,000 tokens in under 15,000 characters: a long default value.
    const tokens = `query ($unused: [Int] = [${'1 '.repeat(5000)}]) { viewer { tier } }`;
    const { on, off } = await both(tokens);
    expect(on.status).toBe(400);
    rejected(on, /token/i, 'GRAPHQL_PARSE_FAILED');
    // Without the limit the document is parsed whole and reaches validation.
    expectRefused(off, 'GRAPHQL_VALIDATION_FAILED', { message: /"\$unused" is never used/ });
  });

  it('refuses a 20 KB document', async () => {
    const long = `{ viewer { tier } } # ${'x'.repeat(20_000)}`;
    const { on, off } = await both(long);
    expect(on.status).toBe(400);
    rejected(on, /characters long; at most 15000/i, 'BAD_REQUEST');
    expect(off.body.data.viewer.tier).toBe('PROVINCE');
  });

  it('rejects a nested fragment bomb quickly and keeps serving', async () => {
    const levels = 12;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment F${i} on Region { code name }` : `fragment F${i} on Region { children { ...F${i + 1} ...F${i + 1} } }`,
    ).join('\n');
    const bomb = `{ region(code: "210000") { ...F0 } }\n${fragments}`;
    const started = Date.now();
    const { body } = await guarded.request(bomb, {}, guardedToken);
    expect(body.data).toBeUndefined();
    expect(errorCodes(body).length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await guarded.request('{ viewer { tier } }', {}, guardedToken)).body.data.viewer.tier).toBe('PROVINCE');
  });

  it('rejects a fragment cycle', async () => {
    const cycle = '{ region(code: "210000") { ...A } } fragment A on Region { parent { ...B } } fragment B on Region { parent { ...A } }';
    const { on, off } = await both(cycle);
    expectRefused(on, 'GRAPHQL_VALIDATION_FAILED', { message: /cannot spread fragment/i });
    expectRefused(off, 'GRAPHQL_VALIDATION_FAILED', { message: /cannot spread fragment/i });
  });

  it('hides field suggestions and introspection in production, and offers them in development', async () => {
    const { on, off } = await both('{ viewer { tierr } }');
    expect(expectRefused(on, 'GRAPHQL_VALIDATION_FAILED').message).not.toMatch(/Did you mean/);
    expectRefused(off, 'GRAPHQL_VALIDATION_FAILED', { message: /Did you mean "tier"/ });
    const introspection = await both('{ __schema { queryType { name } } }');
    expectRefused(introspection.on, 'GRAPHQL_VALIDATION_FAILED', { message: /introspection/i });
    expect(introspection.off.body.data.__schema.queryType.name).toBe('Query');
    const anonymous = await guarded.request('{ __schema { queryType { name } } }', {}, null);
    expect(anonymous.status).toBe(401);
  });

  it('caps the body at the configured size: a 2 MB body is 413', async () => {
    const big = JSON.stringify({ query: '{ viewer { tier } }', variables: { padding: 'x'.repeat(2_000_000) } });
    const response = await fetch(guarded.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${guardedToken}` },
      body: big,
    });
    expect(response.status).toBe(413);
  });

  describe('cost, measured with the variables', () => {
    const PRACTITIONERS = 'query($n: Int!) { regions { institutions(first: $n) { edges { node { practitioners { id name idNumber phone } } } } } }';
    const ALIASED = `query($n: Int!) { ${[1, 2, 3, 4, 5].map((i) => `r${i}: regions { institutions(first: $n) { edges { node { practitioners { id name } } } } }`).join(' ')} }`;

    it('refuses a page size passed as a variable just as one written literally', async () => {
      for (const query of [PRACTITIONERS, ALIASED, PRACTITIONERS.replace('query($n: Int!)', 'query').replace('$n', '100')]) {
        const response = await guarded.request(query, { ...(query.includes('$n') ? { n: 100 } : {}) }, guardedToken);
        expect(response.status).toBe(400);
        expect(response.body.data).toBeUndefined();
        expectRefused(response, 'QUERY_TOO_COMPLEX');
      }
    });

    it('counts a connection without `first` at its default page size, and a list at its documented maximum', async () => {
      // 300 regions × 20 institutions × (1 + 500 practitioners): far too many.
      const refused = await guarded.request('{ regions { institutions { edges { node { practitioners { id } } } } } }', {}, guardedToken);
      expect(expectRefused(refused, 'QUERY_TOO_COMPLEX').extensions).toMatchObject({ maxCost: 25_000 });
      // One institution's practitioners, at most 500 of them: served.
      const served = await guarded.request('{ institutions(first: 1) { edges { node { name practitioners { id } } } } }', {}, guardedToken);
      expectNoErrors(served);
      expect(served.body.data.institutions.edges).toHaveLength(1);
    });

    it('says what it measured and the limit, with the cost and the limit as extensions', async () => {
      const { status, body } = await guarded.request(PRACTITIONERS, { n: 100 }, guardedToken);
      const error = expectHttpRefusal({ status, body }, 400, 'QUERY_TOO_COMPLEX');
      expect(error.message).not.toMatch(/Syntax Error/);
      expect(error.message).toMatch(/objects/);
      expect(error.message).toContain('at most 25000');
      expect(error.extensions?.maxCost).toBe(25_000);
      expect(error.extensions?.cost).toBeGreaterThan(25_000);
      expect(error.message).toContain(String(error.extensions?.cost));
    });

    it('serves the same request when the limit is off', async () => {
      const { body } = await open.request(PRACTITIONERS.replace('idNumber phone', ''), { n: 2 }, openToken);
      expectNoErrors(body);
      expect(body.data.regions.length).toBeGreaterThan(100);
      const ledger = await open.request(PRACTITIONERS, { n: 100 }, openToken);
      expectNoErrors(ledger);
    });

    it('accepts every contract operation at the largest page size', async () => {
      const province = guardedToken;
      const firms = await guarded.request(InstitutionLedgerDocument, { code: '210000', kind: 'LAW_FIRM', first: 100, after: null }, province);
      const ledger = expectNoErrors(firms).region.institutions;
      expect(ledger.edges).toHaveLength(100);
      // The branch with the most members, and one of them.
      const branch = ledger.edges.map((e) => e.node.partyOrganization).find(Boolean);
      const members = await guarded.request<{ members: { edges: { node: { id: string } }[] } }>(
        'query($id: ID) { members(filter: { organizationId: $id }, first: 1) { edges { node { id } } } }',
        { id: branch?.id },
        province,
      );
      const operations: [string, Record<string, unknown>][] = [
        ['Viewer', {}],
        ['ProvinceDashboard', { code: '210000', year: 2019, awardYear: 2016 }],
        ['InstitutionLedger', { code: '210000', kind: 'LAW_FIRM', first: 100, after: ledger.pageInfo.endCursor }],
        ['CampaignLedger', { code: '210000' }],
        ['BranchProfile', { id: branch?.id, year: 2019 }],
        ['MemberProfile', { id: expectNoErrors(members).members.edges[0].node.id, year: 2019 }],
      ];
      for (const [name, variables] of operations) {
        const { status, body } = await guarded.request(contractOperation(name), variables, province);
        expect({ name, status, errors: body.errors }).toEqual({ name, status: 200, errors: undefined });
      }
      // And the same page size written literally.
      const literal = contractOperation('InstitutionLedger').replace('first: $first', 'first: 100').replace(', $first: Int!', '');
      expect(literal).not.toContain('$first');
      const { body } = await guarded.request(literal, { code: '210300', kind: 'LAW_FIRM' }, province);
      expectNoErrors(body);
    });
  });

  it('checks the arguments of a document it has seen before as it checked them the first time', async () => {
    // The gateway learns a document's arguments once; each request's values are still checked.
    const literal = `{ institutions(filter: { nameContains: "律师\u0000" }, first: 1) { totalCount } }`;
    for (let i = 0; i < 3; i++) expectRefused(await guarded.request(literal, {}, guardedToken), 'BAD_USER_INPUT', { field: 'filter.nameContains' });
    const withVariable = `query($name: String) { institutions(filter: { nameContains: $name }, first: 1) { totalCount } }`;
    expectNoErrors(await guarded.request(withVariable, { name: '律师' }, guardedToken));
    expectRefused(await guarded.request(withVariable, { name: '律师\u0000' }, guardedToken), 'BAD_USER_INPUT', { field: '$name' });
    expectNoErrors(await guarded.request(withVariable, { name: '律师' }, guardedToken));
    const dated = `query($on: Date!) { region(code: "210302") { organizationalLifeGaps(year: 2019, asOf: $on, first: 1) { totalCount } } }`;
    expectNoErrors(await guarded.request(dated, { on: '2019-02-28' }, guardedToken));
    expectRefused(await guarded.request(dated, { on: '2019-02-30' }, guardedToken), 'BAD_USER_INPUT');
  });

  it('limits defaults are those documented', () => {
    expect(loadConfig({}).limits).toMatchObject({ maxDepth: 6, maxAliases: 15, maxDirectives: 50, maxTokens: 1000, maxCost: 25_000, maxDocumentLength: 15_000 });
  });
});

describe('a subgraph that does not answer', () => {
  it('costs a request its time limit, not the gateway its sockets', async () => {
    // Accepts connections and never answers.
    const connections = new Set<Socket>();
    const silent = createServer((socket) => void connections.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const base = loadConfig();
    const gateway = await startGateway(
      { ...base, limits: { ...base.limits, requestTimeoutMs: 500 } },
      { port: 0, subgraphUrls: { organization: `http://127.0.0.1:${port}/graphql` } },
    );
    try {
      const token = await signToken(base, { subject: 't', tier: 'PROVINCE', regionCode: '210000', roles: ['viewer'] });
      const started = Date.now();
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ region(code: "210000") { name } }' }),
      });
      const body = (await response.json()) as any;
      expect(Date.now() - started).toBeLessThan(5_000);
      expectRefused(body, 'INTERNAL_SERVER_ERROR');
    } finally {
      await gateway.stop();
      // A connection it never answered stays open until it is cut.
      for (const socket of connections) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
