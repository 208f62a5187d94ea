import { Client } from 'pg';
import { createProofSigner, PROOF_HEADER } from '../shared/src/internal';
import { eventually } from './helpers/eventually';
import { startStack, type Stack } from './helpers/stack';
import { expectNoErrors, expectRefused } from './helpers/expectations';

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterInstitutionInput!) { registerInstitution(input: $input) { id } }
`;
const ESTABLISH = /* GraphQL */ `
  mutation Establish($input: EstablishPartyOrganizationInput!) { establishPartyOrganization(input: $input) { id } }
`;
const DISSOLVE = /* GraphQL */ `
  mutation Dissolve($id: ID!, $on: Date!) { dissolvePartyOrganization(id: $id, dissolvedOn: $on, reason: "merged") { id dissolvedOn } }
`;
const BRANCHES = /* GraphQL */ `
  query Branches($code: ID!, $year: Int!) { region(code: $code) { activityStats(year: $year) { branches } } }
`;
const CHANGES = 'query ($after: String, $first: Int) { partyOrganizationChanges(after: $after, first: $first) { descriptions { id revision } cursor hasMore } }';

let serial = 0;
const license = () => `31210302MR${String(++serial).padStart(7, '0')}X`;

describe('the activities register follows the organization structure', () => {
  let stack: Stack;
  let editor: string;
  let db: Client;

  beforeAll(async () => {
    stack = await startStack();
    editor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'], subject: 'tiedong-editor' });
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  const branches = async (year: number): Promise<number> => (await stack.request(BRANCHES, { code: '210302', year }, editor)).body.data.region.activityStats.branches;

  const registered = async (id: string) =>
    (await db.query('SELECT founded_on::text, dissolved_on::text, revision FROM activities.registered_organization WHERE organization_id = $1', [id])).rows[0] ?? null;

  /** A joint branch over two new firms of Tiedong, founded in 2019: no activity has been recorded for it. */
  async function establishBranch(name: string): Promise<string> {
    const firms: string[] = [];
    for (const firm of [`${name}甲律师事务所`, `${name}乙律师事务所`]) {
      const { body } = await stack.request(REGISTER, { input: { name: firm, kind: 'LAW_FIRM', licenseNumber: license(), regionCode: '210302', approvedOn: '2019-01-15' } }, editor);
      expectNoErrors(body);
      firms.push(body.data.registerInstitution.id);
    }
    const { body } = await stack.request(
      ESTABLISH,
      { input: { name: `中共${name}联合支部委员会`, kind: 'JOINT_BRANCH', sector: 'LAW_FIRM', regionCode: '210302', institutionIds: firms, foundedOn: '2019-03-01' } },
      editor,
    );
    expectNoErrors(body);
    return body.data.establishPartyOrganization.id;
  }

  it('counts a new branch as owing organizational life before it records any activity', async () => {
    const before = { 2019: await branches(2019), 2020: await branches(2020) };
    const id = await establishBranch('登记测试');
    expect(await eventually(() => branches(2019), (n) => n === before[2019] + 1, 15)).toBe(before[2019] + 1);
    expect(await branches(2020)).toBe(before[2020] + 1);
    expect(await registered(id)).toEqual({ founded_on: '2019-03-01', dissolved_on: null, revision: 1 });
    const audit = await db.query(`SELECT actor, action, region_code FROM activities.audit_log WHERE entity_id = $1`, [id]);
    expect(audit.rows).toEqual([{ actor: 'service:activities', action: 'registerPartyOrganization', region_code: '210302' }]);

    // Dissolved in 2019, it owes nothing in 2020 any more.
    const { body } = await stack.request(DISSOLVE, { id, on: '2019-12-31' }, editor);
    expectNoErrors(body);
    expect(await eventually(() => branches(2020), (n) => n === before[2020], 15)).toBe(before[2020]);
    expect(await registered(id)).toEqual({ founded_on: '2019-03-01', dissolved_on: '2019-12-31', revision: 2 });
  });

  it('misses no change committed after a later one: each waits for every transaction begun before it', async () => {
    const late = await establishBranch('后提交');
    await eventually(() => registered(late), (row) => row !== null, 15);
    // In another county, so that neither change waits for the other's coverage counters.
    const { rows } = await db.query(
      `SELECT id FROM organization.party_organization WHERE region_code = '210303' AND kind = 'JOINT_BRANCH' AND dissolved_on IS NULL ORDER BY id LIMIT 1`,
    );
    const early = rows[0].id as string;

    // The early change is written first and committed last.
    const slow = new Client({ connectionString: stack.databaseUrl });
    await slow.connect();
    try {
      await slow.query('BEGIN');
      await slow.query(`UPDATE organization.party_organization SET dissolved_on = '2019-10-31' WHERE id = $1`, [early]);
      const { body } = await stack.request(DISSOLVE, { id: late, on: '2019-11-30' }, editor);
      expectNoErrors(body);
      // Several reads of the stream go by; the late change is held back behind the open transaction.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect((await registered(late)).dissolved_on).toBeNull();
      await slow.query('COMMIT');
    } finally {
      await slow.end();
    }
    expect(await eventually(() => registered(early), (row) => row.dissolved_on !== null, 15)).toEqual({ founded_on: expect.any(String), dissolved_on: '2019-10-31', revision: 2 });
    expect((await eventually(() => registered(late), (row) => row.dissolved_on !== null, 15)).dissolved_on).toBe('2019-11-30');
  });

  describe('the stream of changes', () => {
    const proof = (query: string, variables: Record<string, unknown>, token: string | null) =>
      createProofSigner(stack.config, 'activities')(query, variables, token ? { authorization: `Bearer ${token}` } : 'service');
    const ask = async (variables: Record<string, unknown>, token: string | null) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', [PROOF_HEADER]: await proof(CHANGES, variables, token) };
      if (token) headers.authorization = `Bearer ${token}`;
      const response = await fetch(stack.subgraphUrls.organization, { method: 'POST', headers, body: JSON.stringify({ query: CHANGES, variables }) });
      return (await response.json()) as any;
    };

    it('is not offered by the supergraph', async () => {
      const province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
      const { body } = await stack.request(CHANGES, {}, province);
      expectRefused(body, 'GRAPHQL_VALIDATION_FAILED');
    });

    it('is read by a Sanji service on its own behalf, not on a caller’s, whatever the tier', async () => {
      const province = await stack.token({ tier: 'PROVINCE', regionCode: '210000', roles: ['admin'] });
      const refused = await ask({ first: 10 }, province);
      expectRefused(refused, 'FORBIDDEN');
      expect(refused.data).toBeNull();

      const served = await ask({ first: 10 }, null);
      expectNoErrors(served);
      expect(served.data.partyOrganizationChanges.descriptions).toHaveLength(10);
      expect(served.data.partyOrganizationChanges.hasMore).toBe(true);
      const next = await ask({ first: 10, after: served.data.partyOrganizationChanges.cursor }, null);
      const ids = (page: any) => page.data.partyOrganizationChanges.descriptions.map((d: { id: string }) => d.id);
      expect(ids(next)).toHaveLength(10);
      expect(ids(next).filter((id: string) => ids(served).includes(id))).toEqual([]);
    });

    it('refuses a cursor it did not give and a page size out of bounds', async () => {
      expectRefused(await ask({ after: 'x.y' }, null), 'BAD_USER_INPUT', { field: 'after' });
      expectRefused(await ask({ after: '99999999999999999999.00000000-0000-0000-0000-000000000000' }, null), 'BAD_USER_INPUT');
      expectRefused(await ask({ first: 1001 }, null), 'BAD_USER_INPUT', { field: 'first' });
    });
  });
});

describe('with the register left to the lookups made as activities are recorded', () => {
  let stack: Stack;
  let db: Client;

  beforeAll(async () => {
    stack = await startStack({ registerSyncMs: 0 });
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  it('does not learn of a branch dissolved in the organization subgraph', async () => {
    const { rows } = await db.query(`SELECT organization_id AS id FROM activities.registered_organization WHERE dissolved_on IS NULL AND region_code = '210302' AND kind = 'JOINT_BRANCH' LIMIT 1`);
    await db.query(`UPDATE organization.party_organization SET dissolved_on = '2019-12-31' WHERE id = $1`, [rows[0].id]);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const kept = await db.query('SELECT dissolved_on FROM activities.registered_organization WHERE organization_id = $1', [rows[0].id]);
    expect(kept.rows[0].dissolved_on).toBeNull();
  });
});
