import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import { PROJECT_ROOT } from '../shared/src/config';
import { responseCacheOf, startStack, type Stack } from './helpers/stack';
import { expectNoErrors } from './helpers/expectations';
import { ProvinceDashboardDocument } from '../examples/client/generated';

const DASHBOARD_VARIABLES = { code: '210000', year: 2019, awardYear: 2016 };
const REGION_NAME = `query RegionName($code: ID!) { region(code: $code) { name } }`;
const COVERAGE = `query Coverage($code: ID!) { region(code: $code) { coverage(kind: LAW_FIRM) { institutions } } }`;
const REGISTER = `mutation($input: RegisterInstitutionInput!) { registerInstitution(input: $input) { id } }`;
const MEMBERS = `query Members($code: ID!) { members(filter: { regionCode: $code }, first: 5) { edges { node { id idNumber birthDate } } } }`;

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Subgraph requests and SQL statements one request to the gateway caused. */
async function workFor(stack: Stack, send: () => Promise<unknown>): Promise<{ fetches: number; statements: number }> {
  const fetches = total(stack.subgraphRequests());
  const statements = total(stack.sqlStatements());
  await send();
  return { fetches: total(stack.subgraphRequests()) - fetches, statements: total(stack.sqlStatements()) - statements };
}

describe('whole answers kept at the gateway', () => {
  let stack: Stack;
  let db: Client;
  let province: string;

  beforeAll(async () => {
    // The activities register's own reads of the organization subgraph would count as statements.
    stack = await startStack({ registerSyncMs: 0 });
    db = await stack.database();
    province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
  });
  afterAll(() => stack?.stop());

  it('answers a repeated ProvinceDashboard itself: the same answer, no subgraph fetch, no SQL', async () => {
    stack.forgetCachedReads();
    const first = await stack.request(ProvinceDashboardDocument, DASHBOARD_VARIABLES, province);
    expectNoErrors(first.body);
    const before = await responseCacheOf(stack);
    let second: typeof first | undefined;
    const work = await workFor(stack, async () => (second = await stack.request(ProvinceDashboardDocument, DASHBOARD_VARIABLES, province)));
    expect(work).toEqual({ fetches: 0, statements: 0 });
    expect(second!.body).toEqual(first.body);
    const after = await responseCacheOf(stack);
    expect(after.active).toBe(true);
    expect(after.hits).toBe(before.hits + 1);
  });

  it('sends a kept answer as the same bytes, and tells the caller nothing of what it was read from', async () => {
    stack.forgetCachedReads();
    const send = async () => {
      const response = await fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${province}` },
        body: JSON.stringify({ query: COVERAGE, variables: { code: '210300' } }),
      });
      return { contentType: response.headers.get('content-type'), text: await response.text() };
    };
    const made = await send();
    const kept = await send();
    expect(kept).toEqual(made);
    expect(made.contentType).toBe('application/json; charset=utf-8');
    expect(Object.keys(JSON.parse(made.text))).toEqual(['data']);
    expect(made.text).not.toContain('sanjiSources');
  });

  it('forgets an answer about the city a write was made in, and keeps one about another city', async () => {
    const anshan = { code: '210300' };
    const dalian = { code: '210200' };
    await stack.request(COVERAGE, anshan, province);
    await stack.request(COVERAGE, dalian, province);
    const editor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'] });
    const written = await stack.request(
      REGISTER,
      { input: { name: '鞍山缓存律师事务所', kind: 'LAW_FIRM', licenseNumber: '31210302MD9900007X', regionCode: '210302', approvedOn: '2019-03-01' } },
      editor,
    );
    expectNoErrors(written.body);
    expect(await workFor(stack, () => stack.request(COVERAGE, dalian, province))).toEqual({ fetches: 0, statements: 0 });
    const anshanWork = await workFor(stack, () => stack.request(COVERAGE, anshan, province));
    expect(anshanWork.fetches).toBeGreaterThan(0);
  });

  it('answers the same operation with other variables anew', async () => {
    await stack.request(REGION_NAME, { code: '210300' }, province);
    const work = await workFor(stack, () => stack.request(REGION_NAME, { code: '210400' }, province));
    expect(work.fetches).toBeGreaterThan(0);
  });

  it('keeps no answer whose variables are too deep to serialize or too large to be worth a key, and refuses the malformed one as the caller’s mistake', async () => {
    // Nested deeper than JSON.stringify can go: refused by coercion with a stable code, never a 5xx.
    const deep = `${'['.repeat(20_000)}"210000"${']'.repeat(20_000)}`;
    const refused = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${province}` },
      body: `{"query":${JSON.stringify(REGION_NAME)},"variables":{"code":${deep}}}`,
    });
    expect(refused.status).toBeLessThan(500);
    expect(((await refused.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('BAD_USER_INPUT');

    // A large variable (a long code, which names no region): answered each time, never kept.
    const variables = { code: '2'.repeat(5000) };
    expect(expectNoErrors(await stack.request<{ region: unknown }>(REGION_NAME, variables, province)).region).toBeNull();
    const before = await responseCacheOf(stack);
    expect(expectNoErrors(await stack.request<{ region: unknown }>(REGION_NAME, variables, province)).region).toBeNull();
    expect((await responseCacheOf(stack)).hits).toBe(before.hits);
  });

  it('answers a manifest operation sent by its id alone from what was kept', async () => {
    const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'persisted-operations.json'), 'utf8')) as { operations: { id: string; name: string }[] };
    const { id } = manifest.operations.find((operation) => operation.name === 'ProvinceDashboard')!;
    const send = async () => {
      const response = await fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${province}` },
        body: JSON.stringify({ variables: { ...DASHBOARD_VARIABLES, year: 2018 }, extensions: { persistedQuery: { version: 1, sha256Hash: id } } }),
      });
      return (await response.json()) as { data?: unknown; errors?: unknown[] };
    };
    const first = await send();
    expect(first.errors).toBeUndefined();
    expect(first.data).toBeTruthy();
    const work = await workFor(stack, async () => expect(await send()).toEqual(first));
    expect(work).toEqual({ fetches: 0, statements: 0 });
  });

  it('never gives a county viewer what the province was answered', async () => {
    const lishan = await stack.token({ tier: 'COUNTY', regionCode: '210304' });
    expect(expectNoErrors((await stack.request(REGION_NAME, { code: '210302' }, province)).body).region.name).toBeTruthy();
    expect(expectNoErrors((await stack.request(REGION_NAME, { code: '210302' }, province)).body).region.name).toBeTruthy();
    expect(expectNoErrors((await stack.request(REGION_NAME, { code: '210302' }, lishan)).body).region).toBeNull();
  });

  it("never gives a viewer, whose members are masked, an editor's unmasked answer", async () => {
    const editor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'] });
    const viewer = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['viewer'] });
    const unmasked = expectNoErrors((await stack.request(MEMBERS, { code: '210302' }, editor)).body).members.edges[0].node;
    expect(expectNoErrors((await stack.request(MEMBERS, { code: '210302' }, editor)).body).members.edges[0].node).toEqual(unmasked);
    expect(unmasked.idNumber).not.toContain('*');
    const masked = expectNoErrors((await stack.request(MEMBERS, { code: '210302' }, viewer)).body).members.edges[0].node;
    expect(masked.id).toBe(unmasked.id);
    expect(masked.idNumber).toMatch(/^21\d{2}\*{14}$/);
  });

  it('answers the very next read after a write through the API with what was written', async () => {
    const editor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'], subject: 'tiedong-editor' });
    const coverage = async () => expectNoErrors((await stack.request(COVERAGE, { code: '210302' }, province)).body).region.coverage.institutions as number;
    const before = await coverage();
    const hits = (await responseCacheOf(stack)).hits;
    expect(await coverage()).toBe(before);
    expect((await responseCacheOf(stack)).hits).toBe(hits + 1);
    const { body } = await stack.request(
      REGISTER,
      { input: { name: '铁东整答缓存律师事务所', kind: 'LAW_FIRM', licenseNumber: '31210302MD9900002X', regionCode: '210302', approvedOn: '2019-03-01' } },
      editor,
    );
    expectNoErrors(body);
    expect(await coverage()).toBe(before + 1);
  });

  it('answers the very next read after a change made at psql with the change', async () => {
    const name = async () => expectNoErrors((await stack.request(REGION_NAME, { code: '210303' }, province)).body).region.name as string;
    const before = await name();
    expect(await name()).toBe(before);
    await db.query(`UPDATE organization.region SET name = name || '（更名）' WHERE code = '210303'`);
    try {
      expect(await name()).toBe(`${before}（更名）`);
    } finally {
      await db.query(`UPDATE organization.region SET name = $1 WHERE code = '210303'`, [before]);
    }
    expect(await name()).toBe(before);
    expect((await responseCacheOf(stack)).forgotten).toBeGreaterThan(0);
  });

  it('keeps no answer with errors', async () => {
    // A page larger than the largest one served: the members subgraph refuses it.
    const broken = `query Broken { region(code: "210302") { name } members(filter: { regionCode: "210302" }, first: 1000) { edges { node { id } } } }`;
    const first = await stack.request(broken, {}, province);
    expect(first.body.errors?.length).toBeGreaterThan(0);
    const work = await workFor(stack, () => stack.request(broken, {}, province));
    expect(work.fetches).toBeGreaterThan(0);
  });
});

describe('the response cache switched off', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ registerSyncMs: 0, responseCacheEntries: 0, fetchCacheEntries: 0 });
  });
  afterAll(() => stack?.stop());

  it('sends every repeated query to the subgraphs and keeps nothing', async () => {
    const province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
    await stack.request(ProvinceDashboardDocument, DASHBOARD_VARIABLES, province);
    const work = await workFor(stack, () => stack.request(ProvinceDashboardDocument, DASHBOARD_VARIABLES, province));
    expect(work.fetches).toBeGreaterThan(0);
    expect(await responseCacheOf(stack)).toMatchObject({ active: false, entries: 0, hits: 0 });
  });
});
