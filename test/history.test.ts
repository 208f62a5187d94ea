import type { Client } from 'pg';
import { idNumberCheckCharacter } from '../shared/src/id-number';
import { todayInChina } from '../shared/src/validation';
import { startStack, type Stack } from './helpers/stack';
import { expectNoErrors } from './helpers/expectations';
import { CoverageTrendDocument } from '../examples/client/generated';

const THIS_YEAR = Number(todayInChina().slice(0, 4));
/** The years every recount checks: before the demo's first records, through next year. */
const FIRST_CHECKED = 1990;
const LAST_CHECKED = THIS_YEAR + 1;

/**
 * Year-end coverage counted straight from the rows, year by year: institutions approved by the
 * year's end and not closed by then, organizations founded and not dissolved, and institutions
 * linked (by a coverage period) to an organization alive at the year's end.
 */
const COVERAGE_RECOUNT = `
  WITH ends AS (SELECT year, make_date(year, 12, 31) AS day FROM generate_series(${FIRST_CHECKED}, ${LAST_CHECKED}) AS year),
  operating AS (
    SELECT e.year, i.* FROM ends e JOIN organization.institution i
      ON coalesce(i.approved_on, '-infinity') <= e.day AND (i.state = 'OPERATING' OR i.closed_on > e.day)),
  counted AS (
    SELECT year, region_code, kind AS sector, 1 AS institutions, 0 AS standalone, 0 AS joint, 0 AS party_organizations, 0 AS standalone_branches, 0 AS joint_branches
      FROM operating
    UNION ALL
    SELECT i.year, i.region_code, i.kind, 0, (o.kind IN ('STANDALONE_BRANCH', 'GENERAL_BRANCH'))::int, (o.kind = 'JOINT_BRANCH')::int, 0, 0, 0
      FROM operating i
      JOIN organization.institution_coverage_period p ON p.institution_id = i.id
       AND coalesce(p.from_date, '-infinity') <= make_date(i.year, 12, 31) AND (p.to_date IS NULL OR p.to_date > make_date(i.year, 12, 31))
      JOIN organization.party_organization o ON o.id = p.party_organization_id
       AND o.founded_on <= make_date(i.year, 12, 31) AND (o.dissolved_on IS NULL OR o.dissolved_on > make_date(i.year, 12, 31))
    UNION ALL
    SELECT e.year, o.region_code, o.sector, 0, 0, 0, (o.kind <> 'INDUSTRY_COMMITTEE')::int, (o.kind = 'STANDALONE_BRANCH')::int, (o.kind = 'JOINT_BRANCH')::int
      FROM ends e JOIN organization.party_organization o ON o.founded_on <= e.day AND (o.dissolved_on IS NULL OR o.dissolved_on > e.day))
  SELECT region_code, sector, year, sum(institutions)::int AS institutions, sum(standalone)::int AS standalone, sum(joint)::int AS joint,
         sum(party_organizations)::int AS party_organizations, sum(standalone_branches)::int AS standalone_branches, sum(joint_branches)::int AS joint_branches
    FROM counted GROUP BY 1, 2, 3
  HAVING sum(institutions) <> 0 OR sum(party_organizations) <> 0 OR sum(standalone + joint) <> 0
   ORDER BY 1, 2, 3`;

/** The same figures as the counters give them: each year the sum of the changes up to it. */
const COVERAGE_COUNTERS = `
  SELECT h.region_code, h.sector, y.year, sum(h.institutions)::int AS institutions, sum(h.standalone)::int AS standalone, sum(h.joint)::int AS joint,
         sum(h.party_organizations)::int AS party_organizations, sum(h.standalone_branches)::int AS standalone_branches, sum(h.joint_branches)::int AS joint_branches
    FROM organization.coverage_history h JOIN generate_series(${FIRST_CHECKED}, ${LAST_CHECKED}) AS y(year) ON h.year <= y.year
   GROUP BY 1, 2, 3
  HAVING sum(h.institutions) <> 0 OR sum(h.party_organizations) <> 0 OR sum(h.standalone + h.joint) <> 0
   ORDER BY 1, 2, 3`;

