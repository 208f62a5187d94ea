import { serverAudits } from 'graphql-http';
import { startStack, type Stack } from './helpers/stack';

describe('GraphQL over HTTP', () => {
  let stack: Stack;
  let token: string;

  beforeAll(async () => {
    // Development: the audit's MUSTs about encoding and variables ask `__type`, which production refuses with introspection.
    stack = await startStack({ env: 'development' });
    token = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
  });
  afterAll(() => stack?.stop());

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body });

  const withToken = (headers: RequestInit['headers']) => {
    const all = new Headers(headers);
    all.set('authorization', `Bearer ${token}`);
    return all;
  };

  it('passes every MUST of the graphql-http server audit', async () => {
    const audits = serverAudits({
      url: stack.gatewayUrl,
      fetchFn: (input: string | URL | Request, init?: RequestInit) =>
        fetch(input, { ...init, headers: withToken(init?.headers) }),
    });
    const results = await Promise.all(audits.map(async (audit) => ({ audit, result: await audit.fn() })));
    const failedMusts = results.filter(({ audit, result }) => audit.name.startsWith('MUST') && result.status !== 'ok');
    const unmetShoulds = results.filter(({ audit, result }) => !audit.name.startsWith('MUST') && result.status !== 'ok');
    // Exactly the ones the README lists, with the reasons given there.
    expect(unmetShoulds.map(({ audit }) => audit.id).sort()).toEqual(['572B', '5A70', '6A70', '7B9B', 'D6D5', 'FDE2']);
    expect(failedMusts.map(({ audit, result }) => `${audit.name}: ${(result as { reason?: string }).reason}`)).toEqual([]);
  });

  it('answers a syntax error 400, not as a server failure', async () => {
    const response = await post(JSON.stringify({ query: '{' }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('refuses a batch (a JSON array)', async () => {
    const response = await post(JSON.stringify([{ query: '{ viewer { tier } }' }, { query: '{ viewer { tier } }' }]));
    expect(response.status).toBe(400);
  });

  it('refuses a mutation sent with GET: 405', async () => {
    const url = `${stack.gatewayUrl}?query=${encodeURIComponent('mutation { dissolvePartyOrganization(id: "x", dissolvedOn: "2019-01-01", reason: "x") { id } }')}`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(405);
  });

  it('refuses a text/plain POST without a preflight header (CSRF)', async () => {
    const response = await post(JSON.stringify({ query: '{ viewer { tier } }' }), { 'content-type': 'text/plain' });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF|preflight/i);
  });

  it('refuses an exotic charset, malformed JSON and a query that is not a string, as JSON without internals', async () => {
    const klingon = await post(JSON.stringify({ query: '{ viewer { tier } }' }), { 'content-type': 'application/json; charset=x-klingon' });
    expect(klingon.status).toBe(415);
    expect(await klingon.json()).toEqual({ errors: [{ message: 'The request body must be JSON in UTF-8.', extensions: { code: 'BAD_REQUEST' } }] });
    const utf16 = await post(JSON.stringify({ query: '{ viewer { tier } }' }), { 'content-type': 'application/json; charset=utf-16' });
    expect(utf16.status).toBe(400);
    const malformed = await post('{"query": "{ viewer { tier } }"');
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).not.toMatch(/at .*\.js|SyntaxError|<html/i);
    expect((await post(JSON.stringify({ query: { not: 'a string' } }))).status).toBe(400);
  });
});
