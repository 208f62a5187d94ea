import type { Client } from 'pg';
import { todayInChina } from '../shared/src/validation';
import { listenForAnnouncements, type Announcements } from './helpers/announcements';
import { expectNoErrors } from './helpers/expectations';
import type { Config } from '../shared/src/config';
import { startStack, type Stack } from './helpers/stack';

const COUNTY = '210302';
const CITY = '210300';
const PROVINCE = '210000';

const STATS = `query($code: ID!, $year: Int!) { region(code: $code) { activityStats(year: $year) { total byKind { kind count } obligationsMet organizationalLifeComplianceRate } } }`;
const GAPS = `query($code: ID!, $year: Int!) { region(code: $code) { organizationalLifeGaps(year: $year, first: 50) { totalCount edges { periodsMissed node { id } } } } }`;
const VISITS = `query($code: ID!) { region(code: $code) { institutionsWithoutVisit(sinceMonths: 6, first: 50) { totalCount edges { node { id } } } } }`;
const RECORD = `mutation($input: RecordActivityInput!) { recordActivity(input: $input) { id } }`;

describe('a change of activities is announced with the years and kinds of the rows it touched', () => {
  let stack: Stack;
  let announcements: Announcements;
  let db: Client;

  beforeAll(async () => {
    stack = await startStack({ registerSyncMs: 0 });
    announcements = await listenForAnnouncements(stack, 'activities');
    db = announcements.db;
  });
  afterAll(async () => {
    await announcements?.end();
    await stack?.stop();
  });

  const announced = (statement: string, values: unknown[], table: string) => announcements.announced(statement, values, table);

  it('a new title of a 2018 Party day: that year and that kind', async () => {
    const { rows } = await db.query(`SELECT id FROM activities.activity WHERE kind = 'THEME_PARTY_DAY' AND extract(year FROM held_on) = 2018 LIMIT 1`);
    try {
      const [change] = await announced(`UPDATE activities.activity SET title = title || '·' WHERE id = $1`, [rows[0].id], 'activity');
      expect(change.f).toEqual({ year: ['2018'], activityKind: ['THEME_PARTY_DAY'] });
    } finally {
      await db.query(`UPDATE activities.activity SET title = rtrim(title, '·') WHERE id = $1`, [rows[0].id]);
    }
  });

  it('a Party day moved from 2018 to 2019: both years, in the activity and in the counters it moves', async () => {
    const { rows } = await db.query(`SELECT id, held_on::text AS held_on FROM activities.activity WHERE kind = 'THEME_PARTY_DAY' AND status = 'HELD' AND held_on BETWEEN '2018-03-01' AND '2018-03-28' LIMIT 1`);
    try {
      const changes = await announcements.heardDuring(() => db.query(`UPDATE activities.activity SET held_on = held_on + interval '1 year' WHERE id = $1`, [rows[0].id]));
      const activity = changes.find((change) => change.i.includes('@activity'))!;
      expect(activity.f).toEqual({ year: ['2018', '2019'], activityKind: ['THEME_PARTY_DAY'] });
      const counters = changes.filter((change) => change.i.includes('@activity_region_stats') || change.i.includes('@organizational_life_line'));
      expect(counters.length).toBeGreaterThan(0);
      // The counters of the year left and of the year joined, each announced with its own.
      expect(new Set(counters.flatMap((change) => change.f?.year ?? ['any']))).toEqual(new Set(['2018', '2019']));
    } finally {
      await db.query(`UPDATE activities.activity SET held_on = $2::date WHERE id = $1`, [rows[0].id, rows[0].held_on]);
    }
  });

  it('tables that keep no year or kind announce none', async () => {
    const { rows } = await db.query(`SELECT organization_id FROM activities.registered_organization LIMIT 1`);
    const [change] = await announced(`UPDATE activities.registered_organization SET described_at = described_at WHERE organization_id = $1`, [rows[0].organization_id], 'registered_organization');
    expect(change.f).toBeUndefined();
  });
});

