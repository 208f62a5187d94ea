import { startStack, type Stack } from './helpers/stack';
import { expectNoErrors, expectRefused, type Present } from './helpers/expectations';
import { CampaignLedgerDocument, InstitutionLedgerDocument, type InstitutionLedgerQuery } from '../examples/client/generated';

const MEMBER = /* GraphQL */ `
  query Member($id: ID!) {
    member(id: $id) {
      id name gender idNumber phone partyStatus joinedOn fullOn
      practice { kind licenseNumber }
      institution { id name kind region { code name } }
      partyOrganization { id name kind }
      temporaryOrganizations { id name }
      roles { kind }
      transfers { id status from { id name } to { id name } initiatedOn completedOn }
    }
  }
`;

describe('member records', () => {
  let stack: Stack;
  let province: string;
  let hongyang: { id: string; region: { code: string }; partyOrganization: { id: string } };

  beforeAll(async () => {
    stack = await startStack();
    province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
    const { body } = await stack.request(
      `{ institutions(filter: { nameContains: "辽宁弘扬律师事务所" }, first: 5) { edges { node { id name region { code } partyOrganization { id } } } } }`,
      {},
      province,
    );
    hongyang = body.data.institutions.edges.find((e: any) => e.node.name === '辽宁弘扬律师事务所').node;
  });
  afterAll(() => stack?.stop());

  const firstMember = async (filter: Record<string, unknown>, token = province) => {
    const { body } = await stack.request(`query($f: MemberFilter) { members(filter: $f, first: 1) { edges { node { id } } } }`, { f: filter }, token);
    return body.data.members.edges[0]?.node.id as string;
  };

  it('gives the province 12,599 lawyers, 4,079 of them Party members, adding up city by city and county by county', async () => {
    const { body } = await stack.request(
      `{ region(code: "210000") {
          memberStats(practice: LAWYER) { practitioners partyMembers fullMembers }
          children { memberStats(practice: LAWYER) { practitioners partyMembers fullMembers }
            children { memberStats(practice: LAWYER) { practitioners partyMembers fullMembers } } } } }`,
      {},
      province,
    );
    expectNoErrors(body);
    const region = body.data.region;
    expect(region.memberStats.practitioners).toBe(12599);
    expect(region.memberStats.partyMembers).toBe(4079);
    expect(region.memberStats.fullMembers).toBeLessThanOrEqual(4079);
    for (const field of ['practitioners', 'partyMembers', 'fullMembers']) {
      const sum = (items: any[]) => items.reduce((total, item) => total + item.memberStats[field], 0);
      expect(sum(region.children)).toBe(region.memberStats[field]);
      for (const city of region.children) expect(sum(city.children)).toBe(city.memberStats[field]);
    }
  });

  it('resolves a member across subgraphs: institution, region and branch from the organization subgraph', async () => {
    const id = await firstMember({ institutionId: hongyang.id, partyStatus: 'FULL' });
    const { body } = await stack.request(MEMBER, { id }, province);
    expectNoErrors(body);
    expect(body.data.member).toMatchObject({
      partyStatus: 'FULL',
      practice: { kind: 'LAWYER' },
      institution: { id: hongyang.id, name: '辽宁弘扬律师事务所', kind: 'LAW_FIRM', region: { code: '210302', name: '铁东区' } },
      partyOrganization: { id: hongyang.partyOrganization.id, kind: 'STANDALONE_BRANCH' },
    });
    expect(body.data.member.practice.licenseNumber).toMatch(/^\d{17}$/);
    expect(body.data.member.fullOn >= body.data.member.joinedOn).toBe(true);
  });

  it('masks ID numbers and phones unless the caller is an editor of the member’s tier', async () => {
    const id = await firstMember({ organizationId: hongyang.partyOrganization.id });
    const asViewer = expectNoErrors(await stack.request(MEMBER, { id }, province)).member;
    expect(asViewer.idNumber).toMatch(/^\d{4}\*{14}$/);
    if (asViewer.phone) expect(asViewer.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    const editor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'] });
    const asEditor = expectNoErrors(await stack.request(MEMBER, { id }, editor)).member;
    expect(asEditor.idNumber).toMatch(/^\d{17}[\dX]$/);
    expect(asEditor.idNumber.slice(0, 4)).toBe(asViewer.idNumber.slice(0, 4));
    const branchViewer = await stack.token({ tier: 'BRANCH', regionCode: '210302', organizationId: hongyang.partyOrganization.id });
    expect(expectNoErrors(await stack.request(MEMBER, { id }, branchViewer)).member.idNumber).toContain('*');
  });

  it('shows a branch its own members and no one else’s', async () => {
    const branchViewer = await stack.token({ tier: 'BRANCH', regionCode: '210302', organizationId: hongyang.partyOrganization.id });
    const own = await stack.request(
      `query($id: ID!) { partyOrganization(id: $id) { memberCount secretary { id name } members { id partyStatus } } members(first: 100) { totalCount } }`,
      { id: hongyang.partyOrganization.id },
      branchViewer,
    );
    expectNoErrors(own);
    const branch = own.body.data.partyOrganization;
    expect(branch.memberCount).toBeGreaterThanOrEqual(3);
    expect(branch.members).toHaveLength(branch.memberCount);
    expect(branch.members.filter((m: any) => m.partyStatus === 'FULL').length).toBeGreaterThanOrEqual(3);
    expect(branch.secretary).not.toBeNull();
    expect(branch.members.map((m: any) => m.id)).toContain(branch.secretary.id);
    expect(own.body.data.members.totalCount).toBeGreaterThanOrEqual(branch.memberCount);

    const stranger = await firstMember({ regionCode: '210303', partyStatus: 'FULL' });
    const other = await stack.request(`query($id: ID!) { member(id: $id) { id } }`, { id: stranger }, branchViewer);
    expect(other.body.data.member).toBeNull();
  });

  it('a county viewer cannot see a member of the next county', async () => {
    const tiedong = await stack.token({ tier: 'COUNTY', regionCode: '210302' });
    const next = await firstMember({ regionCode: '210303' });
    const own = await firstMember({ regionCode: '210302' });
    const { body } = await stack.request(`query($a: ID!, $b: ID!) { a: member(id: $a) { id } b: member(id: $b) { id } }`, { a: next, b: own }, tiedong);
    expect(body.data).toEqual({ a: null, b: { id: own } });
    const listed = await stack.request(`{ members(first: 100) { totalCount edges { node { region { code } } } } }`, {}, tiedong);
    expect(listed.body.data.members.edges.every((e: any) => e.node.region.code === '210302')).toBe(true);
  });

  it('gives every station a head: the province, the cities and the counties', async () => {
    const { body } = await stack.request(
      `{ region(code: "210000") { guidanceStation { head { id name } } children { guidanceStation { head { id name } } children { guidanceStation { head { id } } } } } }`,
      {},
      province,
    );
    const region = body.data.region;
    const stations = [region, ...region.children, ...region.children.flatMap((c: any) => c.children)].map((r: any) => r.guidanceStation);
    expect(stations).toHaveLength(115);
    expect(stations.every((s: any) => s.head !== null)).toBe(true);
  });

  it('answers the member parts of the InstitutionLedger: counts that add up to the province’s figures', async () => {
    const ledger = InstitutionLedgerDocument;
    let after: string | null = null;
    const totals = { practitioners: 0, partyMembers: 0 };
    for (let page = 0; page < 20; page++) {
      const connection: Present<InstitutionLedgerQuery>['region']['institutions'] = expectNoErrors(await stack.request(ledger, { code: '210000', kind: 'LAW_FIRM', first: 100, after }, province)).region.institutions;
      for (const { node } of connection.edges) {
        totals.practitioners += node.practitionerCount;
        totals.partyMembers += node.partyMemberCount;
        expect(node.fullPartyMemberCount).toBeLessThanOrEqual(node.partyMemberCount);
        if (node.coverageStatus === 'STANDALONE_BRANCH') expect(node.fullPartyMemberCount).toBeGreaterThanOrEqual(3);
      }
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(totals).toEqual({ practitioners: 12599, partyMembers: 4079 });
  });

  it('answers the CampaignLedger: firms with 3+ full members and no branch of their own', async () => {
    const { body } = await stack.request(CampaignLedgerDocument, { code: '210000' }, province);
    const gaps = expectNoErrors(body).region.standaloneBranchGaps;
    expect(gaps.length).toBeGreaterThan(0);
    for (const gap of gaps) {
      expect(gap.fullPartyMemberCount).toBeGreaterThanOrEqual(3);
      expect(gap.coverageStatus).not.toBe('STANDALONE_BRANCH');
      expect(gap.region.code.startsWith('21')).toBe(true);
    }
    const anshan = await stack.token({ tier: 'CITY', regionCode: '210300' });
    const cityLedger = expectNoErrors(await stack.request(CampaignLedgerDocument, { code: '210300' }, anshan)).region.standaloneBranchGaps;
    expect(cityLedger.map((g) => g.id)).toEqual(gaps.filter((g) => g.region.code.startsWith('2103')).map((g) => g.id));
  });

  it('holds the standalone-branch rule to real member counts', async () => {
    const editor = await stack.token({ tier: 'PROVINCE', regionCode: '210000', roles: ['editor'] });
    const gaps = expectNoErrors(await stack.request(CampaignLedgerDocument, { code: '210000' }, editor)).region.standaloneBranchGaps;
    const uncovered = gaps.find((g) => g.coverageStatus === 'UNCOVERED')!;
    const establish = `mutation($input: EstablishPartyOrganizationInput!) { establishPartyOrganization(input: $input) { id kind } }`;
    const created = await stack.request(
      establish,
      { input: { name: `中共${uncovered.name}支部委员会`, kind: 'STANDALONE_BRANCH', sector: uncovered.kind, regionCode: uncovered.region.code, institutionIds: [uncovered.id], foundedOn: '2019-12-01' } },
      editor,
    );
    expectNoErrors(created);
    const after = expectNoErrors(await stack.request(CampaignLedgerDocument, { code: '210000' }, editor)).region.standaloneBranchGaps;
    expect(after.map((g) => g.id)).not.toContain(uncovered.id);
    expect(after).toHaveLength(gaps.length - 1);

    const small = expectNoErrors(await stack.request(
      `{ institutions(filter: { coverageStatus: UNCOVERED, kind: LAW_FIRM }, first: 100) { edges { node { id name kind region { code } fullPartyMemberCount } } } }`,
      {},
      editor,
    )).institutions.edges.map((e: any) => e.node).find((n: any) => n.fullPartyMemberCount < 3);
    const refused = await stack.request(
      establish,
      { input: { name: `中共${small.name}支部委员会`, kind: 'STANDALONE_BRANCH', sector: 'LAW_FIRM', regionCode: small.region.code, institutionIds: [small.id], foundedOn: '2019-12-01' } },
      editor,
    );
    expectRefused(refused, 'BAD_USER_INPUT', { field: 'institutionIds', message: new RegExp(`at least 3 full Party members.*has ${small.fullPartyMemberCount}`) });
  });
});
