import { contractOperation, startStack, type Stack } from './helpers/stack';

/** Every field of an answer, with its path, that came back null. */
function nullPaths(value: unknown, path = ''): string[] {
  if (value === null) return [path];
  if (Array.isArray(value)) return value.flatMap((item, i) => nullPaths(item, `${path}[${i}]`));
  if (typeof value === 'object') return Object.entries(value as object).flatMap(([key, item]) => nullPaths(item, path ? `${path}.${key}` : key));
  return [];
}

describe('the contract operations on the demo dataset', () => {
  let stack: Stack;
  let province: string;

  beforeAll(async () => {
    stack = await startStack();
    province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
  });
  afterAll(() => stack?.stop());

  const run = async (name: string, variables: Record<string, unknown>, token = province) => {
    const { status, body } = await stack.request(contractOperation(name), variables, token);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    return body.data;
  };

  it('ProvinceDashboard answers every field for the province and each city', async () => {
    const { region } = await run('ProvinceDashboard', { code: '210000', year: 2019, awardYear: 2016 });
    expect(region.children).toHaveLength(14);
    expect(nullPaths(region)).toEqual([]);
    const rate = region.activityStats.organizationalLifeComplianceRate;
    expect(rate).toBeGreaterThan(0);
    expect(rate).toBeLessThan(1);
    const kinds = region.activityStats.byKind.map((k: any) => k.kind);
    for (const kind of ['BRANCH_GENERAL_MEETING', 'BRANCH_COMMITTEE_MEETING', 'PARTY_GROUP_MEETING', 'PARTY_LECTURE', 'THEME_PARTY_DAY', 'ORGANIZATIONAL_LIFE_MEETING', 'DEMOCRATIC_APPRAISAL']) {
      expect(kinds).toContain(kind);
    }
    const awards = Object.fromEntries(region.commendationStats.byCategory.map((c: any) => [c.category, c.count]));
    expect(awards).toMatchObject({ ADVANCED_BRANCH: 30, EXCELLENT_PARTY_MEMBER_LAWYER: 100, EXCELLENT_PARTY_WORKER: 20, MOST_BEAUTIFUL_PERSON: 2 });
    const sum = (field: (child: any) => number) => region.children.reduce((total: number, child: any) => total + field(child), 0);
    expect(sum((c) => c.activityStats.total)).toBe(region.activityStats.total);
    expect(sum((c) => c.commendationStats.approved)).toBe(region.commendationStats.approved);
  });

  it('BranchProfile and MemberProfile resolve every field for branches and members taken from the other operations', async () => {
    const { region } = await run('CampaignLedger', { code: '210000' });
    const ledger = await run('InstitutionLedger', { code: '210300', kind: 'LAW_FIRM', first: 30 });
    const branchIds = new Set<string>();
    for (const node of ledger.region.institutions.edges.map((e: any) => e.node)) if (node.partyOrganization) branchIds.add(node.partyOrganization.id);
    for (const gap of region.standaloneBranchGaps) if (gap.partyOrganization) branchIds.add(gap.partyOrganization.id);
    expect(branchIds.size).toBeGreaterThan(5);
    const memberIds = new Set<string>();
    for (const id of [...branchIds].slice(0, 8)) {
      const { partyOrganization } = await run('BranchProfile', { id, year: 2019 });
      expect(partyOrganization.id).toBe(id);
      expect(partyOrganization.secretary).not.toBeNull();
      expect(partyOrganization.members.length).toBe(partyOrganization.memberCount);
      expect(partyOrganization.organizationalLife.length).toBeGreaterThan(0);
      for (const member of partyOrganization.members.slice(0, 2)) memberIds.add(member.id);
    }
    for (const id of memberIds) {
      const { member } = await run('MemberProfile', { id, year: 2019 });
      expect(member.id).toBe(id);
      // A member always has an institution or a branch; fields that are empty are lists, not nulls.
      expect(member.partyOrganization).not.toBeNull();
      expect(Array.isArray(member.activities) && Array.isArray(member.commendations) && Array.isArray(member.transfers)).toBe(true);
      expect(typeof member.trainingHours).toBe('number');
      expect(typeof member.serviceHours).toBe('number');
    }
  });

  it('a CITY viewer of Anshan gets Anshan and its 7 counties, and nothing for the province or another city', async () => {
    const anshan = await stack.token({ tier: 'CITY', regionCode: '210300' });
    const { viewer } = await run('Viewer', {}, anshan);
    expect(viewer.region.code).toBe('210300');
    const own = await run('ProvinceDashboard', { code: '210300', year: 2019, awardYear: 2016 }, anshan);
    expect(own.region.children).toHaveLength(7);
    expect((await run('ProvinceDashboard', { code: '210000', year: 2019, awardYear: 2016 }, anshan)).region).toBeNull();
    expect((await run('ProvinceDashboard', { code: '210200', year: 2019, awardYear: 2016 }, anshan)).region).toBeNull();
  });
});
