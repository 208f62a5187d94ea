import type { Client } from 'pg';
import { startStack, type Stack } from './helpers/stack';
import { expectNoErrors, expectRefused } from './helpers/expectations';

const INSTITUTION_FIELDS = 'id name kind licenseNumber state coverageStatus region { code } partyOrganization { id kind }';

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterInstitutionInput!) { registerInstitution(input: $input) { ${INSTITUTION_FIELDS} } }
`;
const ESTABLISH = /* GraphQL */ `
  mutation Establish($input: EstablishPartyOrganizationInput!) {
    establishPartyOrganization(input: $input) { id name kind sector region { code } parent { kind } coveredInstitutions { id } foundedOn dissolvedOn }
  }
`;
const ADD = /* GraphQL */ `
  mutation Add($org: ID!, $ids: [ID!]!) { addInstitutionsToJointBranch(organizationId: $org, institutionIds: $ids) { id coveredInstitutions { id } } }
`;
const REMOVE = /* GraphQL */ `
  mutation Remove($org: ID!, $ids: [ID!]!) { removeInstitutionsFromJointBranch(organizationId: $org, institutionIds: $ids) { id coveredInstitutions { id } } }
`;
const DISSOLVE = /* GraphQL */ `
  mutation Dissolve($id: ID!, $on: Date!) { dissolvePartyOrganization(id: $id, dissolvedOn: $on, reason: "merged") { id dissolvedOn coveredInstitutions { id } } }
`;
const COVERAGE = /* GraphQL */ `
  query Coverage($code: ID!) { region(code: $code) { coverage(kind: LAW_FIRM) { institutions covered standalone joint partyOrganizations jointBranches } } }
