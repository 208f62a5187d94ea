import { createServer, type Socket } from 'node:net';
import { signToken } from '../shared/src/auth';
import { loadConfig } from '../shared/src/config';
import { startGateway } from '../gateway/src/server';
import { startStack, type Stack } from './helpers/stack';

/** The limits of one request, on (production) and off (every limit 0, development). */
describe('request limits', () => {
  let guarded: Stack;
  let open: Stack;
  let guardedToken: string;
  let openToken: string;

  beforeAll(async () => {
    guarded = await startStack({ env: 'production' });
    const off = { maxDepth: 0, maxAliases: 0, maxDirectives: 0, maxTokens: 0, maxCost: 0, maxDocumentLength: 0, maxBodyBytes: 0, requestTimeoutMs: 0 };
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
  const rejected = (response: { body: any }, pattern: RegExp) => {
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors[0].message).toMatch(pattern);
  };

  it('refuses a query 7 levels deep', async () => {
    const deep = '{ region(code: "210000") { children { children { guidanceStation { children { region { code } } } } } } }';
    const { on, off } = await both(deep);
    rejected(on, /depth limit of 6/i);
    expect(off.body.errors).toBeUndefined();
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
    expect(off.body.errors).toBeUndefined();
  });

  it('refuses a 5,000-token document', async () => {
    // 5,000 tokens in under 15,000 characters: a long default value.
    const tokens = `query ($unused: [Int] = [${'1 '.repeat(5000)}]) { viewer { tier } }`;
    const { on, off } = await both(tokens);
    expect(on.status).toBe(400);
    rejected(on, /token/i);
    // Without the limit the document is parsed whole and reaches validation.
    expect(off.body.errors[0].message).toMatch(/"\$unused" is never used/);
  });

  it('refuses a 20 KB document', async () => {
    const long = `{ viewer { tier } } # ${'x'.repeat(20_000)}`;
    const { on, off } = await both(long);
    expect(on.status).toBe(400);
    rejected(on, /characters long; at most 15000/i);
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
    expect(body.errors.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await guarded.request('{ viewer { tier } }', {}, guardedToken)).body.data.viewer.tier).toBe('PROVINCE');
  });

  it('rejects a fragment cycle', async () => {
    const cycle = '{ region(code: "210000") { ...A } } fragment A on Region { parent { ...B } } fragment B on Region { parent { ...A } }';
    const { on, off } = await both(cycle);
    expect(on.body.errors[0].message).toMatch(/cannot spread fragment/i);
    expect(off.body.errors[0].message).toMatch(/cannot spread fragment/i);
  });

  it('hides field suggestions and introspection in production, and offers them in development', async () => {
    const { on, off } = await both('{ viewer { tierr } }');
    expect(on.body.errors[0].message).not.toMatch(/Did you mean/);
    expect(off.body.errors[0].message).toMatch(/Did you mean "tier"/);
    const introspection = await both('{ __schema { queryType { name } } }');
    expect(introspection.on.body.errors[0].message).toMatch(/introspection/i);
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

  it('limits defaults are those documented', () => {
    expect(loadConfig({}).limits).toMatchObject({ maxDepth: 6, maxAliases: 15, maxDirectives: 50, maxTokens: 1000, maxCost: 5000, maxDocumentLength: 15_000 });
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
      expect(body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await gateway.stop();
      // A connection it never answered stays open until it is cut.
      for (const socket of connections) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