/** Practitioners where their placement puts them, from when they began practising, were admitted, were made full. */
const MEMBER_RECOUNT = `
  WITH ends AS (SELECT year, make_date(year, 12, 31) AS day FROM generate_series(${FIRST_CHECKED}, ${LAST_CHECKED}) AS year),
  practising AS (
    SELECT e.year, e.day, p.region_code, p.practice_kind, m.party_status, m.joined_on, m.full_on
      FROM ends e JOIN members.member_placement p ON coalesce(p.from_date, '-infinity') <= e.day AND (p.to_date IS NULL OR p.to_date > e.day)
      JOIN members.member m ON m.id = p.member_id AND coalesce(m.practising_since, '-infinity') <= e.day)
  SELECT region_code, practice_kind, year, count(*)::int AS practitioners,
         count(*) FILTER (WHERE party_status IN ('PROBATIONARY', 'FULL') AND joined_on <= day)::int AS party_members,
         count(*) FILTER (WHERE party_status = 'FULL' AND full_on <= day)::int AS full_members
    FROM practising GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;

const MEMBER_COUNTERS = `
  SELECT h.region_code, h.practice_kind, y.year, sum(h.practitioners)::int AS practitioners,
         sum(h.party_members)::int AS party_members, sum(h.full_members)::int AS full_members
    FROM members.member_history h JOIN generate_series(${FIRST_CHECKED}, ${LAST_CHECKED}) AS y(year) ON h.year <= y.year
   GROUP BY 1, 2, 3
  HAVING sum(h.practitioners) <> 0 OR sum(h.party_members) <> 0 OR sum(h.full_members) <> 0
   ORDER BY 1, 2, 3`;

/** Every link and every practice has exactly one open period, and it says what the record says now. */
const OPEN_PERIODS_DISAGREEING = `
  SELECT (SELECT count(*) FROM organization.institution i
           WHERE i.party_organization_id IS DISTINCT FROM
                 (SELECT p.party_organization_id FROM organization.institution_coverage_period p WHERE p.institution_id = i.id AND p.to_date IS NULL))::int
       + (SELECT count(*) FROM members.member m
           WHERE m.practice_kind IS NOT NULL AND NOT EXISTS (SELECT 1 FROM members.member_placement p
                   WHERE p.member_id = m.id AND p.to_date IS NULL AND p.region_code = m.region_code AND p.practice_kind = m.practice_kind))::int
       + (SELECT count(*) FROM members.member_placement p JOIN members.member m ON m.id = p.member_id
           WHERE p.to_date IS NULL AND m.practice_kind IS NULL)::int AS count`;

const HISTORY = `query($code: ID!, $kind: InstitutionKind!, $practice: PracticeKind!, $from: Int!, $to: Int!) {
  region(code: $code) {
    code
    coverage(kind: $kind) { institutions covered standalone joint rate standaloneRate partyOrganizations standaloneBranches jointBranches }
    memberStats(practice: $practice) { practitioners partyMembers fullMembers }
    coverageHistory(kind: $kind, fromYear: $from, toYear: $to) {
      year institutions covered standalone joint rate standaloneRate partyOrganizations standaloneBranches jointBranches
    }
    memberHistory(practice: $practice, fromYear: $from, toYear: $to) { year practitioners partyMembers fullMembers }
  }
}`;

const REGISTER = `mutation($input: RegisterInstitutionInput!) { registerInstitution(input: $input) { id } }`;
const CLOSE = `mutation($id: ID!) { updateInstitution(id: $id, input: { state: CLOSED }) { id state } }`;
const ESTABLISH = `mutation($input: EstablishPartyOrganizationInput!) { establishPartyOrganization(input: $input) { id } }`;
const ADD = `mutation($org: ID!, $ids: [ID!]!) { addInstitutionsToJointBranch(organizationId: $org, institutionIds: $ids) { id } }`;
const DISSOLVE = `mutation($id: ID!, $on: Date!) { dissolvePartyOrganization(id: $id, dissolvedOn: $on, reason: "所在律师事务所合并") { id } }`;
const REGISTER_MEMBER = `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`;
const ADVANCE = `mutation($id: ID!, $to: PartyStatus!, $on: Date!) { advancePartyStatus(id: $id, input: { to: $to, on: $on }) { id partyStatus } }`;
const INITIATE = `mutation($input: InitiateTransferInput!) { initiateTransfer(input: $input) { id } }`;
const CONFIRM = `mutation($id: ID!, $on: Date!) { confirmTransfer(id: $id, receivedOn: $on) { id status } }`;

type Row = Record<string, any>;

/** A history row summed over a region's subtree, named as the API names it. */
function yearOf(rows: Row[], prefix: string, year: number, key: 'sector' | 'practice_kind', value: string): Row {
  const matching = rows.filter((r) => r.region_code.startsWith(prefix) && r[key] === value && r.year === year);
  const sum = (column: string) => matching.reduce((total, r) => total + r[column], 0);
  return key === 'sector'
    ? {
        institutions: sum('institutions'), standalone: sum('standalone'), joint: sum('joint'),
        partyOrganizations: sum('party_organizations'), standaloneBranches: sum('standalone_branches'), jointBranches: sum('joint_branches'),
      }
    : { practitioners: sum('practitioners'), partyMembers: sum('party_members'), fullMembers: sum('full_members') };
}

describe('the history behind every figure', () => {
  let stack: Stack;
  let db: Client;
  let province: string;

  beforeAll(async () => {
    stack = await startStack();
    db = await stack.database();
    province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
  });
  afterAll(() => stack?.stop());

  const history = async (code: string, token = province, kind = 'LAW_FIRM', practice = 'LAWYER', from = 2014, to = 2019) =>
    expectNoErrors(await stack.request(HISTORY, { code, kind, practice, from, to }, token)).region;
  const expectCountersToEqualRecount = async () => {
    expect((await db.query(OPEN_PERIODS_DISAGREEING)).rows[0].count).toBe(0);
    expect((await db.query(COVERAGE_COUNTERS)).rows).toEqual((await db.query(COVERAGE_RECOUNT)).rows);
    expect((await db.query(MEMBER_COUNTERS)).rows).toEqual((await db.query(MEMBER_RECOUNT)).rows);
  };

  it('ends 2019 where today’s figures stand, for the province and for every city, in every sector and practice', async () => {
    const sectors: [string, string][] = [['LAW_FIRM', 'LAWYER'], ['NOTARY_OFFICE', 'NOTARY'], ['JUDICIAL_APPRAISAL', 'APPRAISER'], ['GRASSROOTS_LEGAL_SERVICE', 'GRASSROOTS_LEGAL_WORKER']];
    const { body } = await stack.request(`{ region(code: "210000") { children { code } } }`, {}, province);
    const codes = ['210000', ...body.data.region.children.map((c: any) => c.code)];
    expect(codes).toHaveLength(15);
    for (const [kind, practice] of sectors) {
      for (const code of codes) {
        const region = await history(code, province, kind, practice);
        expect(region.coverageHistory.map((y: any) => y.year)).toEqual([2014, 2015, 2016, 2017, 2018, 2019]);
        const { year, ...end2019 } = region.coverageHistory[5];
        expect(end2019).toEqual(region.coverage);
        const { year: _year, ...people2019 } = region.memberHistory[5];
        expect(people2019).toEqual(region.memberStats);
      }
    }
    const liaoning = await history('210000');
    expect(liaoning.coverageHistory[5]).toMatchObject({ institutions: 1058, partyOrganizations: 372, standaloneBranches: 273, jointBranches: 99 });
    expect(liaoning.coverageHistory[5].covered).toBe(836);
    expect(liaoning.memberHistory[5]).toMatchObject({ practitioners: 12599, partyMembers: 4079 });
  });

  it('shows the 2016 100-day campaign: standalone branches rise through it and coverage passes 70%, from well below', async () => {
    const { coverageHistory, memberHistory } = await history('210000');
    const [y2014, y2015, y2016, y2017, y2018, y2019] = coverageHistory;
    expect(y2015.rate).toBeLessThan(0.5);
    expect(y2017.rate).toBeGreaterThan(0.7);
    expect(y2017.rate - y2015.rate).toBeGreaterThan(0.3);
    expect(y2016.rate).toBeGreaterThan(0.7);
    // The campaign year founds more standalone branches than any other.
    const founded = coverageHistory.slice(1).map((y: any, i: number) => y.standaloneBranches - coverageHistory[i].standaloneBranches);
    expect(Math.max(...founded)).toBe(y2016.standaloneBranches - y2015.standaloneBranches);
    for (const [earlier, later] of [[y2014, y2015], [y2015, y2016], [y2016, y2017], [y2017, y2018], [y2018, y2019]]) {
      expect(later.standaloneBranches).toBeGreaterThanOrEqual(earlier.standaloneBranches);
      expect(later.institutions).toBeGreaterThan(earlier.institutions);
    }
    expect(y2014.standaloneBranches).toBeGreaterThan(0);
    // The profession grew, and so did its Party members.
    expect(memberHistory[0].practitioners).toBeLessThan(memberHistory[5].practitioners);
    expect(memberHistory[0].partyMembers).toBeLessThan(memberHistory[5].partyMembers);
    for (const year of memberHistory) expect(year.fullMembers).toBeLessThanOrEqual(year.partyMembers);
  });

  it('has the industry committees of the province and of all 14 cities from 2014 on', async () => {
    const { rows } = await db.query(
      `SELECT region_code, founded_on::text AS founded FROM organization.party_organization WHERE kind = 'INDUSTRY_COMMITTEE' AND region_code LIKE '21%' ORDER BY founded_on`,
    );
    expect(rows).toHaveLength(15);
    expect(rows[0]).toEqual({ region_code: '210000', founded: '2014-08-01' });
    expect(rows.every((r) => r.founded >= '2014-08-01' && r.founded <= '2015-12-31')).toBe(true);
  });

  it('keeps counters equal to a recount of the rows for every region and year on the demo dataset', async () => {
    await expectCountersToEqualRecount();
  });

  it('after writes through the API, counters still equal a recount, each write counts in the years its dates give, and this year equals today’s figures', async () => {
    const editor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'] });
    const before = await history('210302', province, 'LAW_FIRM', 'LAWYER', 2014, THIS_YEAR);
    const at = (region: any, field: 'coverageHistory' | 'memberHistory', year: number) => region[field][year - 2014];

    // A firm approved in 2017 joins a joint branch founded in 2018; another, approved in 2018, is added to it today.
    const register = async (n: number, approvedOn: string) =>
      expectNoErrors(await stack.request(REGISTER, {
        input: { name: `历年计数${n}律师事务所`, kind: 'LAW_FIRM', licenseNumber: `31210302MH${String(n).padStart(7, '0')}X`, regionCode: '210302', approvedOn },
      }, editor)).registerInstitution.id as string;
    const first = await register(1, '2017-05-01');
    const second = await register(2, '2018-04-01');
    const branch = expectNoErrors(await stack.request(ESTABLISH, {
      input: { name: '中共铁东区历年计数联合支部委员会', kind: 'JOINT_BRANCH', sector: 'LAW_FIRM', regionCode: '210302', institutionIds: [first], foundedOn: '2018-03-01' },
    }, editor)).establishPartyOrganization.id;
    expectNoErrors(await stack.request(ADD, { org: branch, ids: [second] }, editor));

    // A lawyer registered today, admitted and made full on the dates the records give.
    const birth = '1990-04-12';
    const first17 = `210302${birth.replaceAll('-', '')}137`;
    const person = expectNoErrors(await stack.request(REGISTER_MEMBER, {
      input: { name: '历年计数', gender: 'MALE', ethnicity: '汉族', birthDate: birth, idNumber: first17 + idNumberCheckCharacter(first17),
               institutionId: first, licenseNumber: '12103201911099137' },
    }, editor)).registerMember.id;
    for (const [to, on] of [['APPLICANT', '2015-03-01'], ['ACTIVIST', '2015-09-01'], ['CANDIDATE', '2016-09-01'], ['PROBATIONARY', '2018-03-10'], ['FULL', '2019-03-10']]) {
      if (to === 'PROBATIONARY') {
        expectNoErrors(await stack.request(`mutation($id: ID!, $on: Date!, $org: ID) { advancePartyStatus(id: $id, input: { to: PROBATIONARY, on: $on, organizationId: $org }) { id } }`, { id: person, on, org: branch }, editor));
      } else {
        expectNoErrors(await stack.request(ADVANCE, { id: person, to, on }, editor));
      }
    }
    // A probationary lawyer of the demo made full a year after admission.
    const { rows: [probationer] } = await db.query(
      `SELECT id, (joined_on + interval '1 year')::date::text AS full_on, extract(year FROM joined_on)::int AS joined FROM members.member
        WHERE region_code = '210302' AND practice_kind = 'LAWYER' AND party_status = 'PROBATIONARY' AND probation_extended_until IS NULL
        ORDER BY id LIMIT 1`,
    );
    expectNoErrors(await stack.request(ADVANCE, { id: probationer.id, to: 'FULL', on: probationer.full_on }, editor));

    let after = await history('210302', province, 'LAW_FIRM', 'LAWYER', 2014, THIS_YEAR);
    // 2017: one more firm, not yet covered; 2018 and later: both firms, the first covered from the founding,
    // the second only from today, when it joined.
    expect(at(after, 'coverageHistory', 2016)).toEqual(at(before, 'coverageHistory', 2016));
    expect(at(after, 'coverageHistory', 2017).institutions).toBe(at(before, 'coverageHistory', 2017).institutions + 1);
    expect(at(after, 'coverageHistory', 2017).covered).toBe(at(before, 'coverageHistory', 2017).covered);
    expect(at(after, 'coverageHistory', 2018)).toMatchObject({
      institutions: at(before, 'coverageHistory', 2018).institutions + 2,
      joint: at(before, 'coverageHistory', 2018).joint + 1,
      jointBranches: at(before, 'coverageHistory', 2018).jointBranches + 1,
    });
    expect(at(after, 'coverageHistory', THIS_YEAR).joint).toBe(at(before, 'coverageHistory', THIS_YEAR).joint + 2);
    // The new lawyer practises from today; the demo's probationer counts as full from the year after admission.
    expect(at(after, 'memberHistory', THIS_YEAR - 1)).toEqual({
      ...at(before, 'memberHistory', THIS_YEAR - 1),
      fullMembers: at(before, 'memberHistory', THIS_YEAR - 1).fullMembers + 1,
    });
    expect(at(after, 'memberHistory', THIS_YEAR)).toMatchObject({
      practitioners: at(before, 'memberHistory', THIS_YEAR).practitioners + 1,
      partyMembers: at(before, 'memberHistory', THIS_YEAR).partyMembers + 1,
      fullMembers: at(before, 'memberHistory', THIS_YEAR).fullMembers + 2,
    });
    expect(at(after, 'memberHistory', probationer.joined + 1).fullMembers).toBe(at(before, 'memberHistory', probationer.joined + 1).fullMembers + 1);
    await expectCountersToEqualRecount();

    // The lawyer is transferred to 和平区 today; the branch is dissolved as of 2019 and the first firm closes today.
    const chenhanBranch = (await db.query(`SELECT party_organization_id AS id FROM organization.institution WHERE name = '辽宁宸瀚律师事务所'`)).rows[0].id;
    const today = todayInChina();
    const transfer = expectNoErrors(await stack.request(INITIATE, { input: { memberId: person, toOrganizationId: chenhanBranch, letterNumber: '历年计数001', initiatedOn: today } }, editor)).initiateTransfer.id;
    const heping = await stack.token({ tier: 'COUNTY', regionCode: '210102', roles: ['editor'] });
    expectNoErrors(await stack.request(CONFIRM, { id: transfer, on: today }, heping));
    expectNoErrors(await stack.request(DISSOLVE, { id: branch, on: '2019-06-30' }, editor));
    expectNoErrors(await stack.request(CLOSE, { id: first }, editor));

    after = await history('210302', province, 'LAW_FIRM', 'LAWYER', 2014, THIS_YEAR);
    expect(at(after, 'coverageHistory', 2018).jointBranches).toBe(at(before, 'coverageHistory', 2018).jointBranches + 1);
    expect(at(after, 'coverageHistory', 2019).jointBranches).toBe(at(before, 'coverageHistory', 2019).jointBranches);
    expect(at(after, 'coverageHistory', 2019).covered).toBe(at(before, 'coverageHistory', 2019).covered);
    expect(at(after, 'coverageHistory', THIS_YEAR).institutions).toBe(at(before, 'coverageHistory', THIS_YEAR).institutions + 1);
    expect(at(after, 'memberHistory', THIS_YEAR).practitioners).toBe(at(before, 'memberHistory', THIS_YEAR).practitioners);
    await expectCountersToEqualRecount();

    // This year is today: every county and city, as a full recount of today's counters gives it.
    for (const code of ['210302', '210300', '210102', '210100', '210000']) {
      const region = await history(code, province, 'LAW_FIRM', 'LAWYER', THIS_YEAR, THIS_YEAR);
      const { year, ...now } = region.coverageHistory[0];
      expect(year).toBe(THIS_YEAR);
      expect(now).toEqual(region.coverage);
      const { year: _year, ...people } = region.memberHistory[0];
      expect(people).toEqual(region.memberStats);
    }
  });

  it('counts corrections made straight in the database too: the triggers see every write', async () => {
    const { rows: [joint] } = await db.query(
      `SELECT party_organization_id AS id FROM organization.institution i JOIN organization.party_organization o ON o.id = i.party_organization_id
        WHERE o.kind = 'JOINT_BRANCH' AND i.region_code = '210303' ORDER BY o.id LIMIT 1`,
    );
    await db.query(`UPDATE organization.party_organization SET kind = 'GENERAL_BRANCH', founded_on = '2015-02-01' WHERE id = $1`, [joint.id]);
    await db.query(`UPDATE organization.institution SET region_code = '210304', approved_on = '2013-01-01' WHERE party_organization_id = $1`, [joint.id]);
    await db.query(`UPDATE organization.institution SET state = 'CLOSED', closed_on = '2018-05-01' WHERE id = (
                      SELECT id FROM organization.institution WHERE party_organization_id IS NULL AND region_code = '210303' ORDER BY id LIMIT 1)`);
    await db.query(`DELETE FROM organization.institution WHERE id = (
                      SELECT id FROM organization.institution i WHERE party_organization_id IS NULL AND region_code = '210303'
                         AND NOT EXISTS (SELECT 1 FROM organization.institution b WHERE b.head_office_id = i.id)
                         AND NOT EXISTS (SELECT 1 FROM organization.guidance_officer_assignment a WHERE a.institution_id = i.id)
                       ORDER BY id DESC LIMIT 1)`);
    await db.query(`UPDATE members.member SET practising_since = '2016-07-01' WHERE region_code = '210303' AND practice_kind = 'LAWYER'`);
    await db.query(`UPDATE members.member SET region_code = '210304' WHERE id = (SELECT id FROM members.member WHERE region_code = '210303' AND party_status = 'FULL' AND practice_kind IS NOT NULL ORDER BY id LIMIT 1)`);
    await db.query(`UPDATE members.member SET joined_on = '2012-07-01', full_on = '2013-07-01' WHERE id = (SELECT id FROM members.member WHERE region_code = '210304' AND party_status = 'FULL' ORDER BY id LIMIT 1)`);
    await expectCountersToEqualRecount();
  });

  it('answers every tier within its own part of the hierarchy, and a branch from its own rows', async () => {
    const recount = (await db.query(COVERAGE_RECOUNT)).rows;
    const people = (await db.query(MEMBER_RECOUNT)).rows;
    const anshan = await stack.token({ tier: 'CITY', regionCode: '210300' });
    const own = await history('210300', anshan);
    expect(own.coverageHistory[2]).toMatchObject(yearOf(recount, '2103', 2016, 'sector', 'LAW_FIRM'));
    expect(own.memberHistory[2]).toMatchObject(yearOf(people, '2103', 2016, 'practice_kind', 'LAWYER'));
    expect((await stack.request(HISTORY, { code: '210000', kind: 'LAW_FIRM', practice: 'LAWYER', from: 2014, to: 2019 }, anshan)).body.data.region).toBeNull();
    expect((await stack.request(HISTORY, { code: '210200', kind: 'LAW_FIRM', practice: 'LAWYER', from: 2014, to: 2019 }, anshan)).body.data.region).toBeNull();

    const tiedong = await stack.token({ tier: 'COUNTY', regionCode: '210302' });
    expect((await history('210302', tiedong)).coverageHistory[5]).toMatchObject(yearOf(recount, '210302', 2019, 'sector', 'LAW_FIRM'));

    // A branch sees the institutions it covers and its own organization, as a recount of those rows gives them.
    const hongyang = (await db.query(
      `SELECT i.party_organization_id AS id, i.region_code, extract(year FROM i.approved_on)::int AS approved, extract(year FROM o.founded_on)::int AS founded
         FROM organization.institution i JOIN organization.party_organization o ON o.id = i.party_organization_id WHERE i.name = '辽宁弘扬律师事务所'`,
    )).rows[0];
    const branch = await stack.token({ tier: 'BRANCH', regionCode: hongyang.region_code, organizationId: hongyang.id });
    const mine = await history(hongyang.region_code, branch, 'LAW_FIRM', 'LAWYER', 2010, 2019);
    for (const year of mine.coverageHistory) {
      const founded = hongyang.founded <= year.year;
      expect(year).toMatchObject({ institutions: hongyang.approved <= year.year ? 1 : 0, partyOrganizations: founded ? 1 : 0, standalone: founded ? 1 : 0, joint: 0 });
    }
    // Its members: those whose formal relation it holds, and those taking part in its life.
    const { rows: [members] } = await db.query(
      `SELECT count(*) FILTER (WHERE m.party_status IN ('PROBATIONARY', 'FULL') AND m.joined_on <= '2019-12-31')::int AS party,
              count(*)::int AS practitioners
         FROM members.member m
        WHERE (m.organization_id = $1 OR EXISTS (SELECT 1 FROM members.temporary_participation tp WHERE tp.member_id = m.id AND tp.organization_id = $1 AND tp.ended_on IS NULL))
          AND m.practice_kind = 'LAWYER' AND coalesce(m.practising_since, '-infinity') <= '2019-12-31' AND m.region_code = $2`,
      [hongyang.id, hongyang.region_code],
    );
    expect(members.practitioners).toBeGreaterThan(2);
    expect(mine.memberHistory[9]).toMatchObject({ practitioners: members.practitioners, partyMembers: members.party });
  });

  it('refuses a range of more than 30 years, or one that runs backwards, as bad input', async () => {
    for (const [from, to, field] of [[1990, 2019, null], [1989, 2019, 'toYear'], [2019, 2014, 'toYear'], [10, 2019, 'fromYear']] as const) {
      const { body } = await stack.request(HISTORY, { code: '210302', kind: 'LAW_FIRM', practice: 'LAWYER', from, to }, province);
      if (field === null) {
        expectNoErrors(body);
        expect(body.data.region.coverageHistory).toHaveLength(30);
        expect(body.data.region.memberHistory).toHaveLength(30);
      } else {
        const codes = (body.errors ?? []).map((e) => [e.extensions?.code, e.extensions?.field]).sort();
        expect(codes).toEqual([['BAD_USER_INPUT', field], ['BAD_USER_INPUT', field]]);
        expect(body.data.region.coverageHistory).toBeNull();
        expect(body.data.region.memberHistory).toBeNull();
      }
    }
  });

  it('answers the CoverageTrend contract operation for a region and its children', async () => {
    const { body } = await stack.request(CoverageTrendDocument, { code: '210300', kind: 'LAW_FIRM', fromYear: 2014, toYear: 2019 }, province);
    const anshan = expectNoErrors(body).region;
    expect(anshan.children).toHaveLength(7);
    for (const field of ['coverageHistory', 'memberHistory'] as const) {
      expect(anshan[field]).toHaveLength(6);
      for (let i = 0; i < 6; i++) {
        const sum = (key: string) => anshan.children.reduce((total, child) => total + (child[field][i] as Record<string, number>)[key], 0);
        const keys = field === 'coverageHistory' ? ['institutions', 'covered', 'standalone', 'joint', 'standaloneBranches', 'jointBranches'] : ['practitioners', 'partyMembers', 'fullMembers'];
        for (const key of keys) expect(sum(key)).toBe((anshan[field][i] as Record<string, number>)[key]);
      }
    }
  });
});
