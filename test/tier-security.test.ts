import { loadConfig } from '../shared/src/config';
import { startGateway } from '../gateway/src/server';
import { startStack, type Stack } from './helpers/stack';
import { expectRefused } from './helpers/expectations';

describe('tiers under pressure', () => {
  let stack: Stack;
  let province: string;
  let tiedong: string;
  let tiedongIds: string[];
  let otherIds: string[];

  beforeAll(async () => {
    stack = await startStack({ env: 'production' });
    province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
    tiedong = await stack.token({ tier: 'COUNTY', regionCode: '210302' });
    const ids = async (code: string) =>
      (await stack.request(`query($c: ID!) { institutions(filter: { regionCode: $c }, first: 10) { edges { node { id } } } }`, { c: code }, province))
        .body.data.institutions.edges.map((e: any) => e.node.id as string);
    tiedongIds = await ids('210302');
    otherIds = [...(await ids('210303')), ...(await ids('210102'))];
  });
  afterAll(() => stack?.stop());

  it('alias enumeration finds nothing more than asking one by one', async () => {
    const ids = [...otherIds.slice(0, 6), ...tiedongIds.slice(0, 6)];
    const enumeration = `{ ${ids.map((id, i) => `i${i}: institution(id: "${id}") { id }`).join(' ')} }`;
    const found = Object.values((await stack.request(enumeration, {}, tiedong)).body.data).filter(Boolean).map((n: any) => n.id);
    const oneByOne: string[] = [];
    for (const id of ids) {
      const { body } = await stack.request(`query($id: ID!) { institution(id: $id) { id } }`, { id }, tiedong);
      if (body.data.institution) oneByOne.push(body.data.institution.id);
    }
    expect(found.sort()).toEqual(oneByOne.sort());
    expect(found.sort()).toEqual(tiedongIds.slice(0, 6).sort());
  });

  it('concurrent PROVINCE and COUNTY requests for the same ids each see their own tier', async () => {
    const [other, own] = [otherIds[0], tiedongIds[0]];
    const query = `{ a: institution(id: "${other}") { id } b: institution(id: "${own}") { id } r: region(code: "210000") { code } }`;
    const callers = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? province : tiedong));
    const answers = await Promise.all(callers.map((token) => stack.request(query, {}, token)));
    answers.forEach(({ body }, i) => {
      if (callers[i] === province) expect(body.data).toEqual({ a: { id: other }, b: { id: own }, r: { code: '210000' } });
      else expect(body.data).toEqual({ a: null, b: { id: own }, r: null });
    });
  });

  it('a database failure reaches the client as a generic error with a request id, no SQL and no subgraph name', async () => {
    const db = await stack.database();
    await db.query('ALTER TABLE organization.region RENAME TO region_away');
    // A structural change announces nothing: the subgraph would still answer from what it read before.
    stack.forgetCachedReads();
    try {
      const { body } = await stack.request('{ region(code: "210000") { name } }', {}, province);
      const text = JSON.stringify(body);
      const error = expectRefused(body, 'INTERNAL_SERVER_ERROR', { message: 'Internal server error.' });
      expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: expect.any(String) });
      expect(text).not.toMatch(/region_away|relation|SELECT|organization|stack|\.ts/i);
    } finally {
      await db.query('ALTER TABLE organization.region_away RENAME TO region');
    }
  });

  it('in production, refuses to start without a configured key or internal secret', async () => {
    const production = { ...stack.config, env: 'production' as const };
    await expect(startGateway({ ...production, jwt: { ...production.jwt, jwksFile: '/nonexistent/jwks.json' } }, { port: 0 })).rejects.toThrow();
    const noSecret = { ...production, internalSecret: undefined, internalSecretFile: '/nonexistent/secret' };
    await expect(startGateway(noSecret, { port: 0 })).rejects.toThrow(/internal secret/i);
    expect(loadConfig({ NODE_ENV: 'production' }).env).toBe('production');
  });
});