/** Where the answers are kept: whole at the gateway, as the subgraphs' answers to its fetches, or in the activities subgraph alone. */
describe.each<{ layer: string; options: Partial<Config> }>([
  { layer: 'the gateway’s whole answers', options: {} },
  { layer: 'the gateway’s fetches', options: { responseCacheEntries: 0 } },
  { layer: 'the activities subgraph’s reads', options: { responseCacheEntries: 0, fetchCacheEntries: 0 } },
])('a 2019 Party day keeps every 2018 figure and work list, and every list of guidance visits: $layer', ({ layer, options }) => {
  let stack: Stack;
  let db: Client;
  let province: string;
  let county: string;
  let branch: string;
  let station: { id: string; officers: string[] };

  beforeAll(async () => {
    stack = await startStack({ registerSyncMs: 0, ...options });
    db = await stack.database();
    province = await stack.token({ tier: 'PROVINCE', regionCode: PROVINCE });
    county = await stack.token({ tier: 'COUNTY', regionCode: COUNTY, roles: ['editor'] });
    const found = expectNoErrors(
      await stack.request(
        `{ institutions(filter: { nameContains: "辽宁弘扬律师事务所" }, first: 1) { edges { node { partyOrganization { id } } } }
           region(code: "${COUNTY}") { guidanceStation { id guidanceOfficers { id } } } }`,
        {},
        province,
      ),
    );
    branch = found.institutions.edges[0].node.partyOrganization.id;
    station = { id: found.region.guidanceStation.id, officers: found.region.guidanceStation.guidanceOfficers.map((m: { id: string }) => m.id) };
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  const ask = async (query: string, variables: Record<string, unknown>, token: string) => expectNoErrors(await stack.request(query, variables, token));
  /** What the activities subgraph was asked, or, with the gateway keeping nothing, what it sent to PostgreSQL. */
  const activitiesWork = () => (options.fetchCacheEntries === 0 ? stack.sqlStatements().activities : stack.subgraphRequests().activities);
  /** The same question with every cache emptied: what PostgreSQL says now. */
  const uncached = async (query: string, variables: Record<string, unknown>, token: string) => {
    stack.forgetCachedReads();
    return ask(query, variables, token);
  };

  it(`the county, its city and the province read 2018 as before without asking again, and 2019 with the new Party day (${layer})`, async () => {
    const callers = [
      { code: COUNTY, token: county },
      { code: CITY, token: province },
      { code: PROVINCE, token: province },
    ];
    const before = new Map<string, unknown>();
    for (const { code, token } of callers) {
      for (const year of [2018, 2019]) {
        before.set(`stats|${code}|${year}`, await ask(STATS, { code, year }, token));
        before.set(`gaps|${code}|${year}`, await ask(GAPS, { code, year }, token));
      }
      before.set(`visits|${code}`, await ask(VISITS, { code }, token));
    }

    expectNoErrors(await stack.request(RECORD, { input: { organizerOrganizationId: branch, kind: 'THEME_PARTY_DAY', title: '跨年缓存主题党日', date: '2019-06-18' } }, county));

    let work = activitiesWork();
    for (const { code, token } of callers) expect(await ask(STATS, { code, year: 2018 }, token)).toEqual(before.get(`stats|${code}|2018`));
    // Kept: no figure of 2018 was read again.
    expect(activitiesWork()).toBe(work);
    work = activitiesWork();
    for (const { code, token } of callers) {
      expect(await ask(GAPS, { code, year: 2018 }, token)).toEqual(before.get(`gaps|${code}|2018`));
      expect(await ask(VISITS, { code }, token)).toEqual(before.get(`visits|${code}`));
    }
    // The work lists are kept by the gateway only (the subgraph reads them afresh for each fetch): there, neither was read again.
    if (options.fetchCacheEntries !== 0) expect(activitiesWork()).toBe(work);

    for (const { code, token } of callers) {
      const stats = await ask(STATS, { code, year: 2019 }, token);
      const previous = before.get(`stats|${code}|2019`) as typeof stats;
      expect(stats.region.activityStats.total).toBe(previous.region.activityStats.total + 1);
      expect(stats).toEqual(await uncached(STATS, { code, year: 2019 }, token));
      expect(await ask(GAPS, { code, year: 2019 }, token)).toEqual(await uncached(GAPS, { code, year: 2019 }, token));
    }
  });

  it(`a guidance visit takes its institution off the county’s, city’s and province’s lists of visits owed (${layer})`, async () => {
    const listed = await ask(VISITS, { code: COUNTY }, county);
    const forCity = await ask(VISITS, { code: CITY }, province);
    expect(listed.region.institutionsWithoutVisit.totalCount).toBeGreaterThan(0);
    const institution = listed.region.institutionsWithoutVisit.edges[0].node.id;

    expectNoErrors(
      await stack.request(
        RECORD,
        { input: { kind: 'GUIDANCE_VISIT', title: '上门指导', date: todayInChina(), organizerOrganizationId: null, organizerStationId: station.id, institutionId: institution, officerId: station.officers[0] } },
        county,
      ),
    );

    const after = await ask(VISITS, { code: COUNTY }, county);
    expect(after.region.institutionsWithoutVisit.totalCount).toBe(listed.region.institutionsWithoutVisit.totalCount - 1);
    expect(after.region.institutionsWithoutVisit.edges.map((edge: { node: { id: string } }) => edge.node.id)).not.toContain(institution);
    const cityAfter = await ask(VISITS, { code: CITY }, province);
    expect(cityAfter.region.institutionsWithoutVisit.totalCount).toBe(forCity.region.institutionsWithoutVisit.totalCount - 1);
    expect(cityAfter).toEqual(await uncached(VISITS, { code: CITY }, province));
  });
});
