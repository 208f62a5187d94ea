import { captureLogs, LOG_LEVEL } from './helpers/log-capture';
import { startStack, type GraphQLResponse, type Stack } from './helpers/stack';
import { answerOf, errorCodes, expectHttpRefusal, expectNoErrors, expectRefused } from './helpers/expectations';

/** A caller's mistake is answered as theirs (400, or BAD_USER_INPUT/BAD_REQUEST naming the field), never as an internal error. */
describe('a caller’s mistake is never an internal error', () => {
  let stack: Stack;
  let logs: ReturnType<typeof captureLogs>;
  let token: string;

  beforeAll(async () => {
    logs = captureLogs();
    stack = await startStack({ logLevel: 'warn', logDestination: logs.destination });
    token = await stack.token({ tier: 'PROVINCE', regionCode: '210000', roles: ['admin'] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function send(body: string | Buffer | object): Promise<GraphQLResponse> {
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: typeof body === 'string' ? body : Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
    });
    return answerOf(response);
  }

  const cursorOf = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
  const NOBODY = '00000000-0000-4000-8000-000000000000';

  const mistakes: [string, object, string | undefined][] = [
    ['an unknown operationName', { query: 'query A { viewer { tier } }', operationName: 'B' }, 'operationName'],
    ['an empty operationName', { query: 'query A { viewer { tier } }', operationName: '' }, 'operationName'],
    ['an operationName with trailing spaces', { query: 'query A { viewer { tier } }', operationName: 'A  ' }, 'operationName'],
    ['two operations and no name', { query: 'query A { viewer { tier } } query B { viewer { roles } }' }, 'operationName'],
    ['a subscription', { query: 'subscription { viewer { tier } }' }, undefined],
    ['a NUL byte in a literal string argument', { query: '{ institutions(filter: { nameContains: "a\\u0000b" }) { totalCount } }' }, 'filter.nameContains'],
    ['a NUL byte in a string variable', { query: 'query($f: MemberFilter) { members(filter: $f) { totalCount } }', variables: { f: { nameContains: 'a\u0000' } } }, '$f.nameContains'],
    ['a NUL byte in a mutation’s input', { query: `mutation { updateMember(id: "${NOBODY}", input: { name: "x\\u0000" }) { id } }` }, 'input.name'],
    ['half a surrogate pair', { query: 'query($n: String) { institutions(filter: { nameContains: $n }) { totalCount } }', variables: { n: 'a\ud800' } }, '$n'],
    ['an impossible date literal', { query: `mutation { extendProbation(id: "${NOBODY}", until: "2019-13-01", reason: "x") { id } }` }, 'until'],
    ['an impossible date variable', { query: `mutation($d: Date!) { extendProbation(id: "${NOBODY}", until: $d, reason: "x") { id } }`, variables: { d: '2019-02-30' } }, '$d'],
    ['a cursor whose last part is not a UUID', { query: `{ institutions(first: 1, after: "${cursorOf(['210000', 'a', 'not-a-uuid'])}") { totalCount } }` }, 'after'],
    ['a member cursor whose last part is not a UUID', { query: `{ members(first: 1, after: "${cursorOf(['210000', 'a', 'x'])}") { totalCount } }` }, 'after'],
    ['an audit trail since that is not a date', { query: '{ auditTrail { memberRecords(filter: { since: "yesterday" }) { totalCount } } }' }, 'filter.since'],
    ['an audit trail since on no calendar day', { query: '{ auditTrail { memberRecords(filter: { since: "2019-13-45T00:00:00Z" }) { totalCount } } }' }, 'filter.since'],
    ['a persisted query of version 2', { extensions: { persistedQuery: { version: 2, sha256Hash: 'a'.repeat(64) } } }, 'extensions.persistedQuery.version'],
    ['a hash that does not match the query', { query: '{ viewer { tier } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }, 'extensions.persistedQuery.sha256Hash'],
    ['a persisted-query extension that is not an object', { query: '{ viewer { tier } }', extensions: { persistedQuery: 'x' } }, 'extensions.persistedQuery'],
    ['extensions that are not an object', { query: '{ viewer { tier } }', extensions: [1] }, 'extensions'],
  ];

  it.each(mistakes)('answers %s as the caller’s mistake, naming the field', async (_name, body, field) => {
    const { status, body: answer } = await send(body);
    expect(status).toBeLessThan(500);
    const codes = errorCodes(answer);
    expect(codes.length).toBeGreaterThan(0);
    for (const error of answer.errors ?? []) {
      expect(['BAD_USER_INPUT', 'BAD_REQUEST']).toContain(error.extensions?.code);
      if (field) expect(error.extensions?.field).toBe(field);
    }
    expect(status === 400 || codes[0] === 'BAD_USER_INPUT').toBe(true);
  });

  it('refuses text that is not valid UTF-8 instead of storing it with U+FFFD', async () => {
    const editor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'] });
    const [before, after] = JSON.stringify({
      query: 'mutation { registerInstitution(input: { name: "坏字节|律师事务所", kind: LAW_FIRM, licenseNumber: "31210000MD0112345X", regionCode: "210302" }) { id } }',
    }).split('|');
    // A lone 0xFF byte on the wire, inside an otherwise valid JSON body.
    const body = Buffer.concat([Buffer.from(before), Buffer.from([0xff]), Buffer.from(after)]);
    const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${editor}` }, body: new Uint8Array(body) });
    expectHttpRefusal(await answerOf(response), 400, 'BAD_REQUEST', { message: /UTF-8/ });
    const db = await stack.database();
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM organization.institution WHERE name LIKE '%' || chr(65533) || '%' OR license_number = '31210000MD0112345X'`);
    expect(rows[0].n).toBe(0);
  });

  it('refuses a cursor from another list or another region, and takes one from the same list', async () => {
    const page = `query($code: ID!, $after: String) { region(code: $code) { institutions(kind: LAW_FIRM, first: 2, after: $after) { edges { node { id } } pageInfo { endCursor } } } }`;
    const anshan = (await stack.request(page, { code: '210300' }, token)).body.data.region.institutions;
    const next = await stack.request(page, { code: '210300', after: anshan.pageInfo.endCursor }, token);
    expectNoErrors(next);
    expect(next.body.data.region.institutions.edges[0].node.id).not.toBe(anshan.edges[0].node.id);

    const otherRegion = await stack.request(page, { code: '210400', after: anshan.pageInfo.endCursor }, token);
    expectRefused(otherRegion, 'BAD_USER_INPUT', { field: 'after' });

    const members = await stack.request('query($after: String) { members(first: 2, after: $after) { totalCount } }', { after: anshan.pageInfo.endCursor }, token);
    expectRefused(members, 'BAD_USER_INPUT', { field: 'after' });

    const otherKind = page.replace('kind: LAW_FIRM', 'kind: NOTARY_OFFICE');
    const notaries = await stack.request(otherKind, { code: '210300', after: anshan.pageInfo.endCursor }, token);
    expectRefused(notaries, 'BAD_USER_INPUT', { field: 'after' });
  });

  it('logs none of these mistakes as an error', () => {
    expect(logs.lines.filter((line) => line.level >= LOG_LEVEL.error)).toEqual([]);
  });
});
