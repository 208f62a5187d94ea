import type { Client } from 'pg';
import { startStack, type Stack } from './helpers/stack';
import { expectData, expectNoErrors, expectRefused } from './helpers/expectations';
import { BranchProfileDocument, MemberProfileDocument, ProvinceDashboardDocument } from '../examples/client/generated';

const STATS = `commendationStats(year: $year) { approved nominated rejected revoked byCategory { category count } byLevel { level count } }`;
const PAGE = /* GraphQL */ `
  query Page($filter: CommendationFilter, $first: Int, $after: String) {
    commendations(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id category level year status region { code } decidedOn
        recipient { __typename ... on Member { id partyStatus fullOn } ... on PartyOrganization { id organizationKind: kind foundedOn dissolvedOn } ... on Institution { id institutionKind: kind state } } } }
    }
  }
`;

/** A region's commendation figures, as STATS selects them. */
interface Stats {
  approved: number;
  nominated: number;
  rejected: number;
  revoked: number;
  byCategory: { category: string; count: number }[];
  byLevel: { level: string; count: number }[];
}

/** A commendation, as PAGE selects it; the recipient's fields are those of its kind. */
interface Listed {
  id: string;
  category: string;
  level: string;
  year: number;
  status: string;
  region: { code: string };
  decidedOn: string;
  recipient: { __typename: string; id: string; partyStatus: string; fullOn: string; organizationKind: string; foundedOn: string; dissolvedOn: string | null; institutionKind: string; state: string };
}

interface Page {
  commendations: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: Listed }[] };
}

/** Every count of a stats object, keyed `approved`, `nominated`, …, `category:X` and `level:Y`. */
function counts(stats: Stats): Record<string, number> {
  const out: Record<string, number> = { approved: stats.approved, nominated: stats.nominated, rejected: stats.rejected, revoked: stats.revoked };
  for (const { category, count } of stats.byCategory) out[`category:${category}`] = count;
  for (const { level, count } of stats.byLevel) out[`level:${level}`] = count;
  return out;
}

function add(total: Record<string, number>, more: Record<string, number>): Record<string, number> {
  for (const [key, value] of Object.entries(more)) total[key] = (total[key] ?? 0) + value;
  return total;
}

