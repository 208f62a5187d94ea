import { startGateway } from '../gateway/src/server';
import type { RunningServer } from '../shared/src/subgraph-server';
import { idNumberCheckCharacter } from '../shared/src/id-number';
import { captureLogs, LOG_LEVEL, type LogCapture } from './helpers/log-capture';
import { freePort } from './helpers/ports';
import { startStack, type Stack } from './helpers/stack';
import { answerOf, expectHttpRefusal, expectNoErrors, expectRefused } from './helpers/expectations';

const LEDGER = `query ObservedLedger { institutions(first: 3) { edges { node { id name fullPartyMemberCount } } } }`;

/** Sends a request to the gateway with headers of the caller's choosing, and reads the answer whole. */
async function send(url: string, token: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, requestId: response.headers.get('x-request-id'), body: (await response.json()) as { data?: any; errors?: any[] } };
}

describe('every failure can be traced by its request id', () => {
  let stack: Stack;
  let logs: LogCapture;
  let province: string;
  /** A gateway of the same stack whose members subgraph has stopped: nothing listens where it was. */
  let withoutMembers: RunningServer;

  beforeAll(async () => {
    logs = captureLogs();
    stack = await startStack({ logLevel: 'debug', logDestination: logs.destination });
    province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
    const stopped = await freePort();
    withoutMembers = await startGateway(stack.config, { port: 0, subgraphUrls: { members: `http://127.0.0.1:${stopped}/graphql` } });
  });
  afterAll(async () => {
    await withoutMembers?.stop();
    await stack?.stop();
  });

  it('answers the other subgraphs’ fields while one is stopped, with an error at each missing field carrying the request id', async () => {
    const { status, requestId, body } = await send(withoutMembers.url, province, LEDGER);
    expect(status).toBe(200);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const institutions = body.data.institutions.edges.map((edge: any) => edge.node);
    expect(institutions).toHaveLength(3);
    for (const institution of institutions) {
      expect(institution.name).toEqual(expect.any(String));
      expect(institution.fullPartyMemberCount).toBeNull();
    }
    expect(body.errors).toHaveLength(3);
    body.errors!.forEach((error, index) => {
      expect(error.path).toEqual(['institutions', 'edges', index, 'node', 'fullPartyMemberCount']);
      expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId });
      expect(JSON.stringify(error)).not.toContain('members');
    });
  });

  it('logs the failed fetch once, at error level, with the subgraph, the cause and the same id', async () => {
    const { requestId } = await send(withoutMembers.url, province, LEDGER);
    const failures = logs.ofRequest(requestId!).filter((line) => line.level >= LOG_LEVEL.error);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ service: 'gateway', msg: 'subgraph fetch failed', subgraph: 'members', reason: 'refused' });
    expect((failures[0].err as { message: string }).message).toContain('ECONNREFUSED');
  });

  it('gives the caller’s own request id back, and every subgraph that serves the request logs under it', async () => {
    const id = 'ledger-check-2024.06:01';
    const { requestId, body } = await send(stack.gatewayUrl, province, LEDGER, {}, { 'x-request-id': id });
    expectNoErrors(body);
    expect(requestId).toBe(id);
    const services = new Set(logs.ofRequest(id).map((line) => line.service));
    expect(services).toEqual(new Set(['gateway', 'organization', 'members']));
  });

  it('passes the id on when one subgraph looks something up in another, and records it in the audit row', async () => {
    const editor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'], subject: 'tiedong-editor' });
    const { body: found } = await stack.request(`{ institutions(filter: { nameContains: "辽宁弘扬律师事务所" }, first: 1) { edges { node { id } } } }`, {}, editor);
    const institutionId = found.data.institutions.edges[0].node.id;
    const first17 = '21030219850615' + '731';
    const id = 'register-trace-7f3a';
    const { body } = await send(
      stack.gatewayUrl,
      editor,
      `mutation Register($input: RegisterMemberInput!) { registerMember(input: $input) { id name } }`,
      {
        input: {
          name: '追踪律师', gender: 'FEMALE', ethnicity: '汉族', birthDate: '1985-06-15', idNumber: first17 + idNumberCheckCharacter(first17),
          institutionId, licenseNumber: '12103201910176543',
        },
      },
      { 'x-request-id': id },
    );
    expectNoErrors(body);
    // Only the members subgraph answers the mutation; organization hears of it through members' lookup of the institution.
    expect(new Set(logs.ofRequest(id).map((line) => line.service))).toEqual(new Set(['gateway', 'members', 'organization']));
    const db = await stack.database();
    const audit = await db.query(`SELECT request_id FROM members.audit_log WHERE entity_id = $1`, [body.data.registerMember.id]);
    expect(audit.rows).toEqual([{ request_id: id }]);
  });

  it('replaces a request id that is too long or holds unsafe characters with one of its own', async () => {
    for (const unsafe of ['a'.repeat(200), 'two words', '<script>']) {
      const { requestId, body } = await send(stack.gatewayUrl, province, LEDGER, {}, { 'x-request-id': unsafe });
      expectNoErrors(body);
      expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(logs.lines.some((line) => line.requestId === unsafe)).toBe(false);
    }
  });

  it('answers a caller’s mistake with its request id, and logs no error for it', async () => {
    const invalid = await send(stack.gatewayUrl, province, `{ institutions(first: 1) { edges { node { noSuchField } } } }`);
    expect(expectRefused(invalid.body, 'GRAPHQL_VALIDATION_FAILED').extensions).toMatchObject({ requestId: invalid.requestId });
    const unauthenticated = await send(stack.gatewayUrl, 'not-a-token', LEDGER);
    expect(expectHttpRefusal(unauthenticated, 401, 'UNAUTHENTICATED').extensions).toEqual({ code: 'UNAUTHENTICATED', requestId: unauthenticated.requestId });
    const malformed = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${province}` }, body: '{"query": ' });
    const malformedId = malformed.headers.get('x-request-id');
    expect(expectHttpRefusal(await answerOf(malformed), 400, 'BAD_REQUEST').extensions).toEqual({ code: 'BAD_REQUEST', requestId: malformedId });
    for (const requestId of [invalid.requestId!, unauthenticated.requestId!, malformedId!]) {
      expect(logs.ofRequest(requestId).filter((line) => line.level >= LOG_LEVEL.warn)).toEqual([]);
    }
  });

  it('answers with the request id from a subgraph too', async () => {
    const response = await fetch(stack.subgraphUrls.members, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'direct-call-1' }, body: '{}' });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-request-id')).toBe('direct-call-1');
  });
});
