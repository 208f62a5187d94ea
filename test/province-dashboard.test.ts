import { startStack, type Stack } from './helpers/stack';
import { expectNoErrors } from './helpers/expectations';

// The organization parts of the ProvinceDashboard contract operation.
const DASHBOARD = /* GraphQL */ `
  query Dashboard($code: ID!) {
    region(code: $code) {
      code name level
      guidanceStation { id name tier }
      coverage(kind: LAW_FIRM) { institutions covered standalone joint rate partyOrganizations standaloneBranches jointBranches }
      children {
        code name level
        guidanceStation { id name tier }
        coverage(kind: LAW_FIRM) { institutions covered standalone joint rate partyOrganizations standaloneBranches jointBranches }
        children {
          code name level
          guidanceStation { id tier }
          coverage(kind: LAW_FIRM) { institutions covered standalone joint partyOrganizations standaloneBranches jointBranches }
        }
      }
    }
  }
`;

/** What the dashboard shows of a region, at each of its three levels. */
interface DashboardRegion {
  code: string;
  name: string;
  level: string;
  guidanceStation: { id: string; name: string; tier: string };
  coverage: Record<(typeof COUNTS)[number] | 'rate', number>;
  children: DashboardRegion[];
}

const COUNTS = ['institutions', 'covered', 'standalone', 'joint', 'partyOrganizations', 'standaloneBranches', 'jointBranches'] as const;
const sum = (items: DashboardRegion[], field: (typeof COUNTS)[number]) => items.reduce((total, item) => total + item.coverage[field], 0);

describe('the province dashboard', () => {
  let stack: Stack;
  let province: DashboardRegion;

  beforeAll(async () => {
    stack = await startStack();
    const token = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
    province = expectNoErrors(await stack.request<{ region: DashboardRegion }>(DASHBOARD, { code: '210000' }, token)).region;
  });
  afterAll(() => stack?.stop());

  it('shows Liaoning with its 14 cities and 100 county-level units, by their GB/T 2260 names', () => {
    expect(province).toMatchObject({ code: '210000', name: '辽宁省', level: 'PROVINCE' });
    expect(province.children).toHaveLength(14);
    expect(province.children.map((c) => c.code)).toEqual([
      '210100', '210200', '210300', '210400', '210500', '210600', '210700',
      '210800', '210900', '211000', '211100', '211200', '211300', '211400',
    ]);
    expect(province.children.find((c) => c.code === '210300')?.name).toBe('鞍山市');
    const counties = province.children.flatMap((c) => c.children);
    expect(counties).toHaveLength(100);
    expect(counties.every((c) => c.level === 'COUNTY')).toBe(true);
    expect(counties.find((c) => c.code === '210302')?.name).toBe('铁东区');
    expect(counties.find((c) => c.code === '211282')?.name).toBe('开原市');
    expect(province.children.find((c) => c.code === '210300')?.children).toHaveLength(7);
  });

  it('has a guidance station on the province, every city and every county: 1 + 14 + 100', () => {
    expect(province.guidanceStation.tier).toBe('PROVINCE');
    expect(province.children.every((c) => c.guidanceStation?.tier === 'CITY')).toBe(true);
    const counties = province.children.flatMap((c) => c.children);
    expect(counties.every((c) => c.guidanceStation?.tier === 'COUNTY')).toBe(true);
    const ids = new Set([province, ...province.children, ...counties].map((r) => r.guidanceStation.id));
    expect(ids.size).toBe(115);
  });

  it('gives the law-firm coverage figures of the source: 1058 firms, 372 organizations, 273 + 99', () => {
    const coverage = province.coverage;
    expect(coverage.institutions).toBe(1058);
    expect(coverage.partyOrganizations).toBe(372);
    expect(coverage.standaloneBranches).toBe(273);
    expect(coverage.jointBranches).toBe(99);
    expect(coverage.covered).toBeGreaterThanOrEqual(800);
    expect(coverage.covered).toBeLessThanOrEqual(899);
    expect(coverage.covered).toBe(coverage.standalone + coverage.joint);
    expect(coverage.rate).toBeGreaterThanOrEqual(0.7);
    expect(coverage.rate).toBeCloseTo(coverage.covered / coverage.institutions, 10);
  });

  it('adds up: the province is the sum of its cities, and every city the sum of its counties', () => {
    for (const field of COUNTS) {
      expect(sum(province.children, field)).toBe(province.coverage[field]);
      for (const city of province.children) expect(sum(city.children, field)).toBe(city.coverage[field]);
    }
  });
});