describe('commendations in the demo dataset', () => {
  let stack: Stack;
  let db: Client;
  let province: string;

  const page = async (filter: Record<string, unknown>, token = province) => {
    const nodes: Listed[] = [];
    let after: string | null = null;
    let totalCount = 0;
    for (;;) {
      const listed: Page['commendations'] = expectNoErrors(await stack.request<Page>(PAGE, { filter, first: 100, after }, token)).commendations;
      totalCount = listed.totalCount;
      nodes.push(...listed.edges.map((e) => e.node));
      if (!listed.pageInfo.hasNextPage) break;
      after = listed.pageInfo.endCursor;
    }
    expect(nodes).toHaveLength(totalCount);
    return nodes;
  };

  const stats = async (code: string, year: number, token = province) => {
    const { body } = await stack.request<{ region: { commendationStats: Stats } | null }>(`query($code: ID!, $year: Int!) { region(code: $code) { ${STATS} } }`, { code, year }, token);
    expectNoErrors(body);
    // Undefined where the region lies outside the caller's tier, which a test checks.
    return body.data?.region?.commendationStats as Stats;
  };

  beforeAll(async () => {
    stack = await startStack();
    db = await stack.database();
    province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
  });
  afterAll(() => stack?.stop());

  it('gives the province the 2016 cycle of the source: 30 advanced branches, 100 lawyers, 20 Party workers, 2 most beautiful people', async () => {
    const province2016 = await stats('210000', 2016);
    expect(province2016.byCategory).toEqual([
      { category: 'ADVANCED_BRANCH', count: 30 },
      { category: 'EXCELLENT_PARTY_MEMBER_LAWYER', count: 100 },
      { category: 'EXCELLENT_PARTY_WORKER', count: 20 },
      { category: 'MOST_BEAUTIFUL_PERSON', count: 2 },
    ]);
    expect(province2016.approved).toBe(152);
    expect(province2016.byLevel).toEqual([{ level: 'PROVINCIAL', count: 152 }]);
    // The review turned some nominations down; none is waiting or revoked at the end of 2019.
    expect(province2016.rejected).toBeGreaterThan(0);
    expect(province2016).toMatchObject({ nominated: 0, revoked: 0 });
  });

  it('answers the commendation part of ProvinceDashboard: the province is the sum of its cities, and every city of its counties', async () => {
    for (const year of [2016, 2017, 2018]) {
      type Line = { code: string; commendationStats: Stats };
      const answer = await stack.request<{ province: Line; cities: Line[]; counties: Line[] }>(
        `query($year: Int!) { province: region(code: "210000") { ${STATS} } cities: regions(level: CITY) { code ${STATS} } counties: regions(level: COUNTY) { code ${STATS} } }`,
        { year },
        province,
      );
      const { province: whole, cities, counties } = expectNoErrors(answer);
      expect(cities).toHaveLength(14);
      expect(counties).toHaveLength(100);
      expect(whole.commendationStats.approved).toBeGreaterThan(0);
      expect(cities.reduce((total, city) => add(total, counts(city.commendationStats)), {})).toEqual(counts(whole.commendationStats));
      for (const city of cities) {
        const own = counties.filter((county) => county.code.slice(0, 4) === city.code.slice(0, 4));
        expect(own.reduce((total, county) => add(total, counts(county.commendationStats)), {})).toEqual(counts(city.commendationStats));
      }
      // Awards are spread over the cities, not piled on a few.
      if (year === 2016) expect(cities.every((city) => city.commendationStats.approved > 0)).toBe(true);
    }
  });

  it('holds the 2018 national awards, the demonstration sites and the 468 recommendations of the source', async () => {
    const total = async (filter: Record<string, unknown>) =>
      (await stack.request(`query($f: CommendationFilter) { commendations(filter: $f, first: 1) { totalCount } }`, { f: filter }, province)).body.data.commendations.totalCount;
    expect(await total({ level: 'NATIONAL', year: 2018, category: 'ADVANCED_BRANCH', status: 'APPROVED' })).toBe(3);
    expect(await total({ level: 'NATIONAL', year: 2018, category: 'EXCELLENT_PARTY_MEMBER_LAWYER', status: 'APPROVED' })).toBe(6);
    expect(await total({ level: 'NATIONAL' })).toBe(9);
    expect(await total({ category: 'REPRESENTATIVE_RECOMMENDATION', status: 'APPROVED' })).toBe(468);
    expect(await total({ category: 'DEMONSTRATION_SITE', level: 'PROVINCIAL', status: 'APPROVED' })).toBe(3);
    expect(await total({ category: 'DEMONSTRATION_SITE', level: 'CITY', status: 'APPROVED' })).toBe(16);
    const sites = await page({ category: 'DEMONSTRATION_SITE', level: 'CITY', status: 'APPROVED' });
    expect(new Set(sites.map((site) => site.region.code.slice(0, 4))).size).toBe(14);
    const recommendations = await db.query(
      `SELECT count(*)::int AS all, count(DISTINCT recipient_id)::int AS people, count(*) FILTER (WHERE representative_body = 'PARTY_CONGRESS')::int AS party
         FROM commendations.commendation WHERE category = 'REPRESENTATIVE_RECOMMENDATION' AND status = 'APPROVED'`,
    );
    expect(recommendations.rows[0]).toMatchObject({ all: 468, people: 468 });
    expect(recommendations.rows[0].party).toBeGreaterThan(0);
  });

  it('gave every award to a recipient eligible on the decision date', async () => {
    const lawyers = await page({ category: 'EXCELLENT_PARTY_MEMBER_LAWYER', status: 'APPROVED' });
    expect(lawyers).toHaveLength(106);
    const workers = await page({ category: 'EXCELLENT_PARTY_WORKER', status: 'APPROVED' });
    for (const award of [...lawyers, ...workers]) {
      expect(award.recipient.__typename).toBe('Member');
      expect(award.recipient.partyStatus).toBe('FULL');
      expect(award.recipient.fullOn <= award.decidedOn).toBe(true);
    }
    const practices = await db.query(
      `SELECT DISTINCT m.practice_kind FROM commendations.commendation c JOIN members.member m ON m.id = c.recipient_id
        WHERE c.category = 'EXCELLENT_PARTY_MEMBER_LAWYER'`,
    );
    expect(practices.rows).toEqual([{ practice_kind: 'LAWYER' }]);

    const branches = await page({ category: 'ADVANCED_BRANCH', status: 'APPROVED' });
    expect(branches).toHaveLength(33);
    for (const award of branches) {
      expect(award.recipient.__typename).toBe('PartyOrganization');
      expect(award.recipient.dissolvedOn).toBeNull();
      expect(award.recipient.organizationKind).not.toBe('INDUSTRY_COMMITTEE');
      expect(award.recipient.foundedOn <= award.decidedOn).toBe(true);
    }
    const sites = await page({ category: 'DEMONSTRATION_SITE', status: 'APPROVED' });
    for (const site of sites) expect(site.recipient).toMatchObject({ __typename: 'Institution', institutionKind: 'LAW_FIRM', state: 'OPERATING' });
  });

  it('answers the commendation parts of MemberProfile and BranchProfile', async () => {
    const [lawyer] = await page({ category: 'EXCELLENT_PARTY_MEMBER_LAWYER', level: 'NATIONAL' });
    const profile = await stack.request(
      `query($id: ID!) { member(id: $id) { id partyOrganization { id } commendations { id category level year status } } }`,
      { id: lawyer.recipient.id },
      province,
    );
    expectNoErrors(profile);
    const member = profile.body.data.member;
    expect(member.commendations).toContainEqual({ id: lawyer.id, category: 'EXCELLENT_PARTY_MEMBER_LAWYER', level: 'NATIONAL', year: 2018, status: 'APPROVED' });
    // Newest first.
    const years = member.commendations.map((c: any) => c.year);
    expect([...years].sort((a, b) => b - a)).toEqual(years);

    const branch = await stack.request(
      `query($id: ID!) { partyOrganization(id: $id) { id commendations { id category level year status } members { id commendations { id category year status } } } }`,
      { id: member.partyOrganization.id },
      province,
    );
    expectNoErrors(branch);
    const own = branch.body.data.partyOrganization.members.find((m: any) => m.id === member.id);
    expect(own.commendations).toContainEqual({ id: lawyer.id, category: 'EXCELLENT_PARTY_MEMBER_LAWYER', year: 2018, status: 'APPROVED' });

    const [advanced] = await page({ category: 'ADVANCED_BRANCH', level: 'PROVINCIAL', status: 'APPROVED' });
    const awarded = await stack.request(`query($id: ID!) { partyOrganization(id: $id) { commendations { id category level year status } } }`, { id: advanced.recipient.id }, province);
    expect(awarded.body.data.partyOrganization.commendations).toContainEqual({ id: advanced.id, category: 'ADVANCED_BRANCH', level: 'PROVINCIAL', year: 2016, status: 'APPROVED' });

    const [site] = await page({ category: 'DEMONSTRATION_SITE', level: 'PROVINCIAL' });
    const institution = await stack.request(`query($id: ID!) { institution(id: $id) { name commendations { id category level } } }`, { id: site.recipient.id }, province);
    expect(institution.body.data.institution.commendations).toContainEqual({ id: site.id, category: 'DEMONSTRATION_SITE', level: 'PROVINCIAL' });
  });

  it('answers the contract operations as consumers send them, with their commendation parts', async () => {
    // Other subgraphs' parts are theirs to test; a failure there must not blank these fields.
    const dashboard = expectData(await stack.request(ProvinceDashboardDocument, { code: '210000', year: 2019, awardYear: 2016 }, province));
    expect(dashboard.region.commendationStats.byCategory).toEqual([
      { category: 'ADVANCED_BRANCH', count: 30 },
      { category: 'EXCELLENT_PARTY_MEMBER_LAWYER', count: 100 },
      { category: 'EXCELLENT_PARTY_WORKER', count: 20 },
      { category: 'MOST_BEAUTIFUL_PERSON', count: 2 },
    ]);
    const cities = dashboard.region.children;
    expect(cities).toHaveLength(14);
    expect(cities.reduce((total, city) => total + city.commendationStats.approved, 0)).toBe(dashboard.region.commendationStats.approved);

    const [lawyer] = await page({ category: 'EXCELLENT_PARTY_MEMBER_LAWYER', level: 'NATIONAL' });
    const member = expectData(await stack.request(MemberProfileDocument, { id: lawyer.recipient.id, year: 2019 }, province));
    expect(member.member.commendations).toContainEqual({ id: lawyer.id, category: 'EXCELLENT_PARTY_MEMBER_LAWYER', level: 'NATIONAL', year: 2018, status: 'APPROVED' });

    const [advanced] = await page({ category: 'ADVANCED_BRANCH', level: 'NATIONAL' });
    const branch = expectData(await stack.request(BranchProfileDocument, { id: advanced.recipient.id, year: 2019 }, province));
    expect(branch.partyOrganization.commendations).toContainEqual({ id: advanced.id, category: 'ADVANCED_BRANCH', level: 'NATIONAL', year: 2018, status: 'APPROVED' });
    const awardedMembers = await db.query(
      `SELECT recipient_id::text AS id, count(*)::int AS n FROM commendations.commendation WHERE organization_id = $1 AND recipient_kind = 'MEMBER' GROUP BY recipient_id`,
      [advanced.recipient.id],
    );
    for (const { id, n } of awardedMembers.rows) {
      expect(branch.partyOrganization.members.find((m) => m.id === id)?.commendations).toHaveLength(n);
    }
  });

  it('shows each program with its quotas and awards: the provincial cycle filled its 2016 quotas exactly', async () => {
    const { body } = await stack.request(
      `query($first: Int) { commendationPrograms(filter: { year: 2016 }, first: $first) { totalCount edges { node { name level year region { code } opensOn closesOn categories { category quota approved } } } } }`,
      { first: 10 },
      province,
    );
    expectNoErrors(body);
    const cycle = body.data.commendationPrograms.edges.map((e: any) => e.node).find((p: any) => p.level === 'PROVINCIAL');
    expect(cycle).toMatchObject({ year: 2016, region: { code: '210000' } });
    expect(cycle.name).toMatch(/2016年辽宁省/);
    expect(cycle.categories).toEqual([
      { category: 'ADVANCED_BRANCH', quota: 30, approved: 30 },
      { category: 'EXCELLENT_PARTY_MEMBER_LAWYER', quota: 100, approved: 100 },
      { category: 'EXCELLENT_PARTY_WORKER', quota: 20, approved: 20 },
      { category: 'MOST_BEAUTIFUL_PERSON', quota: 2, approved: 2 },
    ]);
  });

  it('pages through every commendation and every program with no repeats and no gaps', async () => {
    const all = await page({});
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
    expect(all.length).toBe((await db.query(`SELECT count(*)::int AS n FROM commendations.commendation`)).rows[0].n);

    const programs: any[] = [];
    let after: string | null = null;
    for (;;) {
      const { body }: any = await stack.request(
        `query($first: Int, $after: String) { commendationPrograms(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id year level } } } }`,
        { first: 7, after },
        province,
      );
      expectNoErrors(body);
      programs.push(...body.data.commendationPrograms.edges.map((e: any) => e.node));
      expect(body.data.commendationPrograms.totalCount).toBe(132);
      if (!body.data.commendationPrograms.pageInfo.hasNextPage) break;
      after = body.data.commendationPrograms.pageInfo.endCursor;
    }
    expect(programs).toHaveLength(132);
    expect(new Set(programs.map((p) => p.id)).size).toBe(132);
    const years = programs.map((p) => p.year);
    expect([...years].sort((a, b) => b - a)).toEqual(years);

    const { body } = await stack.request(`{ commendations(after: "bm90IGEgY3Vyc29y") { totalCount } }`, {}, province);
    expectRefused(body, 'BAD_USER_INPUT', { field: 'after' });
  });

  describe('who sees what', () => {
    it('a county station sees the national and provincial programs, its city’s and its own, and no other city’s', async () => {
      const tiedong = await stack.token({ tier: 'COUNTY', regionCode: '210302' });
      const { body } = await stack.request(`query($first: Int) { commendationPrograms(first: $first) { totalCount edges { node { level region { code } } } } }`, { first: 100 }, tiedong);
      expectNoErrors(body);
      const programs = body.data.commendationPrograms.edges.map((e: any) => e.node);
      expect(programs).toHaveLength(body.data.commendationPrograms.totalCount);
      expect(programs.filter((p: any) => p.level === 'NATIONAL')).toEqual([{ level: 'NATIONAL', region: null }]);
      expect(programs.filter((p: any) => p.level === 'PROVINCIAL').length).toBe(3);
      // Regions above the county are not the county's to see, so those programs name none.
      expect(programs.every((p: any) => p.region === null || p.region.code === '210302')).toBe(true);
      const counties = programs.filter((p: any) => p.level === 'COUNTY');
      expect(counties).toEqual([{ level: 'COUNTY', region: { code: '210302' } }]);
      const cityPrograms = await db.query(`SELECT count(*)::int AS n FROM commendations.commendation_program WHERE region_code = '210300'`);
      expect(programs.filter((p: any) => p.level === 'CITY')).toHaveLength(cityPrograms.rows[0].n);

      const dalian = await db.query(`SELECT id FROM commendations.commendation_program WHERE region_code = '210200' LIMIT 1`);
      const hidden = await stack.request(`query($id: ID!) { commendationProgram(id: $id) { id } }`, { id: dalian.rows[0].id }, tiedong);
      expect(hidden.body.data.commendationProgram).toBeNull();
    });

    it('a city viewer sees Anshan’s commendations, adding up to what the province sees of Anshan, and nothing of Dalian', async () => {
      const anshan = await stack.token({ tier: 'CITY', regionCode: '210300' });
      const seen = await page({ year: 2016, status: 'APPROVED' }, anshan);
      expect(seen.every((c) => c.region.code.startsWith('2103'))).toBe(true);
      expect(seen).toHaveLength((await stats('210300', 2016)).approved);
      expect(await stats('210000', 2016, anshan)).toBeUndefined();
      expect(counts(await stats('210300', 2016, anshan))).toEqual(counts(await stats('210300', 2016)));

      const [dalianAward] = await page({ regionCode: '210200', year: 2016, status: 'APPROVED' });
      const { body } = await stack.request(`query($id: ID!) { commendation(id: $id) { id } }`, { id: dalianAward.id }, anshan);
      expect(body.data.commendation).toBeNull();
    });

    it('a county viewer cannot see the next county’s commendations', async () => {
      const counties = await db.query(
        `SELECT region_code, min(id::text) AS id FROM commendations.commendation WHERE region_code IN ('210302', '210303') GROUP BY region_code ORDER BY region_code`,
      );
      expect(counties.rows).toHaveLength(2);
      const [own, next] = counties.rows;
      const tiedong = await stack.token({ tier: 'COUNTY', regionCode: '210302' });
      const { body } = await stack.request(`query($a: ID!, $b: ID!) { a: commendation(id: $a) { id } b: commendation(id: $b) { id } }`, { a: own.id, b: next.id }, tiedong);
      expect(body.data).toEqual({ a: { id: own.id }, b: null });
      const malformed = await stack.request(`{ commendation(id: "not-an-id") { id } }`, {}, tiedong);
      expect(malformed.body).toEqual({ data: { commendation: null } });
      const listed = await page({}, tiedong);
      expect(listed.length).toBeGreaterThan(0);
      expect(listed.every((c) => c.region.code === '210302')).toBe(true);
    });

    it('a branch sees its own commendations and its members’, and nothing else', async () => {
      const [advanced] = await page({ category: 'ADVANCED_BRANCH', level: 'NATIONAL' });
      const branchId = advanced.recipient.id;
      const county = advanced.region.code;
      const expected = await db.query(`SELECT id::text FROM commendations.commendation WHERE organization_id = $1 ORDER BY id`, [branchId]);
      const branch = await stack.token({ tier: 'BRANCH', regionCode: county, organizationId: branchId });
      const seen = await page({}, branch);
      expect(seen.map((c) => c.id).sort()).toEqual(expected.rows.map((r) => r.id));
      expect(seen.some((c) => c.recipient?.__typename === 'PartyOrganization' && c.recipient.id === branchId)).toBe(true);

      const elsewhere = await db.query(`SELECT id::text FROM commendations.commendation WHERE region_code = $1 AND organization_id IS DISTINCT FROM $2 LIMIT 1`, [county, branchId]);
      if (elsewhere.rows[0]) {
        const { body } = await stack.request(`query($id: ID!) { commendation(id: $id) { id } }`, { id: elsewhere.rows[0].id }, branch);
        expect(body.data.commendation).toBeNull();
      }
      const other = await page({ category: 'ADVANCED_BRANCH', level: 'PROVINCIAL' });
      const stranger = other.find((c) => c.recipient.id !== branchId)!;
      const { body } = await stack.request(`query($id: ID!) { commendation(id: $id) { id } }`, { id: stranger.id }, branch);
      expect(body.data.commendation).toBeNull();
    });
  });
});
