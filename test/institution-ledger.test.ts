import { startStack, type GraphQLResponse, type Stack } from './helpers/stack';
import { expectNoErrors, expectRefused } from './helpers/expectations';

// The organization parts of the InstitutionLedger contract operation.
const LEDGER = /* GraphQL */ `
  query Ledger($code: ID!, $kind: InstitutionKind, $first: Int!, $after: String) {
    region(code: $code) {
      code
      institutions(kind: $kind, first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor node { id name kind region { code } coverageStatus partyOrganization { id name kind } } }
      }
    }
  }
`;

describe('the institution ledger', () => {
  let stack: Stack;
  let province: string;

  beforeAll(async () => {
    stack = await startStack();
    province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
  });
  afterAll(() => stack?.stop());

  async function allPages(code: string, token: string, first: number) {
    const nodes: any[] = [];
    const totals = new Set<number>();
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const { body }: GraphQLResponse = await stack.request(LEDGER, { code, kind: 'LAW_FIRM', first, after }, token);
      expectNoErrors(body);
      const connection: any = body.data.region.institutions;
      totals.add(connection.totalCount);
      nodes.push(...connection.edges.map((e: any) => e.node));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    return { nodes, totals };
  }

  it('pages through all 1058 law firms of the province with no repeats and no gaps', async () => {
    const { nodes, totals } = await allPages('210000', province, 100);
    expect([...totals]).toEqual([1058]);
    expect(nodes).toHaveLength(1058);
    expect(new Set(nodes.map((n) => n.id)).size).toBe(1058);
    expect(nodes.every((n) => n.kind === 'LAW_FIRM')).toBe(true);
  });

  it('agrees with the coverage figures: each firm’s status matches its organization', async () => {
    const { nodes } = await allPages('210000', province, 100);
    const { body } = await stack.request(`{ region(code: "210000") { coverage(kind: LAW_FIRM) { standalone joint covered } } }`, {}, province);
    const coverage = body.data.region.coverage;
    expect(nodes.filter((n) => n.coverageStatus === 'STANDALONE_BRANCH')).toHaveLength(coverage.standalone);
    expect(nodes.filter((n) => n.coverageStatus === 'JOINT_BRANCH')).toHaveLength(coverage.joint);
    for (const node of nodes) {
      if (node.coverageStatus === 'UNCOVERED') expect(node.partyOrganization).toBeNull();
      if (node.coverageStatus === 'JOINT_BRANCH') expect(node.partyOrganization.kind).toBe('JOINT_BRANCH');
      if (node.coverageStatus === 'STANDALONE_BRANCH') expect(node.partyOrganization.kind).toBe('STANDALONE_BRANCH');
    }
  });

  it('gives a city viewer the same pages of its city as the province gets', async () => {
    const anshan = await stack.token({ tier: 'CITY', regionCode: '210300' });
    const byCity = await allPages('210300', anshan, 7);
    const byProvince = await allPages('210300', province, 7);
    expect(byCity.nodes.map((n) => n.id)).toEqual(byProvince.nodes.map((n) => n.id));
    expect(byCity.nodes.every((n) => n.region.code.startsWith('2103'))).toBe(true);
  });

  it('refuses a page larger than the cap and a cursor it did not make', async () => {
    const big = await stack.request(LEDGER, { code: '210000', first: 99999999 }, province);
    expectRefused(big, 'BAD_USER_INPUT', { message: /first must be between 1 and 100/ });
    const forged = await stack.request(LEDGER, { code: '210000', first: 10, after: "' OR '1'='1" }, province);
    expectRefused(forged, 'BAD_USER_INPUT', { field: 'after' });
  });

  it('matches names literally, wildcards included', async () => {
    const search = (text: string) =>
      stack.request(`query($t: String!) { institutions(filter: { nameContains: $t }, first: 100) { totalCount } }`, { t: text }, province);
    expect((await search('律师事务所')).body.data.institutions.totalCount).toBeGreaterThanOrEqual(1058);
    expect((await search('%')).body.data.institutions.totalCount).toBe(0);
    expect((await search('_')).body.data.institutions.totalCount).toBe(0);
    expect((await search("' OR '1'='1")).body.data.institutions.totalCount).toBe(0);
  });
});
