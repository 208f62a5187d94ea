import { startStack, type Stack } from './helpers/stack';
import { expectNoErrors } from './helpers/expectations';
import { ViewerDocument } from '../examples/client/generated';

const REGION = /* GraphQL */ `
  query Region($code: ID!) { region(code: $code) { code name children { code } } }
`;

describe('who sees what', () => {
  let stack: Stack;
  let tokens: Record<'province' | 'anshan' | 'tiedong', string>;

  beforeAll(async () => {
    stack = await startStack();
    tokens = {
      province: await stack.token({ tier: 'PROVINCE', regionCode: '210000' }),
      anshan: await stack.token({ tier: 'CITY', regionCode: '210300' }),
      tiedong: await stack.token({ tier: 'COUNTY', regionCode: '210302' }),
    };
  });
  afterAll(() => stack?.stop());

  const region = async (code: string, token: string) => {
    const { body } = await stack.request(REGION, { code }, token);
    expectNoErrors(body);
    return body.data.region;
  };

  it('the Viewer operation tells every tier where its root is', async () => {
    const viewer = ViewerDocument;
    const cases = [
      [tokens.province, 'PROVINCE', '210000', '辽宁省', 'PROVINCE'],
      [tokens.anshan, 'CITY', '210300', '鞍山市', 'CITY'],
      [tokens.tiedong, 'COUNTY', '210302', '铁东区', 'COUNTY'],
    ] as const;
    for (const [token, tier, code, name, level] of cases) {
      expect(expectNoErrors(await stack.request(viewer, {}, token)).viewer).toEqual({ tier, roles: ['VIEWER'], region: { code, name, level } });
    }
  });

  it('a city viewer sees Anshan and its 7 counties, and neither the province nor another city', async () => {
    const anshan = await region('210300', tokens.anshan);
    expect(anshan.name).toBe('鞍山市');
    expect(anshan.children).toHaveLength(7);
    expect(await region('210000', tokens.anshan)).toBeNull();
    expect(await region('210200', tokens.anshan)).toBeNull();
    expect(await region('210102', tokens.anshan)).toBeNull();
  });

  it('a county viewer cannot see the next county, its city or the province', async () => {
    expect((await region('210302', tokens.tiedong)).name).toBe('铁东区');
    expect(await region('210303', tokens.tiedong)).toBeNull();
    expect(await region('210300', tokens.tiedong)).toBeNull();
    expect(await region('210000', tokens.tiedong)).toBeNull();
  });

  it('a county viewer walking upward finds nothing above its county', async () => {
    const { body } = await stack.request(
      `{ region(code: "210302") { parent { code children { code } parent { code } } } }`,
      {},
      tokens.tiedong,
    );
    expectNoErrors(body);
    expect(body.data.region.parent).toBeNull();
  });

  it('a region that does not exist looks the same as one outside the tier', async () => {
    expect(await region('219999', tokens.province)).toBeNull();
    expect(await region('not-a-code', tokens.province)).toBeNull();
  });

  it('lists only the institutions of the caller’s tier', async () => {
    const query = `query { institutions(first: 100) { totalCount edges { node { region { code } } } } }`;
    type Listed = { institutions: { totalCount: number; edges: { node: { region: { code: string } } }[] } };
    const county = expectNoErrors(await stack.request<Listed>(query, {}, tokens.tiedong)).institutions;
    expect(county.totalCount).toBeGreaterThan(0);
    expect(county.edges.every((e) => e.node.region.code === '210302')).toBe(true);
    const city = expectNoErrors(await stack.request<Listed>(query, {}, tokens.anshan)).institutions;
    expect(city.totalCount).toBeGreaterThan(county.totalCount);
    const province = expectNoErrors(await stack.request<Listed>(query, {}, tokens.province)).institutions;
    expect(province.totalCount).toBeGreaterThan(city.totalCount);
  });

  it('an institution of another county, asked for by id, is null', async () => {
    const { body } = await stack.request(
      `{ institutions(filter: { regionCode: "210303" }, first: 1) { edges { node { id } } } }`,
      {},
      tokens.province,
    );
    const id = body.data.institutions.edges[0].node.id;
    const asked = await stack.request(`query($id: ID!) { institution(id: $id) { id name } }`, { id }, tokens.tiedong);
    expectNoErrors(asked);
    expect(asked.body.data.institution).toBeNull();
    const byProvince = await stack.request(`query($id: ID!) { institution(id: $id) { id } }`, { id }, tokens.province);
    expect(byProvince.body.data.institution.id).toBe(id);
  });

  describe('a branch viewer', () => {
    let hongyang: { id: string; name: string; region: { code: string }; partyOrganization: { id: string; kind: string } };
    let branchToken: string;

    beforeAll(async () => {
      const { body } = await stack.request<{ institutions: { edges: { node: typeof hongyang }[] } }>(
        `{ institutions(filter: { nameContains: "辽宁弘扬律师事务所" }, first: 5) { edges { node { id name region { code } partyOrganization { id kind } } } } }`,
        {},
        tokens.province,
      );
      hongyang = expectNoErrors(body).institutions.edges.find((e) => e.node.name === '辽宁弘扬律师事务所')!.node;
      branchToken = await stack.token({ tier: 'BRANCH', regionCode: hongyang.region.code, organizationId: hongyang.partyOrganization.id });
    });

    it('sees its own organization and the institutions it covers', async () => {
      const { body } = await stack.request(
        `query($id: ID!) { partyOrganization(id: $id) { id kind coveredInstitutions { id name } } viewer { tier organization { id } } }`,
        { id: hongyang.partyOrganization.id },
        branchToken,
      );
      expectNoErrors(body);
      expect(body.data.partyOrganization.kind).toBe('STANDALONE_BRANCH');
      expect(body.data.partyOrganization.coveredInstitutions.map((i: { id: string }) => i.id)).toContain(hongyang.id);
      expect(body.data.viewer).toEqual({ tier: 'BRANCH', organization: { id: hongyang.partyOrganization.id } });
    });

    it('sees no other organization and no institution it does not cover', async () => {
      const other = await stack.request<{ institutions: { edges: { node: { id: string; partyOrganization: { id: string } | null } }[] } }>(
        `{ institutions(filter: { regionCode: "210302" }, first: 50) { edges { node { id partyOrganization { id } } } } }`,
        {},
        tokens.province,
      );
      const stranger = expectNoErrors(other)
        .institutions.edges.map((e) => e.node)
        .find((n) => n.partyOrganization && n.partyOrganization.id !== hongyang.partyOrganization.id)!;
      const { body } = await stack.request(
        `query($org: ID!, $inst: ID!) { partyOrganization(id: $org) { id } institution(id: $inst) { id } }`,
        { org: stranger.partyOrganization.id, inst: stranger.id },
        branchToken,
      );
      expect(body.data).toEqual({ partyOrganization: null, institution: null });
      const listing = await stack.request(`{ institutions(first: 100) { totalCount edges { node { partyOrganization { id } } } } }`, {}, branchToken);
      expect(listing.body.data.institutions.totalCount).toBeGreaterThanOrEqual(1);
      expect(listing.body.data.institutions.edges.every((e: { node: { partyOrganization: { id: string } } }) => e.node.partyOrganization.id === hongyang.partyOrganization.id)).toBe(true);
    });
  });
});
