import { Client } from 'pg';
import type { SubgraphName } from '../shared/src/config';
import { idNumberCheckCharacter } from '../shared/src/id-number';
import { contractOperation, fetchCacheOf, responseCacheOf, startStack, type Stack } from './helpers/stack';

const DASHBOARD = contractOperation('ProvinceDashboard');
const YEAR = 2019;
const AWARD_YEAR = 2016;
const FIGURES = `query($code: ID!, $year: Int!, $awardYear: Int!) {
  region(code: $code) {
    code
    coverage(kind: LAW_FIRM) { institutions }
    memberStats(practice: LAWYER) { practitioners }
    activityStats(year: $year) { total }
    commendationStats(year: $awardYear) { approved }
  }
}`;

/** A region's figures counted afresh from the rows, as an auditor at psql would. */
const RECOUNT = `
  SELECT (SELECT count(*) FROM organization.institution WHERE kind = 'LAW_FIRM' AND state = 'OPERATING' AND region_code LIKE $1 || '%')::int AS institutions,
         (SELECT count(*) FROM members.member WHERE practice_kind = 'LAWYER' AND region_code LIKE $1 || '%')::int AS practitioners,
         (SELECT count(*) FROM activities.activity WHERE status = 'HELD' AND extract(year FROM held_on) = $2 AND region_code LIKE $1 || '%')::int AS activities,
         (SELECT count(*) FROM commendations.commendation WHERE status = 'APPROVED' AND year = $3 AND region_code LIKE $1 || '%')::int AS approved`;

const SUBGRAPHS: SubgraphName[] = ['organization', 'members', 'activities', 'commendations'];

/** What each subgraph's `/metrics.json` says of its read cache. */
async function cacheCounters(stack: Stack): Promise<Record<SubgraphName, { hits: number; misses: number; entries: number }>> {
  const counters = {} as Record<SubgraphName, { hits: number; misses: number; entries: number }>;
  for (const name of SUBGRAPHS) {
    const metrics = (await (await fetch(stack.subgraphUrls[name].replace(/\/graphql$/, '/metrics.json'))).json()) as { readCache: { hits: number; misses: number; entries: number } };
    counters[name] = metrics.readCache;
  }
  return counters;
}

const prefixOf = (code: string) => (code.endsWith('0000') ? code.slice(0, 2) : code.endsWith('00') ? code.slice(0, 4) : code);
const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/**
 * Where another city's answers are kept: whole at the gateway, or (with the gateway's response
 * cache off) as the subgraphs' reads.
 */
const LAYERS = [
  { layer: 'the gateway’s whole answers', options: {} as { responseCacheEntries?: number; fetchCacheEntries?: number } },
  { layer: 'the gateway’s fetches', options: { responseCacheEntries: 0 } },
  { layer: 'the subgraphs’ reads', options: { responseCacheEntries: 0, fetchCacheEntries: 0 } },
];

