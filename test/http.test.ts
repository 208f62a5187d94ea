import { serverAudits } from 'graphql-http';
import { createProofSigner, PROOF_HEADER } from '../shared/src/internal';
import { startStack, type Stack } from './helpers/stack';
import { answerOf, expectHttpRefusal } from './helpers/expectations';

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
    // Exactly the ones docs/security.md lists, with the reasons given there.
    expect(unmetShoulds.map(({ audit }) => audit.id).sort()).toEqual(['572B', '5A70', '6A70', '7B9B', 'D6D5', 'FDE2']);
    expect(failedMusts.map(({ audit, result }) => `${audit.name}: ${(result as { reason?: string }).reason}`)).toEqual([]);
  });

  it('answers a syntax error 400, not as a server failure', async () => {
    const response = await post(JSON.stringify({ query: '{' }));
    expectHttpRefusal(await answerOf(response), 400, 'GRAPHQL_PARSE_FAILED');
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
    expect(await klingon.json()).toEqual({ errors: [{ message: 'The request body must be JSON in UTF-8.', extensions: { code: 'BAD_REQUEST', requestId: klingon.headers.get('x-request-id') } }] });
    const utf16 = await post(JSON.stringify({ query: '{ viewer { tier } }' }), { 'content-type': 'application/json; charset=utf-16' });
    expect(utf16.status).toBe(400);
    const malformed = await post('{"query": "{ viewer { tier } }"');
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).not.toMatch(/at .*\.js|SyntaxError|<html/i);
    expect((await post(JSON.stringify({ query: { not: 'a string' } }))).status).toBe(400);
  });

  describe('a subgraph’s own endpoint, which only the gateway calls', () => {
    const subgraph = () => stack.subgraphUrls.organization;
    const QUERY = '{ region(code: "210000") { name } }';
    const proofFor = (query: string) => createProofSigner(stack.config, 'gateway')(query, {}, { authorization: `Bearer ${token}` });
    const send = async (body: string, headers: Record<string, string>) =>
      fetch(subgraph(), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body });

    it('answers the gateway’s request with the data and what it was read from, as JSON of the length it declares', async () => {
      const response = await send(JSON.stringify({ query: QUERY }), { [PROOF_HEADER]: await proofFor(QUERY) });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
      const text = await response.text();
      expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(text));
      // The province's own row, read with its station (and no coverage counters, which the page does not show): any change of those tables in the province meets it.
      const { data, extensions } = JSON.parse(text);
      expect(data).toEqual({ region: { name: '辽宁省' } });
      expect(extensions.sanjiSources).toHaveLength(1);
      const [read] = extensions.sanjiSources;
      expect({ ...read, tables: [...read.tables].sort() }).toEqual({
        regions: ['210000'],
        records: [],
        schemas: ['organization'],
        tables: ['guidance_station', 'region'],
        // Every row it read of a table with columns only shown is named (there are none here).
        rows: true,
      });
      expect(Object.keys(extensions)).toEqual(['sanjiSources']);
    });

    it('refuses any method but POST: 405 with Allow', async () => {
      const response = await fetch(`${subgraph()}?query=${encodeURIComponent(QUERY)}`, { headers: { [PROOF_HEADER]: await proofFor(QUERY) } });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    });

    it('answers a malformed body, an exotic charset and an oversized body as GraphQL errors with their status', async () => {
      const proof = { [PROOF_HEADER]: await proofFor(QUERY) };
      const malformed = await send('{"query": ', proof);
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toEqual({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST', requestId: malformed.headers.get('x-request-id') } }] });
      expect((await send('"a string"', proof)).status).toBe(400);
      const latin1 = await send(JSON.stringify({ query: QUERY }), { ...proof, 'content-type': 'application/json; charset=latin1' });
      expect(latin1.status).toBe(415);
      expect(await latin1.json()).toEqual({ errors: [{ message: 'The request body must be JSON in UTF-8.', extensions: { code: 'BAD_REQUEST', requestId: latin1.headers.get('x-request-id') } }] });
      const gzipped = await send(JSON.stringify({ query: QUERY }), { ...proof, 'content-encoding': 'gzip' });
      expect(gzipped.status).toBe(415);
      const oversized = await send(JSON.stringify({ query: QUERY, variables: { padding: 'x'.repeat(11 * 1024 * 1024) } }), proof);
      expect(oversized.status).toBe(413);
      expect(await oversized.json()).toEqual({ errors: [{ message: 'The request body is too large.', extensions: { code: 'BAD_REQUEST', requestId: oversized.headers.get('x-request-id') } }] });
    });

    it('does not read a body of another media type as GraphQL', async () => {
      const response = await send(JSON.stringify({ query: QUERY }), { [PROOF_HEADER]: await proofFor(QUERY), 'content-type': 'text/plain' });
      expect(response.status).toBe(401);
    });

    it('still serves its health beside the GraphQL endpoint', async () => {
      const response = await fetch(subgraph().replace(/\/graphql$/, '/health'));
      expect(await response.json()).toEqual({ status: 'ok', service: 'organization' });
    });
  });
});
