import { startStack, type Stack } from './helpers/stack';
import { askedRecords, askName, callerTokens, contractAsks, sendAsk, tierCallers, type Ask, type Caller } from './helpers/tier-asks';

/**
 * The tier rules again, with every cache warm: each contract operation asked by callers of every
 * tier, role and masking, over their own regions and others', through a stack whose read caches
 * and response cache are full of the other callers' answers. Each answer must be exactly what a
 * stack with no cache at all gives the same caller.
 */

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
  let tokens = new Map<Caller, string>();

  beforeAll(async () => {
    [cold, warm] = await Promise.all([startStack({ readCacheEntries: 0, responseCacheEntries: 0, fetchCacheEntries: 0 }), startStack()]);
    const records = await askedRecords(cold);
    const callers = tierCallers(records);
    tokens = await callerTokens(cold, callers);
    asks.push(...contractAsks(callers, records));
    // What each caller is answered when nothing is kept anywhere.
    for (const ask of asks) expected.set(ask, await sendAsk(cold, tokens, ask));
  });
  afterAll(async () => {
    await Promise.all([cold?.stop(), warm?.stop()]);
  });

  const ask = (stack: Stack, one: Ask) => sendAsk(stack, tokens, one);

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
    for (const one of interleaved(asks, 7)) expect({ ask: askName(one), ...(await ask(warm, one)) }).toEqual({ ask: askName(one), ...(expected.get(one) as object) });
    const firstPass = Object.values(warm.sqlStatements()).reduce((a, b) => a + b, 0) - before;

    for (const one of interleaved(asks, 11)) expect({ ask: askName(one), ...(await ask(warm, one)) }).toEqual({ ask: askName(one), ...(expected.get(one) as object) });
    const secondPass = Object.values(warm.sqlStatements()).reduce((a, b) => a + b, 0) - before - firstPass;
    // The second pass was answered from what the first kept: the caches were in play.
    expect(secondPass).toBeLessThan(firstPass / 10);
  });

  it('gives every caller their own answer when all of them ask at once', async () => {
    const answers = await Promise.all(interleaved(asks, 13).map(async (one) => [one, await ask(warm, one)] as const));
    for (const [one, answer] of answers) expect({ ask: `${one.caller.name}: ${one.operation}`, ...answer }).toEqual({ ask: `${one.caller.name}: ${one.operation}`, ...(expected.get(one) as object) });
  });
});
