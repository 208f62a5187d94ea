import { startStack, type Stack } from './helpers/stack';
import { errorCodes, expectNoErrors } from './helpers/expectations';

const TRAIL = /* GraphQL */ `
  query Trail($filter: AuditFilter) {
    auditTrail {
      structure(filter: $filter, first: 10) { totalCount edges { node { actor actorTier action entity entityId regionCode before after occurredAt requestId } } }
      memberRecords(filter: $filter, first: 10) { totalCount edges { node { action entity } } }
    }
  }
`;

/** An entry of the trail, as TRAIL selects it; `before` and `after` are the record's JSON. */
interface Entry {
  actor: string;
  actorTier: string;
  action: string;
  entity: string;
  entityId: string;
  regionCode: string;
  before: { name: string } | null;
  after: { name: string } | null;
  occurredAt: string;
  requestId: string;
}
type Trail = { auditTrail: { structure: { totalCount: number; edges: { node: Entry }[] }; memberRecords: { totalCount: number } } };

describe('the audit trail', () => {
  let stack: Stack;
  let institutionId: string;

  beforeAll(async () => {
    stack = await startStack();
    const editor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'], subject: 'tiedong-editor' });
    const registered = await stack.request(
      `mutation { registerInstitution(input: { name: "审计测试律师事务所", kind: LAW_FIRM, licenseNumber: "31210302MD9000001X", regionCode: "210302" }) { id } }`,
      {},
      editor,
    );
    institutionId = expectNoErrors(registered).registerInstitution.id;
    expectNoErrors(await stack.request(`mutation($id: ID!) { updateInstitution(id: $id, input: { name: "审计测试二律师事务所" }) { id } }`, { id: institutionId }, editor));
  });
  afterAll(() => stack?.stop());

  it('shows an admin who changed what, when, with the record before and after', async () => {
    const admin = await stack.token({ tier: 'CITY', regionCode: '210300', roles: ['admin'] });
    const trail = expectNoErrors(await stack.request<Trail>(TRAIL, { filter: { entityId: institutionId } }, admin));
    const entries = trail.auditTrail.structure.edges.map((e) => e.node);
    expect(entries.map((e) => e.action)).toEqual(['updateInstitution', 'registerInstitution']);
    const [update, registration] = entries;
    expect(update).toMatchObject({ actor: 'tiedong-editor', actorTier: 'COUNTY', entity: 'Institution', regionCode: '210302' });
    expect(update.before.name).toBe('审计测试律师事务所');
    expect(update.after.name).toBe('审计测试二律师事务所');
    expect(registration.before).toBeNull();
    expect(Date.parse(update.occurredAt)).toBeGreaterThanOrEqual(Date.parse(registration.occurredAt));
    expect(update.requestId).toEqual(expect.any(String));
  });

  it('keeps each admin to their own tier', async () => {
    const dalian = await stack.token({ tier: 'CITY', regionCode: '210200', roles: ['admin'] });
    const trail = expectNoErrors(await stack.request<Trail>(TRAIL, { filter: { entityId: institutionId } }, dalian));
    expect(trail.auditTrail.structure.totalCount).toBe(0);
  });

  it('is for admins only', async () => {
    for (const roles of [['viewer'], ['editor']] as const) {
      const token = await stack.token({ tier: 'PROVINCE', regionCode: '210000', roles: [...roles] });
      const { body } = await stack.request(TRAIL, {}, token);
      expect(errorCodes(body)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    }
  });
});
