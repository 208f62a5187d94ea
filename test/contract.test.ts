import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { startStack, type Stack } from './helpers/stack';
import { expectData, expectNoErrors } from './helpers/expectations';
import { BranchProfileDocument, CampaignLedgerDocument, CoverageTrendDocument, InstitutionLedgerDocument, MemberProfileDocument, ProvinceDashboardDocument, StationWorkListDocument, ViewerDocument } from '../examples/client/generated';

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

  const run = async <T, V extends Record<string, unknown>>(operation: TypedDocumentNode<T, V>, variables: V, token = province) =>
    expectNoErrors(await stack.request(operation, variables, token));

  it('ProvinceDashboard answers every field for the province and each city', async () => {
    const { region } = await run(ProvinceDashboardDocument, { code: '210000', year: 2019, awardYear: 2016 });
    expect(region.children).toHaveLength(14);
    expect(nullPaths(region)).toEqual([]);
    const rate = region.activityStats.organizationalLifeComplianceRate;
    expect(rate).toBeGreaterThan(0);
    expect(rate).toBeLessThan(1);
    const kinds = region.activityStats.byKind.map((k) => k.kind);
    for (const kind of ['BRANCH_GENERAL_MEETING', 'BRANCH_COMMITTEE_MEETING', 'PARTY_GROUP_MEETING', 'PARTY_LECTURE', 'THEME_PARTY_DAY', 'ORGANIZATIONAL_LIFE_MEETING', 'DEMOCRATIC_APPRAISAL']) {
      expect(kinds).toContain(kind);
    }
    const awards = Object.fromEntries(region.commendationStats.byCategory.map((c) => [c.category, c.count]));
    expect(awards).toMatchObject({ ADVANCED_BRANCH: 30, EXCELLENT_PARTY_MEMBER_LAWYER: 100, EXCELLENT_PARTY_WORKER: 20, MOST_BEAUTIFUL_PERSON: 2 });
    const sum = (field: (child: (typeof region.children)[number]) => number) => region.children.reduce((total, child) => total + field(child), 0);
    expect(sum((c) => c.activityStats.total)).toBe(region.activityStats.total);
    expect(sum((c) => c.commendationStats.approved)).toBe(region.commendationStats.approved);
  });

  it('BranchProfile and MemberProfile resolve every field for branches and members taken from the other operations', async () => {
    const { region } = await run(CampaignLedgerDocument, { code: '210000' });
    const ledger = await run(InstitutionLedgerDocument, { code: '210300', kind: 'LAW_FIRM', first: 30, after: null });
    const branchIds = new Set<string>();
    for (const node of ledger.region.institutions.edges.map((e) => e.node)) if (node.partyOrganization) branchIds.add(node.partyOrganization.id);
    for (const gap of region.standaloneBranchGaps) if (gap.partyOrganization) branchIds.add(gap.partyOrganization.id);
    expect(branchIds.size).toBeGreaterThan(5);
    const memberIds = new Set<string>();
    for (const id of [...branchIds].slice(0, 8)) {
      const { partyOrganization } = await run(BranchProfileDocument, { id, year: 2019 });
      expect(partyOrganization.id).toBe(id);
      expect(partyOrganization.secretary).not.toBeNull();
      expect(partyOrganization.members.length).toBe(partyOrganization.memberCount);
      expect(partyOrganization.organizationalLife.length).toBeGreaterThan(0);
      for (const member of partyOrganization.members.slice(0, 2)) memberIds.add(member.id);
    }
    for (const id of memberIds) {
      const { member } = await run(MemberProfileDocument, { id, year: 2019 });
      expect(member.id).toBe(id);
      // A member always has an institution or a branch; fields that are empty are lists, not nulls.
      expect(member.partyOrganization).not.toBeNull();
      expect(Array.isArray(member.activities) && Array.isArray(member.commendations) && Array.isArray(member.transfers)).toBe(true);
      expect(typeof member.trainingHours).toBe('number');
      expect(typeof member.serviceHours).toBe('number');
    }
  });

  it('CoverageTrend gives the province and each city 2014 to 2019, rising through the 2016 campaign to today’s figures', async () => {
    const { region } = await run(CoverageTrendDocument, { code: '210000', kind: 'LAW_FIRM', fromYear: 2014, toYear: 2019 });
    const today = (await run(ProvinceDashboardDocument, { code: '210000', year: 2019, awardYear: 2016 })).region;
    expect(nullPaths(region)).toEqual([]);
    expect(region.children).toHaveLength(14);
    const years = [2014, 2015, 2016, 2017, 2018, 2019];
    for (const area of [region, ...region.children]) {
      expect(area.coverageHistory.map((y) => y.year)).toEqual(years);
      expect(area.memberHistory.map((y) => y.year)).toEqual(years);
    }
    const { year: _year, standaloneRate: _rate, ...end } = region.coverageHistory[5];
    expect(end).toEqual(today.coverage);
    expect(end).toMatchObject({ institutions: 1058, covered: 836, partyOrganizations: 372, standaloneBranches: 273, jointBranches: 99 });
    expect(region.memberHistory[5]).toEqual({ year: 2019, ...today.memberStats });
    for (const city of region.children) {
      const now = today.children.find((c) => c.code === city.code)!;
      expect(city.coverageHistory[5]).toMatchObject(now.coverage);
      expect(city.memberHistory[5]).toMatchObject(now.memberStats);
    }
    const [, y2015, y2016, y2017] = region.coverageHistory;
    expect(y2015.rate).toBeLessThan(0.5);
    expect(y2016.rate).toBeGreaterThan(0.7);
    expect(y2017.rate).toBeGreaterThan(0.7);
    const rises = region.coverageHistory.slice(1).map((y, i) => y.standaloneBranches - region.coverageHistory[i].standaloneBranches);
    expect(Math.min(...rises)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...rises)).toBe(rises[1]);
    for (let i = 1; i < 6; i++) {
      expect(region.coverageHistory[i].institutions).toBeGreaterThan(region.coverageHistory[i - 1].institutions);
      expect(region.memberHistory[i].practitioners).toBeGreaterThan(region.memberHistory[i - 1].practitioners);
    }
    for (let i = 0; i < 6; i++) {
      const sum = (field: 'coverageHistory' | 'memberHistory', key: string) =>
        region.children.reduce((total, city) => total + (city[field][i] as Record<string, number>)[key], 0);
      for (const key of ['institutions', 'covered', 'standalone', 'joint', 'standaloneBranches', 'jointBranches']) expect(sum('coverageHistory', key)).toBe((region.coverageHistory[i] as Record<string, number>)[key]);
      for (const key of ['practitioners', 'partyMembers', 'fullMembers']) expect(sum('memberHistory', key)).toBe((region.memberHistory[i] as Record<string, number>)[key]);
    }
    const { body } = await stack.request(CoverageTrendDocument, { code: '210000', kind: 'LAW_FIRM', fromYear: 1989, toYear: 2019 }, province);
    // One error for each history asked for: the province's and each city's.
    expect(body.errors).toHaveLength(30);
    for (const error of body.errors ?? []) expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'toYear' });
    expect(expectData(body).region.coverageHistory).toBeNull();
  });

  it('StationWorkList gives each tier its own work lists, the first 20 of each, inside its region', async () => {
    const lists = ['organizationalLifeGaps', 'probationsDue', 'pendingTransfers', 'institutionsWithoutVisit', 'missingCheckpoints'];
    for (const [code, token] of [
      ['210000', province],
      ['210300', await stack.token({ tier: 'CITY', regionCode: '210300' })],
    ] as const) {
      const { region } = await run(StationWorkListDocument, { code, year: 2019, withinDays: 90 }, token);
      expect(region.code).toBe(code);
      for (const list of lists) {
        const connection = region[list as keyof typeof region] as { totalCount: number; edges: unknown[]; pageInfo: { hasNextPage: boolean } };
        expect(connection.totalCount).toBeGreaterThan(0);
        expect(connection.edges).toHaveLength(Math.min(20, connection.totalCount));
        expect(connection.pageInfo.hasNextPage).toBe(connection.totalCount > 20);
      }
      const prefix = code.replace(/(00)+$/, '');
      for (const edge of region.organizationalLifeGaps.edges) {
        expect(edge.node.region.code.startsWith(prefix)).toBe(true);
        expect(edge.periodsMissed).toBe(edge.kinds.reduce((sum: number, kind: any) => sum + kind.missedPeriods.length, 0));
      }
      for (const edge of [...region.institutionsWithoutVisit.edges, ...region.missingCheckpoints.edges]) expect(edge.node.region.code.startsWith(prefix)).toBe(true);
      for (const edge of region.missingCheckpoints.edges) expect(edge.missingStages.length).toBeGreaterThan(0);
      // Members graded 不合格 and members behind on dues: a handful in the province, perhaps none in a city.
      for (const list of [region.unqualifiedMembers, region.duesArrears]) {
        expect(list.edges).toHaveLength(Math.min(20, list.totalCount));
        if (code === '210000') expect(list.totalCount).toBeGreaterThan(0);
      }
      for (const edge of region.duesArrears.edges) expect(edge.node.dues.monthsInArrears).toBeGreaterThanOrEqual(3);
      for (const edge of region.probationsDue.edges) {
        expect(edge.node.partyStatus).toBe('PROBATIONARY');
        // A viewer reads personal data masked, on the work list as on the member's record.
        if (edge.node.phone) expect(edge.node.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      }
      for (const edge of region.pendingTransfers.edges) expect(['PENDING', 'EXPIRED']).toContain(edge.node.status);
    }
    // Another city's list is no list at all, as every field of a region outside the tier.
    const anshan = await stack.token({ tier: 'CITY', regionCode: '210300' });
    expect((await run(StationWorkListDocument, { code: '210200', year: 2019, withinDays: 90 }, anshan)).region).toBeNull();
  });

  it('a CITY viewer of Anshan gets Anshan and its 7 counties, and nothing for the province or another city', async () => {
    const anshan = await stack.token({ tier: 'CITY', regionCode: '210300' });
    const { viewer } = await run(ViewerDocument, {}, anshan);
    expect(viewer.region.code).toBe('210300');
    const own = await run(ProvinceDashboardDocument, { code: '210300', year: 2019, awardYear: 2016 }, anshan);
    expect(own.region.children).toHaveLength(7);
    expect((await run(ProvinceDashboardDocument, { code: '210000', year: 2019, awardYear: 2016 }, anshan)).region).toBeNull();
    expect((await run(ProvinceDashboardDocument, { code: '210200', year: 2019, awardYear: 2016 }, anshan)).region).toBeNull();
  });
});