describe.each(LAYERS)('a write in one county forgets that county’s, its city’s and the province’s figures, and keeps the rest: $layer', ({ options }) => {
  let stack: Stack;
  let db: Client;
  let province: string;
  let regions: string[];

  const figures = async (code: string) => {
    const { body } = await stack.request(FIGURES, { code, year: YEAR, awardYear: AWARD_YEAR }, province);
    expect(body.errors).toBeUndefined();
    const region = body.data.region;
    return { institutions: region.coverage.institutions, practitioners: region.memberStats.practitioners, activities: region.activityStats.total, approved: region.commendationStats.approved };
  };
  const recount = async (code: string) => (await db.query(RECOUNT, [prefixOf(code), YEAR, AWARD_YEAR])).rows[0];
  /** Every region's figures as Sanji answers them, and as counted afresh. */
  const everyRegion = async () => {
    const answered: Record<string, unknown> = {};
    const recounted: Record<string, unknown> = {};
    for (const code of regions) {
      answered[code] = await figures(code);
      recounted[code] = await recount(code);
    }
    return { answered, recounted };
  };
  /** Each city's dashboard and every region's figures, read once so that the caches hold them. */
  const warm = async () => {
    for (const code of regions.filter((c) => c.endsWith('00'))) {
      const { body } = await stack.request(DASHBOARD, { code, year: YEAR, awardYear: AWARD_YEAR }, province);
      expect(body.errors).toBeUndefined();
    }
    for (const code of regions) await figures(code);
  };

  beforeAll(async () => {
    stack = await startStack({ registerSyncMs: 0, ...options });
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
    regions = (await db.query(`SELECT code FROM organization.region ORDER BY code`)).rows.map((row) => row.code);
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  it('answers every region’s figures as a recount does, before any write', async () => {
    expect(regions).toHaveLength(115);
    const { answered, recounted } = await everyRegion();
    expect(answered).toEqual(recounted);
  });

  it('after writes to all four subgraphs in 铁东区, every region reads as a recount, and 大连市’s cached answers are served without SQL', async () => {
    await warm();
    const editor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'], subject: 'tiedong-editor' });
    const admin = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['admin'], subject: 'tiedong-admin' });
    const hongyang = (await stack.request(`{ institutions(filter: { nameContains: "辽宁弘扬律师事务所" }, first: 1) { edges { node { id partyOrganization { id } } } } }`, {}, editor)).body.data
      .institutions.edges[0].node;
    const secretary = await stack.token({ tier: 'BRANCH', regionCode: '210302', organizationId: hongyang.partyOrganization.id, roles: ['editor'] });
    const before = { tiedong: await figures('210302'), anshan: await figures('210300'), liaoning: await figures('210000') };

    const writes = [
      await stack.request(
        `mutation($input: RegisterInstitutionInput!) { registerInstitution(input: $input) { id } }`,
        { input: { name: '铁东区域缓存律师事务所', kind: 'LAW_FIRM', licenseNumber: '31210302MD9900002X', regionCode: '210302', approvedOn: '2019-03-01' } },
        editor,
      ),
      await stack.request(
        `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`,
        {
          input: {
            name: '区域缓存',
            gender: 'FEMALE',
            ethnicity: '汉族',
            birthDate: '1990-05-06',
            idNumber: '21030219900506702' + idNumberCheckCharacter('21030219900506702'),
            institutionId: hongyang.id,
            licenseNumber: '12103201900000990',
          },
        },
        editor,
      ),
      await stack.request(
        `mutation($input: RecordActivityInput!) { recordActivity(input: $input) { id } }`,
        { input: { organizerOrganizationId: hongyang.partyOrganization.id, kind: 'THEME_PARTY_DAY', title: '区域缓存主题党日', date: `${YEAR}-11-05` } },
        secretary,
      ),
      await stack.request(
        `mutation($input: CreateCommendationProgramInput!) { createCommendationProgram(input: $input) { id } }`,
        { input: { name: '铁东区评先', regionCode: '210302', year: AWARD_YEAR, opensOn: `${AWARD_YEAR}-01-01`, closesOn: `${AWARD_YEAR}-12-31`, categories: [{ category: 'ADVANCED_BRANCH', quota: 1 }] } },
        admin,
      ),
    ];
    expect(writes.map((w) => w.body.errors)).toEqual([undefined, undefined, undefined, undefined]);

    // Another city's answers were kept: its dashboard and figures are answered from what was kept, without SQL.
    const gatewayBefore = await responseCacheOf(stack);
    const fetchesBefore = await fetchCacheOf(stack);
    const cachesBefore = await cacheCounters(stack);
    const requestsBefore = total(stack.subgraphRequests());
    const statementsBefore = total(stack.sqlStatements());
    await stack.request(DASHBOARD, { code: '210200', year: YEAR, awardYear: AWARD_YEAR }, province);
    const dalian = regions.filter((c) => c.startsWith('2102'));
    for (const code of dalian) await figures(code);
    expect(total(stack.sqlStatements()) - statementsBefore).toBe(0);
    const gatewayAfter = await responseCacheOf(stack);
    const fetchesAfter = await fetchCacheOf(stack);
    const cachesAfter = await cacheCounters(stack);
    if (options.responseCacheEntries === 0 && options.fetchCacheEntries !== 0) {
      // Each fetch of the plans, at the gateway: no subgraph is asked at all.
      expect(total(stack.subgraphRequests()) - requestsBefore).toBe(0);
      expect({ hits: fetchesAfter.hits - fetchesBefore.hits > 0, misses: fetchesAfter.misses - fetchesBefore.misses }).toEqual({ hits: true, misses: 0 });
    } else if (options.responseCacheEntries === 0) {
      for (const name of SUBGRAPHS) {
        expect({ name, hits: cachesAfter[name].hits > cachesBefore[name].hits, misses: cachesAfter[name].misses - cachesBefore[name].misses }).toEqual({ name, hits: true, misses: 0 });
      }
    } else {
      // Whole, at the gateway: no subgraph is asked at all.
      expect(total(stack.subgraphRequests()) - requestsBefore).toBe(0);
      expect({ hits: gatewayAfter.hits - gatewayBefore.hits, misses: gatewayAfter.misses - gatewayBefore.misses }).toEqual({ hits: 1 + dalian.length, misses: 0 });
    }

    // The county written in, its city and the province read the writes at once.
    const after = { tiedong: await figures('210302'), anshan: await figures('210300'), liaoning: await figures('210000') };
    for (const level of ['tiedong', 'anshan', 'liaoning'] as const) {
      expect(after[level]).toEqual({
        institutions: before[level].institutions + 1,
        practitioners: before[level].practitioners + 1,
        activities: before[level].activities + 1,
        approved: before[level].approved,
      });
    }
    const { answered, recounted } = await everyRegion();
    expect(answered).toEqual(recounted);
  });

  it('keeps even the written county’s, its city’s and the province’s figures after writes to what no figure counts (a phone, a name), and reads them as a recount', async () => {
    await warm();
    const editor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'], subject: 'tiedong-editor' });
    const [member] = (await db.query(`SELECT id FROM members.member WHERE region_code = '210302' AND practice_kind = 'LAWYER' ORDER BY id LIMIT 1`)).rows;
    const [institution] = (await db.query(`SELECT id, name FROM organization.institution WHERE region_code = '210302' ORDER BY id LIMIT 1`)).rows;
    const levels = ['210302', '210300', '210000'];
    for (const code of levels) await figures(code);

    const writes = [
      await stack.request(`mutation($id: ID!, $input: UpdateMemberInput!) { updateMember(id: $id, input: $input) { id } }`, { id: member.id, input: { phone: '13900000001' } }, editor),
      await stack.request(`mutation($id: ID!, $input: UpdateInstitutionInput!) { updateInstitution(id: $id, input: $input) { id } }`, { id: institution.id, input: { name: `${institution.name}（更名）` } }, editor),
    ];
    expect(writes.map((w) => w.body.errors)).toEqual([undefined, undefined]);

    const gatewayBefore = await responseCacheOf(stack);
    const cachesBefore = await cacheCounters(stack);
    const requestsBefore = total(stack.subgraphRequests());
    const statementsBefore = total(stack.sqlStatements());
    const answered: Record<string, unknown> = {};
    for (const code of levels) answered[code] = await figures(code);
    expect(total(stack.sqlStatements()) - statementsBefore).toBe(0);
    if (options.responseCacheEntries !== 0) {
      expect(total(stack.subgraphRequests()) - requestsBefore).toBe(0);
      const gatewayAfter = await responseCacheOf(stack);
      expect({ hits: gatewayAfter.hits - gatewayBefore.hits, misses: gatewayAfter.misses - gatewayBefore.misses }).toEqual({ hits: levels.length, misses: 0 });
    } else if (options.fetchCacheEntries !== 0) {
      expect(total(stack.subgraphRequests()) - requestsBefore).toBe(0);
    } else {
      const cachesAfter = await cacheCounters(stack);
      for (const name of SUBGRAPHS) expect({ name, misses: cachesAfter[name].misses - cachesBefore[name].misses }).toEqual({ name, misses: 0 });
    }
    for (const code of levels) expect(answered[code]).toEqual(await recount(code));

    // The name is shown where institutions are listed: that list is read again, with the new name.
    const { body } = await stack.request(`{ institutions(filter: { nameContains: "（更名）" }, first: 5) { edges { node { id name } } } }`, {}, editor);
    expect(body.data.institutions.edges.map((edge: { node: { id: string } }) => edge.node.id)).toContain(institution.id);
  });

  it('keeps a member’s profile while the county writes what the profile does not show, and reads it afresh when it does', async () => {
    const county = await stack.token({ tier: 'COUNTY', regionCode: '210302' });
    const editor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'], subject: 'tiedong-editor' });
    // A member of a branch and an institution of 铁东区; another branch, institution and member of the same county.
    const [member] = (
      await db.query(
        `SELECT m.id, m.organization_id, m.institution_id FROM members.member m
          WHERE m.region_code = '210302' AND m.organization_id IS NOT NULL AND m.institution_id IS NOT NULL ORDER BY m.id LIMIT 1`,
      )
    ).rows;
    const [branch] = (
      await db.query(
        `SELECT id FROM organization.party_organization WHERE region_code = '210302' AND kind IN ('STANDALONE_BRANCH', 'JOINT_BRANCH')
            AND dissolved_on IS NULL AND founded_on < '${YEAR}-01-01' AND id <> $1 ORDER BY id LIMIT 1`,
        [member.organization_id],
      )
    ).rows;
    const [institution] = (
      await db.query(`SELECT id, name FROM organization.institution WHERE region_code = '210302' AND id <> $1 AND party_organization_id IS DISTINCT FROM $2 ORDER BY id LIMIT 1`, [
        member.institution_id,
        member.organization_id,
      ])
    ).rows;
    const [neighbour] = (
      await db.query(
        `SELECT m.id FROM members.member m LEFT JOIN organization.party_organization o ON o.id = m.organization_id
          WHERE m.region_code = '210302' AND m.id <> $1 AND m.institution_id IS DISTINCT FROM $2 AND m.organization_id IS DISTINCT FROM $3
            AND (m.organization_id IS NULL OR o.region_code = m.region_code) ORDER BY m.id LIMIT 1`,
        [member.id, member.institution_id, member.organization_id],
      )
    ).rows;
    const secretary = await stack.token({ tier: 'BRANCH', regionCode: '210302', organizationId: branch.id, roles: ['editor'] });
    const PROFILE = contractOperation('MemberProfile');
    const profile = async () => {
      const { body } = await stack.request(PROFILE, { id: member.id, year: YEAR }, county);
      expect(body.errors).toBeUndefined();
      return body.data.member;
    };
    const kept = await profile();
    expect(kept.institution.region.code).toBe('210302');

    const writes = [
      await stack.request(
        `mutation($input: RecordActivityInput!) { recordActivity(input: $input) { id } }`,
        { input: { organizerOrganizationId: branch.id, kind: 'THEME_PARTY_DAY', title: '邻支部主题党日', date: `${YEAR}-11-06` } },
        secretary,
      ),
      await stack.request(`mutation($id: ID!, $input: UpdateInstitutionInput!) { updateInstitution(id: $id, input: $input) { id } }`, { id: institution.id, input: { name: `${institution.name}（邻所更名）` } }, editor),
      await stack.request(`mutation($id: ID!, $input: UpdateMemberInput!) { updateMember(id: $id, input: $input) { id } }`, { id: neighbour.id, input: { phone: '13900000002' } }, editor),
    ];
    expect(writes.map((w) => w.body.errors)).toEqual([undefined, undefined, undefined]);

    // Each write met the county, but none of what the profile was read from: it is served as kept.
    const statementsBefore = total(stack.sqlStatements());
    const requestsBefore = total(stack.subgraphRequests());
    expect(await profile()).toEqual(kept);
    expect(total(stack.sqlStatements()) - statementsBefore).toBe(0);
    if (options.fetchCacheEntries !== 0) expect(total(stack.subgraphRequests()) - requestsBefore).toBe(0);

    // The member's own institution renamed: the profile shows its name, and reads it afresh.
    const [own] = (await db.query(`SELECT name FROM organization.institution WHERE id = $1`, [member.institution_id])).rows;
    const renamed = await stack.request(
      `mutation($id: ID!, $input: UpdateInstitutionInput!) { updateInstitution(id: $id, input: $input) { id } }`,
      { id: member.institution_id, input: { name: `${own.name}（本所更名）` } },
      editor,
    );
    expect(renamed.body.errors).toBeUndefined();
    expect(await profile()).toEqual({ ...kept, institution: { ...kept.institution, name: `${own.name}（本所更名）` } });
  });

  it('reads every region as a recount after a correction made at psql in another county', async () => {
    await warm();
    await db.query(`UPDATE members.member SET region_code = '210203' WHERE id = (SELECT id FROM members.member WHERE region_code = '210202' AND practice_kind = 'LAWYER' ORDER BY id LIMIT 1)`);
    // The announcement reaches the caches at the commit; the next request waits for it.
    const { answered, recounted } = await everyRegion();
    expect(answered).toEqual(recounted);
  });
});
