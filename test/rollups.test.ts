import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { idNumberCheckCharacter } from '../shared/src/id-number';
import { todayInChina } from '../shared/src/validation';
import { ALL_REGIONS } from '../shared/src/viewer';
import { ComplianceRepository } from '../subgraphs/activities/src/repositories/ComplianceRepository';
import { startStack, type Stack } from './helpers/stack';
import { expectNoErrors } from './helpers/expectations';

const RECOUNT = `
  SELECT region_code, practice_kind, count(*)::int AS practitioners,
         count(*) FILTER (WHERE party_status IN ('PROBATIONARY', 'FULL'))::int AS party_members,
         count(*) FILTER (WHERE party_status = 'FULL')::int AS full_members
    FROM members.member WHERE practice_kind IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`;
const COUNTERS = `
  SELECT region_code, practice_kind, practitioners, party_members, full_members
    FROM members.member_region_stats WHERE practitioners <> 0 OR party_members <> 0 OR full_members <> 0 ORDER BY 1, 2`;

describe('region roll-ups kept as counters', () => {
  let stack: Stack;
  let db: Client;

  beforeAll(async () => {
    stack = await startStack();
    db = await stack.database();
  });
  afterAll(() => stack?.stop());

  it('the member counters equal a full recount of the demo dataset', async () => {
    expect((await db.query(COUNTERS)).rows).toEqual((await db.query(RECOUNT)).rows);
  });

  it('the member counters still equal a full recount after registrations, status steps and deletions', async () => {
    const editor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'] });
    const hongyang = (await stack.request(
      `{ institutions(filter: { nameContains: "辽宁弘扬律师事务所" }, first: 1) { edges { node { id partyOrganization { id } } } } }`,
      {},
      editor,
    )).body.data.institutions.edges[0].node;
    for (let i = 0; i < 3; i++) {
      const first17 = `210302198801${String(10 + i).padStart(2, '0')}${String(700 + i)}`;
      const registered = await stack.request(
        `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`,
        { input: { name: `计数${i}`, gender: 'MALE', ethnicity: '汉族', birthDate: `1988-01-${String(10 + i).padStart(2, '0')}`, idNumber: first17 + idNumberCheckCharacter(first17), institutionId: hongyang.id, licenseNumber: `1210320190000070${i}` } },
        editor,
      );
      const id = expectNoErrors(registered).registerMember.id;
      for (const [to, on] of [['APPLICANT', '2015-03-01'], ['ACTIVIST', '2015-09-01'], ['CANDIDATE', '2016-09-01'], ['PROBATIONARY', '2017-01-10']]) {
        expectNoErrors(await stack.request(`mutation($id: ID!, $input: AdvancePartyStatusInput!) { advancePartyStatus(id: $id, input: $input) { id } }`, { id, input: { to, on, organizationId: hongyang.partyOrganization.id } }, editor));
      }
    }
    // A correction made straight in the database is counted too: the trigger sees every write.
    await db.query(`DELETE FROM members.organization_membership WHERE member_id IN (SELECT id FROM members.member WHERE name = '计数2')`);
    await db.query(`DELETE FROM members.member WHERE name = '计数2'`);
    await db.query(`UPDATE members.member SET region_code = '210303' WHERE name = '计数1'`);
    expect((await db.query(COUNTERS)).rows).toEqual((await db.query(RECOUNT)).rows);

    const { body } = await stack.request(
      `{ region(code: "210302") { memberStats(practice: LAWYER) { practitioners partyMembers fullMembers } } }`,
      {},
      await stack.token({ tier: 'PROVINCE', regionCode: '210000' }),
    );
    const recount = (await db.query(`SELECT * FROM (${RECOUNT}) r WHERE region_code = '210302' AND practice_kind = 'LAWYER'`)).rows[0];
    expect(body.data.region.memberStats).toEqual({ practitioners: recount.practitioners, partyMembers: recount.party_members, fullMembers: recount.full_members });
  });
});

