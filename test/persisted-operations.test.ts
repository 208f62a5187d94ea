import { createHash } from 'node:crypto';
import { PROJECT_ROOT } from '../shared/src/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildManifest, canonicalDocument, loadManifest } from '../gateway/src/persisted-operations';
import { startStack, type Stack } from './helpers/stack';
import { answerOf, expectHttpRefusal, expectRefused } from './helpers/expectations';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('persisted operations', () => {
  const manifest = loadManifest(PROJECT_ROOT);
  const viewer = manifest.operations.find((operation) => operation.name === 'Viewer')!;
  let open: Stack;
  let safelisted: Stack;

  beforeAll(async () => {
    open = await startStack();
    safelisted = await startStack({ safelist: true });
  });
  afterAll(async () => {
    await open?.stop();
    await safelisted?.stop();
  });

  const send = async (stack: Stack, body: Record<string, unknown>) => {
    const token = await stack.token({ tier: 'CITY', regionCode: '210300' });
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return answerOf(response);
  };
  const byId = (id: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } });

  it('ships every contract operation in the manifest, current with contract/', () => {
    expect(manifest).toEqual(buildManifest(PROJECT_ROOT));
    expect(manifest.operations.map((o) => o.name).sort()).toEqual(
      ['BranchProfile', 'CampaignLedger', 'CoverageTrend', 'ImportInstitutions', 'ImportMembers', 'ImportPartyOrganizations', 'InstitutionLedger', 'MemberProfile', 'ProvinceDashboard', 'StationWorkList', 'Viewer'],
    );
    for (const operation of manifest.operations) expect(operation.id).toBe(sha256(operation.body));
    expect(viewer.body).toBe(canonicalDocument(readFileSync(join(PROJECT_ROOT, 'contract', 'Viewer.graphql'), 'utf8')));
  });

  it('answers a manifest operation sent by its id alone', async () => {
    const { body } = await send(open, byId(viewer.id));
    expect(body.data.viewer.region.code).toBe('210300');
  });

  it('lets other clients register their own queries with automatic persisted queries', async () => {
    const query = '{ viewer { tier } }';
    const first = await send(open, byId(sha256(query)));
    expectRefused(first, 'PERSISTED_QUERY_NOT_FOUND');
    expect((await send(open, { query, ...byId(sha256(query)) })).body.data.viewer.tier).toBe('CITY');
    expect((await send(open, byId(sha256(query)))).body.data.viewer.tier).toBe('CITY');
  });

  it('with safelisting on, accepts the manifest and nothing else', async () => {
    expect((await send(safelisted, byId(viewer.id))).body.data.viewer.tier).toBe('CITY');
    expect((await send(safelisted, { query: viewer.body })).body.data.viewer.tier).toBe('CITY');
    // The contract file as written, comments and all, is the same operation.
    const asWritten = readFileSync(join(PROJECT_ROOT, 'contract', 'Viewer.graphql'), 'utf8');
    expect((await send(safelisted, { query: asWritten })).body.data.viewer.tier).toBe('CITY');
    const adHoc = await send(safelisted, { query: '{ viewer { tier } }' });
    expectHttpRefusal(adHoc, 400, 'PERSISTED_QUERY_NOT_IN_SAFELIST');
    // Registering a query of one's own is refused too, so it is unknown by its id afterwards.
    const query = '{ viewer { roles } }';
    expectHttpRefusal(await send(safelisted, { query, ...byId(sha256(query)) }), 400, 'PERSISTED_QUERY_NOT_IN_SAFELIST');
    expectRefused(await send(safelisted, byId(sha256(query))), 'PERSISTED_QUERY_NOT_FOUND');
  });
});