`;

let serial = 0;
const license = () => `31210302MD${String(++serial).padStart(7, '0')}X`;

describe('changing the organization structure', () => {
  let stack: Stack;
  let editor: string;
  let reader: string;
  let db: Client;

  beforeAll(async () => {
    stack = await startStack();
    editor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'], subject: 'tiedong-editor' });
    reader = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['viewer'] });
    db = await stack.database();
  });
  afterAll(() => stack?.stop());

  const register = async (name: string, token = editor, extra: Record<string, unknown> = {}) =>
    stack.request(REGISTER, { input: { name, kind: 'LAW_FIRM', licenseNumber: license(), regionCode: '210302', approvedOn: '2019-03-01', ...extra } }, token);

  const registered = async (name: string) => {
    const { body } = await register(name);
    expectNoErrors(body);
    return body.data.registerInstitution;
  };

  const coverage = async () => expectNoErrors(await stack.request(COVERAGE, { code: '210302' }, editor)).region.coverage;
  const auditCount = async () => Number((await db.query('SELECT count(*) FROM organization.audit_log')).rows[0].count);

  it('registers an institution, uncovered, with an audit row naming who did it', async () => {
    const before = await coverage();
    const { body } = await register('铁东测试律师事务所');
    expectNoErrors(body);
    expect(body.data.registerInstitution).toMatchObject({ name: '铁东测试律师事务所', state: 'OPERATING', coverageStatus: 'UNCOVERED', region: { code: '210302' } });
    expect((await coverage()).institutions).toBe(before.institutions + 1);
    const audit = await db.query(`SELECT actor, action, entity_id, after FROM organization.audit_log WHERE entity_id = $1`, [body.data.registerInstitution.id]);
    expect(audit.rows).toEqual([expect.objectContaining({ actor: 'tiedong-editor', action: 'registerInstitution' })]);
    expect(audit.rows[0].after.name).toBe('铁东测试律师事务所');
  });

  it('refuses a bad licence number, naming the field, and writes nothing', async () => {
    const audits = await auditCount();
    const { body } = await stack.request(REGISTER, { input: { name: '坏执照律师事务所', kind: 'LAW_FIRM', licenseNumber: '123', regionCode: '210302' } }, editor);
    expectRefused(body, 'BAD_USER_INPUT', { field: 'licenseNumber' });
    expect(body.data).toBeNull();
    expect(await auditCount()).toBe(audits);
  });

  it('refuses a licence number already registered', async () => {
    const first = await registered('铁东甲律师事务所');
    const { body } = await register('铁东乙律师事务所', editor, { licenseNumber: first.licenseNumber });
    expectRefused(body, 'CONFLICT');
  });

  it('refuses a region outside the tier as if it did not exist', async () => {
    const { body } = await register('越界律师事务所', editor, { regionCode: '210303' });
    expectRefused(body, 'NOT_FOUND', { field: 'regionCode', message: 'Region 210303 was not found.' });
  });

  it('refuses a reader', async () => {
    const { body } = await register('只读律师事务所', reader);
    expectRefused(body, 'FORBIDDEN');
  });

  it('refuses an impossible date', async () => {
    const { body } = await register('日期律师事务所', editor, { approvedOn: '2019-02-30' });
    expectRefused(body, 'BAD_USER_INPUT', { message: /YYYY-MM-DD/ });
  });

  it('establishes a joint branch over small firms, and coverage follows', async () => {
    const before = await coverage();
    const firms = [await registered('联合一律师事务所'), await registered('联合二律师事务所')];
    const { body } = await stack.request(
      ESTABLISH,
      { input: { name: '中共铁东区律师行业测试联合支部委员会', kind: 'JOINT_BRANCH', sector: 'LAW_FIRM', regionCode: '210302', institutionIds: firms.map((f) => f.id), foundedOn: '2019-07-01' } },
      editor,
    );
    expectNoErrors(body);
    const branch = body.data.establishPartyOrganization;
    // It reports to Anshan's industry committee, which a county editor may not see.
    expect(branch).toMatchObject({ kind: 'JOINT_BRANCH', region: { code: '210302' }, parent: null, dissolvedOn: null });
    const seenByProvince = await stack.request(
      `query($id: ID!) { partyOrganization(id: $id) { parent { kind region { code } } } }`,
      { id: branch.id },
      await stack.token({ tier: 'PROVINCE', regionCode: '210000' }),
    );
    expect(seenByProvince.body.data.partyOrganization.parent).toEqual({ kind: 'INDUSTRY_COMMITTEE', region: { code: '210300' } });
    expect(branch.coveredInstitutions.map((i: any) => i.id).sort()).toEqual(firms.map((f) => f.id).sort());
    const after = await coverage();
    expect(after.institutions).toBe(before.institutions + 2);
    expect(after.joint).toBe(before.joint + 2);
    expect(after.jointBranches).toBe(before.jointBranches + 1);
    expect(after.partyOrganizations).toBe(before.partyOrganizations + 1);
  });

  it('holds a joint branch to the cap of 5, leaving it unchanged when refused', async () => {
    const firms = [];
    for (let i = 0; i < 6; i++) firms.push(await registered(`上限${i}律师事务所`));
    const tooMany = await stack.request(
      ESTABLISH,
      { input: { name: '中共超限联合支部委员会', kind: 'JOINT_BRANCH', sector: 'LAW_FIRM', regionCode: '210302', institutionIds: firms.map((f) => f.id), foundedOn: '2019-07-01' } },
      editor,
    );
    expectRefused(tooMany, 'BAD_USER_INPUT', { field: 'institutionIds' });

    const created = await stack.request(
      ESTABLISH,
      { input: { name: '中共满员联合支部委员会', kind: 'JOINT_BRANCH', sector: 'LAW_FIRM', regionCode: '210302', institutionIds: firms.slice(0, 4).map((f) => f.id), foundedOn: '2019-07-01' } },
      editor,
    );
    const branch = expectNoErrors(created).establishPartyOrganization;
    const full = await stack.request(ADD, { org: branch.id, ids: [firms[4].id, firms[5].id] }, editor);
    expectRefused(full, 'CONFLICT', { message: /at most 5/ });
    const covered = await db.query('SELECT count(*) FROM organization.institution WHERE party_organization_id = $1', [branch.id]);
    expect(Number(covered.rows[0].count)).toBe(4);

    const added = await stack.request(ADD, { org: branch.id, ids: [firms[4].id] }, editor);
    expect(added.body.data.addInstitutionsToJointBranch.coveredInstitutions).toHaveLength(5);
    const removed = await stack.request(REMOVE, { org: branch.id, ids: [firms[0].id] }, editor);
    expect(removed.body.data.removeInstitutionsFromJointBranch.coveredInstitutions).toHaveLength(4);
  });

  it('refuses a standalone branch to a firm with no full members', async () => {
    const firm = await registered('新设律师事务所');
    const { body } = await stack.request(
      ESTABLISH,
      { input: { name: '中共新设律师事务所支部委员会', kind: 'STANDALONE_BRANCH', sector: 'LAW_FIRM', regionCode: '210302', institutionIds: [firm.id], foundedOn: '2019-07-01' } },
      editor,
    );
    expectRefused(body, 'BAD_USER_INPUT', { field: 'institutionIds', message: /at least 3 full Party members.*has 0/ });
  });

  it('refuses to cover an institution that already has an organization', async () => {
    const firm = await registered('已覆盖律师事务所');
    const first = await stack.request(
      ESTABLISH,
      { input: { name: '中共已覆盖联合支部委员会', kind: 'JOINT_BRANCH', sector: 'LAW_FIRM', regionCode: '210302', institutionIds: [firm.id], foundedOn: '2019-07-01' } },
      editor,
    );
    expectNoErrors(first);
    const second = await stack.request(
      ESTABLISH,
      { input: { name: '中共重复联合支部委员会', kind: 'JOINT_BRANCH', sector: 'LAW_FIRM', regionCode: '210302', institutionIds: [firm.id], foundedOn: '2019-07-01' } },
      editor,
    );
    expectRefused(second, 'CONFLICT');
  });

  it('refuses to cover an institution of another sector', async () => {
    const firm = await registered('跨行业律师事务所');
    const { body } = await stack.request(
      ESTABLISH,
      { input: { name: '中共公证联合支部委员会', kind: 'JOINT_BRANCH', sector: 'NOTARY_OFFICE', regionCode: '210302', institutionIds: [firm.id], foundedOn: '2019-07-01' } },
      editor,
    );
    expectRefused(body, 'BAD_USER_INPUT', { field: 'institutionIds' });
  });

  it('dissolves an organization: its institutions become uncovered, once', async () => {
    const firm = await registered('将撤销律师事务所');
    const created = await stack.request(
      ESTABLISH,
      { input: { name: '中共将撤销联合支部委员会', kind: 'JOINT_BRANCH', sector: 'LAW_FIRM', regionCode: '210302', institutionIds: [firm.id], foundedOn: '2019-07-01' } },
      editor,
    );
    const id = expectNoErrors(created).establishPartyOrganization.id;
    const before = await coverage();
    const { body } = await stack.request(DISSOLVE, { id, on: '2019-12-01' }, editor);
    expect(body.data.dissolvePartyOrganization).toEqual({ id, dissolvedOn: '2019-12-01', coveredInstitutions: [] });
    const after = await coverage();
    expect(after.jointBranches).toBe(before.jointBranches - 1);
    expect(after.joint).toBe(before.joint - 1);
    const again = await stack.request(DISSOLVE, { id, on: '2019-12-02' }, editor);
    expectRefused(again, 'CONFLICT');
  });

  it('assigns a guidance officer and ends the assignment', async () => {
    const firm = await registered('指导员律师事务所');
    const station = expectNoErrors(await stack.request(`{ region(code: "210302") { guidanceStation { id guidanceOfficers { id } } } }`, {}, editor)).region.guidanceStation;
    // The officer must hold the guidance-officer role at the station (or one under it).
    const officerId = station.guidanceOfficers[0].id;
    const assigned = await stack.request(
      `mutation($input: AssignGuidanceOfficerInput!) { assignGuidanceOfficer(input: $input) { id officer { id } station { id } institution { id } startedOn endedOn } }`,
      { input: { officerId, stationId: station.id, institutionId: firm.id, startedOn: '2019-05-01' } },
      editor,
    );
    const assignment = expectNoErrors(assigned).assignGuidanceOfficer;
    expect(assignment).toMatchObject({ officer: { id: officerId }, station: { id: station.id }, institution: { id: firm.id }, endedOn: null });

    const twice = await stack.request(
      `mutation($input: AssignGuidanceOfficerInput!) { assignGuidanceOfficer(input: $input) { id } }`,
      { input: { officerId, stationId: station.id, institutionId: firm.id, startedOn: '2019-06-01' } },
      editor,
    );
    expectRefused(twice, 'CONFLICT');

    const early = await stack.request(`mutation($id: ID!) { endGuidanceOfficerAssignment(id: $id, endedOn: "2019-01-01") { id } }`, { id: assignment.id }, editor);
    expectRefused(early, 'BAD_USER_INPUT', { field: 'endedOn' });
    const ended = await stack.request(`mutation($id: ID!) { endGuidanceOfficerAssignment(id: $id, endedOn: "2019-11-30") { endedOn } }`, { id: assignment.id }, editor);
    expect(ended.body.data.endGuidanceOfficerAssignment.endedOn).toBe('2019-11-30');
  });

  it('does not let a county editor touch another county’s institutions', async () => {
    const other = await stack.request(
      `{ institutions(filter: { regionCode: "210303" }, first: 1) { edges { node { id } } } }`,
      {},
      await stack.token({ tier: 'PROVINCE', regionCode: '210000' }),
    );
    const id = other.body.data.institutions.edges[0].node.id;
    const { body } = await stack.request(`mutation($id: ID!) { updateInstitution(id: $id, input: { name: "改名" }) { id } }`, { id }, editor);
    expectRefused(body, 'NOT_FOUND');
    const name = await db.query('SELECT name FROM organization.institution WHERE id = $1', [id]);
    expect(name.rows[0].name).not.toBe('改名');
  });
});
