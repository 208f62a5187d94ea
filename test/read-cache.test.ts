import type { Client } from 'pg';
import { eventually } from './helpers/eventually';
import { startStack, type GraphQLResponse, type Stack } from './helpers/stack';
import { expectNoErrors } from './helpers/expectations';
import { ProvinceDashboardDocument } from '../examples/client/generated';

const DASHBOARD = ProvinceDashboardDocument;
const DASHBOARD_VARIABLES = { code: '210000', year: 2019, awardYear: 2016 };
const REGION_NAME = `query($code: ID!) { region(code: $code) { name } }`;
const COVERAGE = `query($code: ID!) { region(code: $code) { coverage(kind: LAW_FIRM) { institutions } } }`;
const REGISTER = `mutation($input: RegisterInstitutionInput!) { registerInstitution(input: $input) { id } }`;
const INSTITUTIONS = `query($code: ID!) { region(code: $code) { institutions(kind: LAW_FIRM, first: 1) { edges { node { id } } } } }`;
const INSTITUTION = `query($id: ID!) { institution(id: $id) { id name } }`;

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Statements the subgraphs sent to answer one request. */
async function statementsFor(stack: Stack, send: () => Promise<unknown>): Promise<number> {
  const before = total(stack.sqlStatements());
  await send();
  return total(stack.sqlStatements()) - before;
}

/** What a subgraph's `/metrics.json` says of its read cache. */
async function readCacheOf(stack: Stack, subgraph: 'organization'): Promise<{ active: boolean; entries: number }> {
  const metrics = (await (await fetch(stack.subgraphUrls[subgraph].replace(/\/graphql$/, '/metrics.json'))).json()) as { readCache: { active: boolean; entries: number } };
  return metrics.readCache;
}

describe('answers kept between requests', () => {
  let stack: Stack;
  let db: Client;
  let province: string;
  let editor: string;

  beforeAll(async () => {
    // The activities register's own reads of the organization subgraph would count as statements.
    stack = await startStack({ registerSyncMs: 0 });
    db = await stack.database();
    province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
    editor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'], subject: 'tiedong-editor' });
  });
  afterAll(() => stack?.stop());

  it('answers a second ProvinceDashboard from what the first one read: the same answer, no SQL', async () => {
    stack.forgetCachedReads();
    let first: GraphQLResponse['body'] = {};
    let second: GraphQLResponse['body'] = {};
    const cold = await statementsFor(stack, async () => (first = (await stack.request(DASHBOARD, DASHBOARD_VARIABLES, province)).body));
    const warm = await statementsFor(stack, async () => (second = (await stack.request(DASHBOARD, DASHBOARD_VARIABLES, province)).body));
    expect(cold).toBeGreaterThan(0);
    expect(warm).toBe(0);
    expect(second).toEqual(first);
    expectNoErrors(first);
  });

  it('counts an institution registered through Sanji in the very next read', async () => {
    const coverage = async () => expectNoErrors(await stack.request(COVERAGE, { code: '210302' }, province)).region.coverage.institutions as number;
    const before = await coverage();
    expect(await coverage()).toBe(before);
    const { body } = await stack.request(
      REGISTER,
      { input: { name: '铁东缓存测试律师事务所', kind: 'LAW_FIRM', licenseNumber: '31210302MD9900001X', regionCode: '210302', approvedOn: '2019-03-01' } },
      editor,
    );
    expectNoErrors(body);
    expect(await coverage()).toBe(before + 1);
  });

  it('reads a change made in the database by someone else once PostgreSQL announces it', async () => {
    const name = async () => expectNoErrors(await stack.request(REGION_NAME, { code: '210302' }, province)).region.name as string;
    const before = await name();
    await name();
    await db.query(`UPDATE organization.region SET name = name || '（更名）' WHERE code = '210302'`);
    try {
      expect(await eventually(name, (answer) => answer !== before)).toBe(`${before}（更名）`);
    } finally {
      await db.query(`UPDATE organization.region SET name = $1 WHERE code = '210302'`, [before]);
    }
    expect(await eventually(name, (answer) => answer === before)).toBe(before);
  });

  it('keeps nothing while it cannot hear changes, and reads afresh once it can again', async () => {
    const name = async () => expectNoErrors(await stack.request(REGION_NAME, { code: '210303' }, province)).region.name as string;
    const before = await name();
    await name();
    expect(await readCacheOf(stack, 'organization')).toMatchObject({ active: true });
    expect((await readCacheOf(stack, 'organization')).entries).toBeGreaterThan(0);

    // The feed's connection drops; a change made now is announced to nobody.
    await db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'sanji-organization' AND query LIKE '/* sanji change feed */%'`,
    );
    await db.query(`UPDATE organization.region SET name = name || '（更名）' WHERE code = '210303'`);
    try {
      const back = await eventually(
        () => readCacheOf(stack, 'organization'),
        (cache) => cache.active,
      );
      expect(back.active).toBe(true);
      expect(await name()).toBe(`${before}（更名）`);
    } finally {
      await db.query(`UPDATE organization.region SET name = $1 WHERE code = '210303'`, [before]);
    }
  });
});

describe.each([
  ['on', 20_000],
  ['off', 0],
])('the read cache %s', (_state, readCacheEntries) => {
  let stack: Stack;

  beforeAll(async () => {
    // Off means every read reaches PostgreSQL: the gateway's whole answers are not kept either.
    stack = await startStack({ readCacheEntries, registerSyncMs: 0, ...(readCacheEntries === 0 ? { responseCacheEntries: 0, fetchCacheEntries: 0 } : {}) });
  });
  afterAll(() => stack?.stop());

  it('a county viewer is not answered from what the province read', async () => {
    const province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
    const tiedong = await stack.token({ tier: 'COUNTY', regionCode: '210302' });
    const lishan = await stack.token({ tier: 'COUNTY', regionCode: '210304' });
    const { body } = await stack.request(INSTITUTIONS, { code: '210302' }, province);
    const id = body.data.region.institutions.edges[0].node.id as string;
    // The province and Tiedong read the institution and the region; the next county asks for both.
    expect(expectNoErrors(await stack.request(INSTITUTION, { id }, province)).institution).toMatchObject({ id });
    expect(expectNoErrors(await stack.request(INSTITUTION, { id }, tiedong)).institution).toMatchObject({ id });
    expect(expectNoErrors(await stack.request(INSTITUTION, { id }, lishan)).institution).toBeNull();
    expect(expectNoErrors(await stack.request(INSTITUTIONS, { code: '210302' }, lishan)).region).toBeNull();
  });

  it(readCacheEntries > 0 ? 'sends no SQL for a repeated dashboard' : 'reads the database for every dashboard', async () => {
    const province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
    const first = await statementsFor(stack, () => stack.request(DASHBOARD, DASHBOARD_VARIABLES, province));
    const second = await statementsFor(stack, () => stack.request(DASHBOARD, DASHBOARD_VARIABLES, province));
    expect(second).toBe(readCacheEntries > 0 ? 0 : first);
  });
});
