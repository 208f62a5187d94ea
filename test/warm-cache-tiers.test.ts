import { contractOperation, startStack, type Stack } from './helpers/stack';
import type { TokenClaims } from '../shared/src/auth';

/**
 * The tier rules again, with every cache warm: each contract operation asked by callers of every
 * tier, role and masking, over their own regions and others', through a stack whose read caches
 * and response cache are full of the other callers' answers. Each answer must be exactly what a
 * stack with no cache at all gives the same caller.
 */

interface Caller {
  name: string;
  claims: Partial<TokenClaims> & Pick<TokenClaims, 'tier' | 'regionCode'>;
}

interface Ask {
  caller: Caller;
  operation: string;
  variables: Record<string, unknown>;
}

const REGIONS = ['210000', '210300', '210302', '210303', '210102'];

/** An answer as the caller compares it: request ids differ from request to request. */
function comparable(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body), (key, value) => (key === 'requestId' ? undefined : value));
}

/** The same order every run, but not the order the asks were made in: callers and regions interleave. */
function interleaved<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('tier rules with every cache warm', () => {
  let cold: Stack;
  let warm: Stack;
  const asks: Ask[] = [];
  const expected = new Map<Ask, unknown>();
  const tokens = new Map<Caller, string>();

  beforeAll(async () => {
    [cold, warm] = await Promise.all([startStack({ readCacheEntries: 0, responseCacheEntries: 0 }), startStack()]);
    const db = await cold.database();
    const one = async (sql: string) => (await db.query(sql)).rows[0];
    const tiedongBranch = await one(
      `SELECT id FROM organization.party_organization WHERE kind = 'STANDALONE_BRANCH' AND dissolved_on IS NULL AND region_code = '210302' ORDER BY id LIMIT 1`,
    );
    const otherBranch = await one(
      `SELECT id FROM organization.party_organization WHERE kind = 'STANDALONE_BRANCH' AND dissolved_on IS NULL AND region_code = '210303' ORDER BY id LIMIT 1`,
    );
    const members = (
      await db.query(
        `(SELECT id FROM members.member WHERE organization_id = $1 ORDER BY id LIMIT 1)
         UNION ALL (SELECT id FROM members.member WHERE region_code = '210303' AND party_status = 'FULL' ORDER BY id LIMIT 1)
         UNION ALL (SELECT id FROM members.member WHERE region_code = '210302' AND party_status = 'FULL' ORDER BY id LIMIT 1)`,
        [tiedongBranch.id],
      )
    ).rows.map((row) => row.id as string);

    const callers: Caller[] = [
      { name: 'province viewer', claims: { tier: 'PROVINCE', regionCode: '210000' } },
      { name: 'province editor', claims: { tier: 'PROVINCE', regionCode: '210000', roles: ['editor'] } },
      { name: 'Anshan viewer', claims: { tier: 'CITY', regionCode: '210300' } },
      { name: 'Tiedong viewer', claims: { tier: 'COUNTY', regionCode: '210302' } },
      { name: 'Tiedong editor', claims: { tier: 'COUNTY', regionCode: '210302', roles: ['editor'] } },
      { name: 'Tiexi viewer', claims: { tier: 'COUNTY', regionCode: '210303' } },
      { name: 'Tiedong branch', claims: { tier: 'BRANCH', regionCode: '210302', organizationId: tiedongBranch.id } },
    ];
    for (const caller of callers) tokens.set(caller, await cold.token({ subject: caller.name, ...caller.claims }));

    const byRegion = (code: string) => [
      { operation: 'ProvinceDashboard', variables: { code, year: 2019, awardYear: 2016 } },
      { operation: 'StationWorkList', variables: { code, year: 2019, withinDays: 90 } },
      { operation: 'CoverageTrend', variables: { code, kind: 'LAW_FIRM', fromYear: 2014, toYear: 2019 } },
      { operation: 'InstitutionLedger', variables: { code, kind: 'LAW_FIRM', first: 20, after: null } },
      { operation: 'CampaignLedger', variables: { code } },
    ];
    const operations = [
      { operation: 'Viewer', variables: {} },
      ...REGIONS.flatMap(byRegion),
      ...[tiedongBranch.id, otherBranch.id].map((id) => ({ operation: 'BranchProfile', variables: { id, year: 2019 } })),
      ...members.map((id) => ({ operation: 'MemberProfile', variables: { id, year: 2019 } })),
    ];
    for (const caller of callers) for (const { operation, variables } of operations) asks.push({ caller, operation, variables });

    // What each caller is answered when nothing is kept anywhere.
    for (const ask of asks) {
      const { status, body } = await cold.request(contractOperation(ask.operation), ask.variables, tokens.get(ask.caller));
      expected.set(ask, { status, body: comparable(body) });
    }
  });
  afterAll(async () => {
    await Promise.all([cold?.stop(), warm?.stop()]);
  });

  const ask = async (stack: Stack, one: Ask) => {
    const { status, body } = await stack.request(contractOperation(one.operation), one.variables, tokens.get(one.caller));
    return { status, body: comparable(body) };
  };

  it('the asks cover every tier, masked and unmasked, with answers that differ between callers', () => {
    expect(asks.length).toBeGreaterThan(200);
    const dashboards = asks.filter((a) => a.operation === 'ProvinceDashboard' && a.variables.code === '210000').map((a) => JSON.stringify(expected.get(a)));
    // The province sees its dashboard; the city, the counties and the branch see null: the answers differ.
    expect(new Set(dashboards).size).toBeGreaterThan(1);
    const memberAnswers = asks.filter((a) => a.operation === 'MemberProfile').map((a) => JSON.stringify(expected.get(a)));
    expect(new Set(memberAnswers).size).toBeGreaterThan(3);
  });

  it('answers a reference outside the caller’s tier with null from the subgraph that holds it, never with a null the gateway had to complete', () => {
    const completed = asks
      .filter((a) => (expected.get(a) as { body: { extensions?: { valueCompletion?: unknown } } }).body.extensions?.valueCompletion)
      .map((a) => `${a.caller.name}: ${a.operation} ${JSON.stringify(a.variables)}: ${JSON.stringify((expected.get(a) as any).body.extensions.valueCompletion[0].path)}`);
    expect(completed).toEqual([]);
    const failed = asks.filter((a) => (expected.get(a) as { body: { errors?: unknown[] } }).body.errors).map((a) => `${a.caller.name}: ${a.operation} ${JSON.stringify(a.variables)}`);
    expect(failed).toEqual([]);
  });

  it('gives every caller what an uncached stack gives them, first in one order, then again in another, from the caches', async () => {
    const before = Object.values(warm.sqlStatements()).reduce((a, b) => a + b, 0);
    for (const one of interleaved(asks, 7)) expect({ ask: `${one.caller.name}: ${one.operation} ${JSON.stringify(one.variables)}`, ...(await ask(warm, one)) }).toEqual({ ask: `${one.caller.name}: ${one.operation} ${JSON.stringify(one.variables)}`, ...(expected.get(one) as object) });
    const firstPass = Object.values(warm.sqlStatements()).reduce((a, b) => a + b, 0) - before;

    for (const one of interleaved(asks, 11)) expect({ ask: `${one.caller.name}: ${one.operation} ${JSON.stringify(one.variables)}`, ...(await ask(warm, one)) }).toEqual({ ask: `${one.caller.name}: ${one.operation} ${JSON.stringify(one.variables)}`, ...(expected.get(one) as object) });
    const secondPass = Object.values(warm.sqlStatements()).reduce((a, b) => a + b, 0) - before - firstPass;
    // The second pass was answered from what the first kept: the caches were in play.
    expect(secondPass).toBeLessThan(firstPass / 10);
  });

  it('gives every caller their own answer when all of them ask at once', async () => {
    const answers = await Promise.all(interleaved(asks, 13).map(async (one) => [one, await ask(warm, one)] as const));
    for (const [one, answer] of answers) expect({ ask: `${one.caller.name}: ${one.operation}`, ...answer }).toEqual({ ask: `${one.caller.name}: ${one.operation}`, ...(expected.get(one) as object) });
  });
});