describe('activity and organizational-life roll-ups kept as counters', () => {
  const PROVINCE_SCOPE = { prefix: '21', from: '210000', to: '220000', organizationId: null };
  // Years before, during and after the demo's activities; days before, inside and after 2019,
  // on a month's last day and in its middle, since the periods owed depend on the day asked.
  const YEARS = [2014, 2017, 2019, 2026];
  const DAYS = ['2019-02-28', '2019-06-30', '2019-08-15', '2026-11-23'];
  let stack: Stack;
  let db: Client;
  let activities: DataSource;
  let compliance: ComplianceRepository;
  let regions: string[];

  /** Every region's figures for every year and day, from the counters and from a recount of the rows. */
  const bothWays = async () => {
    const fromCounters = [];
    const recounted = [];
    for (const year of YEARS) {
      for (const today of DAYS) {
        const keys = regions.map((regionCode) => ({ regionCode, year }));
        fromCounters.push({ year, today, figures: await compliance.stats(keys, today, PROVINCE_SCOPE) });
        recounted.push({ year, today, figures: await compliance.statsByCounting(keys, today, PROVINCE_SCOPE) });
      }
    }
    return { fromCounters, recounted };
  };

  beforeAll(async () => {
    stack = await startStack();
    db = await stack.database();
    activities = new DataSource({ type: 'postgres', url: stack.databaseUrl, extra: { options: '-c search_path=activities' } });
    await activities.initialize();
    compliance = new ComplianceRepository(activities);
    regions = (await db.query(`SELECT code FROM organization.region ORDER BY code`)).rows.map((row) => row.code);
  });
  afterAll(async () => {
    await activities?.destroy();
    await stack?.stop();
  });

  it('every region’s activity counts and compliance equal a full recount of the demo dataset, whatever the year and day', async () => {
    const { fromCounters, recounted } = await bothWays();
    expect(fromCounters).toEqual(recounted);
    const liaoning2019 = recounted.find((r) => r.year === 2019 && r.today === '2026-11-23')!.figures[0];
    expect(liaoning2019.total).toBeGreaterThan(1000);
    expect(liaoning2019.obligationsMet).toBeGreaterThan(0);
    expect(liaoning2019.obligationsMet).toBeLessThan(liaoning2019.obligations);
  });

  it('a batch that mixes years and tiers, read by a national caller, equals a recount for each pair', async () => {
    const keys = [
      { regionCode: '210000', year: 2017 },
      { regionCode: '210300', year: 2019 },
      { regionCode: '210302', year: 2014 },
      { regionCode: '210000', year: 2019 },
      { regionCode: '210302', year: 2019 },
    ];
    for (const today of DAYS) {
      const fromCounters = await compliance.stats(keys, today, ALL_REGIONS);
      expect(fromCounters).toEqual(await compliance.statsByCounting(keys, today, ALL_REGIONS));
      expect(fromCounters[3].obligations).toBeGreaterThan(0);
    }
  });

  it('the counters still equal a recount after activities are recorded and cancelled, branches re-registered and rows corrected by hand', async () => {
    const province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
    const { body } = await stack.request(
      `{ institutions(filter: { nameContains: "辽宁弘扬律师事务所" }, first: 1) { edges { node { partyOrganization { id } } } } }`,
      {},
      province,
    );
    const branchId = body.data.institutions.edges[0].node.partyOrganization.id;
    const secretary = await stack.token({ tier: 'BRANCH', regionCode: '210302', organizationId: branchId, roles: ['editor'] });
    const recorded: string[] = [];
    for (const [kind, date] of [['THEME_PARTY_DAY', '2019-09-05'], ['THEME_PARTY_DAY', '2019-10-05'], ['PARTY_LECTURE', '2019-11-20'], ['ORGANIZATIONAL_LIFE_MEETING', '2019-12-01']]) {
      const { body: written } = await stack.request(
        `mutation($input: RecordActivityInput!) { recordActivity(input: $input) { id } }`,
        { input: { organizerOrganizationId: branchId, kind, title: `计数${kind}`, date } },
        secretary,
      );
      recorded.push(expectNoErrors(written).recordActivity.id);
    }
    const { body: cancelled } = await stack.request(
      `mutation($id: ID!) { cancelActivity(id: $id, reason: "改期") { status } }`,
      { id: recorded[1] },
      secretary,
    );
    expect(expectNoErrors(cancelled).cancelActivity.status).toBe('CANCELLED');

    // Corrections made straight in the database are counted too: the triggers see every write.
    await db.query(`DELETE FROM activities.attendance WHERE activity_id IN (SELECT id FROM activities.activity WHERE held_on = '2019-03-15' LIMIT 3)`);
    await db.query(`DELETE FROM activities.enrolment WHERE activity_id IN (SELECT id FROM activities.activity WHERE held_on = '2019-03-15' LIMIT 3)`);
    await db.query(`DELETE FROM activities.activity WHERE id IN (SELECT id FROM activities.activity WHERE held_on = '2019-03-15' LIMIT 3)`);
    await db.query(`UPDATE activities.activity SET held_on = held_on + 40, ends_on = ends_on + 40 WHERE id IN (SELECT id FROM activities.activity WHERE kind = 'BRANCH_COMMITTEE_MEETING' AND held_on BETWEEN '2019-04-01' AND '2019-04-30' LIMIT 5)`);
    await db.query(`UPDATE activities.registered_organization SET founded_on = '2019-09-10' WHERE organization_id = $1`, [branchId]);
    await db.query(`UPDATE activities.registered_organization SET dissolved_on = '2019-10-01' WHERE organization_id IN (SELECT organization_id FROM activities.registered_organization WHERE region_code = '210303' LIMIT 1)`);
    await db.query(`UPDATE activities.registered_organization SET region_code = '210304' WHERE organization_id IN (SELECT organization_id FROM activities.registered_organization WHERE region_code = '210311' LIMIT 1)`);
    // The province's own rule changes which counters apply, not the counters.
    await db.query(`INSERT INTO activities.requirement (region_code, kind, from_year, frequency) VALUES ('210000', 'THEME_PARTY_DAY', 2019, 'QUARTERLY')
                    ON CONFLICT (region_code, kind, from_year) DO UPDATE SET frequency = 'QUARTERLY'`);

    const { fromCounters, recounted } = await bothWays();
    expect(fromCounters).toEqual(recounted);
  });

  it('the dashboard’s figures through the gateway are the recount’s', async () => {
    const { body } = await stack.request(
      `{ region(code: "210300") { activityStats(year: 2019) { total branches obligations obligationsMet organizationalLifeComplianceRate byKind { kind count } } } }`,
      {},
      await stack.token({ tier: 'CITY', regionCode: '210300' }),
    );
    const [recount] = await compliance.statsByCounting([{ regionCode: '210300', year: 2019 }], todayInChina(), PROVINCE_SCOPE);
    const { byKind, ...figures } = body.data.region.activityStats;
    expect(figures).toEqual({
      total: recount.total,
      branches: recount.branches,
      obligations: recount.obligations,
      obligationsMet: recount.obligationsMet,
      organizationalLifeComplianceRate: recount.organizationalLifeComplianceRate,
    });
    expect(byKind.map((line: { count: number }) => line.count)).toEqual(recount.kindCounts);
  });
});
