import { startStack, type Stack } from './helpers/stack';
import { expectNoErrors } from './helpers/expectations';

const FIND = /* GraphQL */ `
  query Find($name: String!) {
    institutions(filter: { nameContains: $name }, first: 10) {
      edges { node { id name kind region { code name } coverageStatus headOffice { id } branchOffices { id }
        partyOrganization { id name kind coveredInstitutions { id } } } }
    }
  }
`;

describe('the demo dataset', () => {
  let stack: Stack;
  let province: string;

  beforeAll(async () => {
    stack = await startStack();
    province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
  });
  afterAll(() => stack?.stop());

  const anshanCenter = async () =>
    (await stack.request(`{ region(code: "210300") { guidanceStation { id } } }`, {}, province)).body.data.region.guidanceStation.id as string;

  const institution = async (name: string) => {
    const { body } = await stack.request(FIND, { name }, province);
    return body.data.institutions.edges.map((e: any) => e.node).find((n: any) => n.name === name);
  };

  it.each([
    ['辽宁宸瀚律师事务所', 'LAW_FIRM'],
    ['辽宁弘扬律师事务所', 'LAW_FIRM'],
    ['辽宁大学司法鉴定中心', 'JUDICIAL_APPRAISAL'],
    ['阜新市煤海基层法律服务所', 'GRASSROOTS_LEGAL_SERVICE'],
    ['开原市公证处', 'NOTARY_OFFICE'],
  ])('has %s with a standalone branch of its own', async (name, kind) => {
    const found = await institution(name);
    expect(found).toMatchObject({ name, kind, coverageStatus: 'STANDALONE_BRANCH' });
    expect(found.partyOrganization.kind).toBe('STANDALONE_BRANCH');
  });

  it('puts 开原市公证处 in 开原市 and 煤海 in Fuxin', async () => {
    expect((await institution('开原市公证处')).region.code).toBe('211282');
    expect((await institution('阜新市煤海基层法律服务所')).region.code.slice(0, 4)).toBe('2109');
  });

  it('gives Anshan its own 1+8+31 layer: a center station, 8 guidance stations and 31 guidance officers', async () => {
    const { body } = await stack.request(
      /* GraphQL */ `query($id: ID!) {
        guidanceStation(id: $id) {
          tier
          children { name tier functional region { code }
            guidanceOfficerAssignments { officer { id } institution { region { code } } } }
        }
      }`,
      { id: await anshanCenter() },
      province,
    );
    expectNoErrors(body);
    const center = body.data.guidanceStation;
    expect(center.tier).toBe('CITY');
    expect(center.children).toHaveLength(8);
    expect(center.children.filter((s: any) => s.functional)).toHaveLength(1);
    expect(center.children.filter((s: any) => !s.functional).map((s: any) => s.region.code).sort()).toHaveLength(7);
    const officers = new Set(center.children.flatMap((s: any) => s.guidanceOfficerAssignments.map((a: any) => a.officer.id)));
    expect(officers.size).toBe(31);
    const regions = center.children.flatMap((s: any) => s.guidanceOfficerAssignments.map((a: any) => a.institution.region.code));
    expect(regions.every((code: string) => code.startsWith('2103'))).toBe(true);
  });

  it('gives Anshan’s 8 guidance stations their 31 guidance officers, and every station a head', async () => {
    const { body } = await stack.request(
      `query($id: ID!) { guidanceStation(id: $id) { head { id } children { head { id } guidanceOfficers { id roles { kind station { id } } } } } }`,
      { id: await anshanCenter() },
      province,
    );
    expectNoErrors(body);
    const stations = body.data.guidanceStation.children;
    expect(stations.every((s: any) => s.head !== null)).toBe(true);
    const officers = stations.flatMap((s: any) => s.guidanceOfficers);
    expect(new Set(officers.map((o: any) => o.id)).size).toBe(31);
    for (const officer of officers) expect(officer.roles.map((r: any) => r.kind)).toContain('GUIDANCE_OFFICER');
  });

  it('gives 阜新市煤海基层法律服务所 its 6-member branch', async () => {
    const meihai = await institution('阜新市煤海基层法律服务所');
    const { body } = await stack.request(
      `query($id: ID!) { partyOrganization(id: $id) { memberCount secretary { name } members { partyStatus } } }`,
      { id: meihai.partyOrganization.id },
      province,
    );
    expect(body.data.partyOrganization.memberCount).toBe(6);
    expect(body.data.partyOrganization.members.every((m: any) => m.partyStatus === 'FULL')).toBe(true);
    expect(body.data.partyOrganization.secretary).not.toBeNull();
  });

  it('lets members of 辽宁大学司法鉴定中心 keep their relation elsewhere and take part in its branch (双重管理)', async () => {
    const center = await institution('辽宁大学司法鉴定中心');
    const { body } = await stack.request(
      `query($id: ID!) { partyOrganization(id: $id) { memberCount temporaryParticipants { id partyOrganization { id } temporaryOrganizations { id } } } }`,
      { id: center.partyOrganization.id },
      province,
    );
    const branch = body.data.partyOrganization;
    expect(branch.memberCount).toBeGreaterThanOrEqual(3);
    expect(branch.temporaryParticipants.length).toBeGreaterThanOrEqual(3);
    for (const participant of branch.temporaryParticipants) {
      expect(participant.partyOrganization?.id).not.toBe(center.partyOrganization.id);
      expect(participant.temporaryOrganizations.map((o: any) => o.id)).toContain(center.partyOrganization.id);
    }
  });

  it('links branch offices (分所) to their head offices', async () => {
    const { body } = await stack.request(
      `{ institutions(filter: { nameContains: "分所", kind: LAW_FIRM }, first: 100) { totalCount edges { node { id headOffice { id branchOffices { id } } } } } }`,
      {},
      province,
    );
    expect(body.data.institutions.totalCount).toBeGreaterThan(0);
    for (const { node } of body.data.institutions.edges) {
      expect(node.headOffice).not.toBeNull();
      expect(node.headOffice.branchOffices.map((b: any) => b.id)).toContain(node.id);
    }
  });

  it('has the provincial industry committee above the city committees', async () => {
    const hongyang = await institution('辽宁弘扬律师事务所');
    const { body } = await stack.request(
      `query($id: ID!) { partyOrganization(id: $id) { parent { kind region { code } parent { kind region { code } } } } }`,
      { id: hongyang.partyOrganization.id },
      province,
    );
    expect(body.data.partyOrganization.parent).toMatchObject({ kind: 'INDUSTRY_COMMITTEE', region: { code: '210300' } });
    expect(body.data.partyOrganization.parent.parent).toMatchObject({ kind: 'INDUSTRY_COMMITTEE', region: { code: '210000' } });
  });
});
