import { Client } from 'pg';
import { idNumberCheckCharacter } from '../shared/src/id-number';
import { todayInChina } from '../shared/src/validation';
import { expectRefused } from './helpers/expectations';
import { startStack, type Stack } from './helpers/stack';

/**
 * The member facts Party-building platforms keep, through the gateway: democratic appraisal
 * grades, vanguard posts and pledges, Party dues, their counts in a region's statistics and the
 * two work lists (unqualified members, dues in arrears).
 */

const daysAgo = (days: number) => new Date(Date.parse(todayInChina()) - days * 86_400_000).toISOString().slice(0, 10);
const currentMonth = () => todayInChina().slice(0, 7);
const monthsBefore = (months: number) => {
  const [y, m] = currentMonth().split('-').map(Number);
  const index = y * 12 + (m - 1) - months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};

let serial = 0;
const next = () => ++serial;
function idNumber(birth: string, region = '210302'): string {
  const first17 = `${region}${birth.replaceAll('-', '')}${String(300 + next()).slice(-3)}`;
  return first17 + idNumberCheckCharacter(first17);
}

const RECORD_APPRAISAL = `mutation($input: RecordAppraisalInput!) { recordAppraisal(input: $input) { id year grade activity { id kind title } correctionReason organization { id } member { id } } }`;
const SET_DUES = `mutation($m: ID!, $input: SetDuesBaseInput!) { setDuesBase(memberId: $m, input: $input) { category base rate monthlyAmount fromMonth paidThrough monthsInArrears } }`;
const PAY = `mutation($m: ID!, $month: String!, $amount: Float!) { recordDuesPayment(memberId: $m, month: $month, amount: $amount) { monthlyAmount paidThrough monthsInArrears } }`;

describe('member facts', () => {
  let stack: Stack;
  let db: Client;
  let hongyang: { institutionId: string; organizationId: string };
  let branchEditor: string;
  let tiedongEditor: string;
  let tiedongViewer: string;
  let lishanEditor: string;
  let province: string;

  const rows = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;
  const one = async (sql: string, params: unknown[] = []) => (await rows(sql, params))[0];
  const auditCount = async (action: string) => Number((await one(`SELECT count(*) FROM members.audit_log WHERE action = $1`, [action])).count);

  /** A lawyer of 辽宁弘扬律师事务所, a full member of its branch since 2015, written as an operator would with psql. */
  const lawyer = async () => {
    const { id } = await one(
      `INSERT INTO members.member (name, gender, ethnicity, birth_date, id_number, phone, practice_kind, license_number, institution_id, region_code,
                                   party_status, applied_on, activist_on, candidate_on, joined_on, full_on, organization_id)
       VALUES ($1, 'MALE', '汉族', '1982-03-03', $2, '13812345678', 'LAWYER', $3, $4, '210302', 'FULL', '2012-01-01', '2012-06-01', '2013-06-01', '2015-01-10', '2016-01-10', $5)
       RETURNING id`,
      [`评议党员${next()}`, idNumber('1982-03-03'), `1210320191${String(2_000_000 + next()).slice(-7)}`, hongyang.institutionId, hongyang.organizationId],
    );
    await db.query(`INSERT INTO members.organization_membership (member_id, organization_id, from_date) VALUES ($1, $2, '2015-01-10')`, [id, hongyang.organizationId]);
    stack.forgetCachedReads();
    return id as string;
  };

  beforeAll(async () => {
    stack = await startStack();
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    const firm = await one(`SELECT id, party_organization_id FROM organization.institution WHERE name = '辽宁弘扬律师事务所'`);
    hongyang = { institutionId: firm.id, organizationId: firm.party_organization_id };
    branchEditor = await stack.token({ tier: 'BRANCH', regionCode: '210302', organizationId: hongyang.organizationId, roles: ['editor'], subject: 'hongyang-secretary' });
    tiedongEditor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'] });
    tiedongViewer = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['viewer'] });
    lishanEditor = await stack.token({ tier: 'COUNTY', regionCode: '210304', roles: ['editor'] });
    province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  describe('democratic appraisal (民主评议党员)', () => {
    it('a branch holds its democratic appraisal and records each member’s grade, once per year', async () => {
      const members = [await lawyer(), await lawyer(), await lawyer()];
      const date = daysAgo(2);
      const year = Number(date.slice(0, 4));
      const meeting = await stack.request(
        `mutation($input: RecordActivityInput!) { recordActivity(input: $input) { id kind } }`,
        { input: { kind: 'DEMOCRATIC_APPRAISAL', title: `${year}年度民主评议党员`, date, durationHours: 2.5, organizerOrganizationId: hongyang.organizationId } },
        branchEditor,
      );
      expect(meeting.body.errors).toBeUndefined();
      const activityId = meeting.body.data.recordActivity.id;

      const audits = await auditCount('recordAppraisal');
      const grades = ['EXCELLENT', 'QUALIFIED', 'UNQUALIFIED'];
      for (const [i, memberId] of members.entries()) {
        const { body } = await stack.request(RECORD_APPRAISAL, { input: { memberId, year, grade: grades[i], activityId } }, branchEditor);
        expect(body.errors).toBeUndefined();
        expect(body.data.recordAppraisal).toMatchObject({ year, grade: grades[i], activity: { id: activityId, kind: 'DEMOCRATIC_APPRAISAL' }, organization: { id: hongyang.organizationId }, member: { id: memberId } });
      }
      expect(await auditCount('recordAppraisal')).toBe(audits + 3);

      // The member's record shows the grade; the county's work list names the unqualified member.
      const read = await stack.request(`query($id: ID!) { member(id: $id) { appraisals { year grade } } }`, { id: members[0] }, tiedongViewer);
      expect(read.body.data.member.appraisals).toEqual([{ year, grade: 'EXCELLENT' }]);
      const list = await stack.request(
        `query($y: Int!) { region(code: "210302") { unqualifiedMembers(year: $y, first: 100) { totalCount edges { node { id } } } } }`,
        { y: year },
        tiedongViewer,
      );
      expect(list.body.data.region.unqualifiedMembers.edges.map((e: any) => e.node.id)).toContain(members[2]);

      // A second grade for the year is a conflict; a correction says why, and replaces it.
      const again = await stack.request(RECORD_APPRAISAL, { input: { memberId: members[2], year, grade: 'QUALIFIED', activityId } }, branchEditor);
      expectRefused(again.body, 'CONFLICT');
      const corrected = await stack.request(
        RECORD_APPRAISAL,
        { input: { memberId: members[2], year, grade: 'BASICALLY_QUALIFIED', activityId, correctionReason: '复议后改定' } },
        branchEditor,
      );
      expect(corrected.body.errors).toBeUndefined();
      expect(corrected.body.data.recordAppraisal).toMatchObject({ grade: 'BASICALLY_QUALIFIED', correctionReason: '复议后改定' });
      const audit = await one(`SELECT before->>'grade' AS before, after->>'grade' AS after FROM members.audit_log WHERE action = 'recordAppraisal' ORDER BY id DESC LIMIT 1`);
      expect(audit).toEqual({ before: 'UNQUALIFIED', after: 'BASICALLY_QUALIFIED' });
      const after = await stack.request(
        `query($y: Int!) { region(code: "210302") { unqualifiedMembers(year: $y, first: 100) { edges { node { id } } } } }`,
        { y: year },
        tiedongViewer,
      );
      expect(after.body.data.region.unqualifiedMembers.edges.map((e: any) => e.node.id)).not.toContain(members[2]);
    });

    it('takes a grade only at the member’s branch’s appraisal or organizational life meeting of that year', async () => {
      const memberId = await lawyer();
      const lecture = await one(
        `INSERT INTO activities.activity (kind, title, held_on, duration_hours, organizer_organization_id, region_code)
         VALUES ('PARTY_LECTURE', '书记讲党课', '2019-06-01', 1.5, $1, '210302') RETURNING id`,
        [hongyang.organizationId],
      );
      const meeting2019 = await one(
        `INSERT INTO activities.activity (kind, title, held_on, duration_hours, organizer_organization_id, region_code)
         VALUES ('ORGANIZATIONAL_LIFE_MEETING', '2019年度组织生活会', '2019-12-20', 3, $1, '210302') RETURNING id`,
        [hongyang.organizationId],
      );
      stack.forgetCachedReads();
      const tryGrade = (year: number, activityId: string) =>
        stack.request(RECORD_APPRAISAL, { input: { memberId, year, grade: 'QUALIFIED', activityId } }, tiedongEditor);

      const lectureAnswer = await tryGrade(2019, lecture.id);
      expectRefused(lectureAnswer.body, 'BAD_USER_INPUT', { field: 'activityId' });
      const wrongYear = await tryGrade(2018, meeting2019.id);
      expectRefused(wrongYear.body, 'BAD_USER_INPUT', { field: 'activityId' });
      const missing = await tryGrade(2019, '00000000-0000-4000-8000-000000000000');
      expectRefused(missing.body, 'NOT_FOUND');
      const good = await tryGrade(2019, meeting2019.id);
      expect(good.body.data.recordAppraisal).toMatchObject({ year: 2019, grade: 'QUALIFIED' });
    });

    it('a county cannot record a grade for the next county’s member, and a viewer records none', async () => {
      const memberId = await lawyer();
      const { id: activityId } = await one(
        `SELECT id FROM activities.activity WHERE organizer_organization_id = $1 AND kind IN ('DEMOCRATIC_APPRAISAL', 'ORGANIZATIONAL_LIFE_MEETING') AND status = 'HELD'
          AND held_on BETWEEN '2019-01-01' AND '2019-12-31' ORDER BY held_on LIMIT 1`,
        [hongyang.organizationId],
      );
      const before = await rows(`SELECT count(*) FROM members.member_appraisal`);
      const audits = await auditCount('recordAppraisal');

      const neighbour = await stack.request(RECORD_APPRAISAL, { input: { memberId, year: 2019, grade: 'UNQUALIFIED', activityId } }, lishanEditor);
      expectRefused(neighbour.body, 'NOT_FOUND');
      expect(neighbour.body.errors?.[0].message).toBe(`Member ${memberId} was not found.`);
      const viewer = await stack.request(RECORD_APPRAISAL, { input: { memberId, year: 2019, grade: 'UNQUALIFIED', activityId } }, tiedongViewer);
      expectRefused(viewer.body, 'FORBIDDEN');

      expect(await rows(`SELECT count(*) FROM members.member_appraisal`)).toEqual(before);
      expect(await auditCount('recordAppraisal')).toBe(audits);
    });

    it('counts each grade in the region statistics as a recount of the grades finds, city by city, after a member moves', async () => {
      // A graded member moves to another county, as updateMember would move them: the counts follow.
      const moved = await one(
        `SELECT m.id FROM members.member m JOIN members.member_appraisal a ON a.member_id = m.id
          WHERE a.year = 2019 AND m.region_code LIKE '2103%' AND m.practice_kind IS NOT NULL ORDER BY m.id LIMIT 1`,
      );
      await db.query(`UPDATE members.member SET region_code = '210402' WHERE id = $1`, [moved.id]);
      stack.forgetCachedReads();

      const { body } = await stack.request(
        `{ region(code: "210000") { code memberStats { appraisals(year: 2019) { excellent qualified basicallyQualified unqualified } vanguardPosts responsibilityZones pledges(year: 2019) }
           children { code memberStats { appraisals(year: 2019) { excellent qualified basicallyQualified unqualified } vanguardPosts responsibilityZones pledges(year: 2019) } } } }`,
        {},
        province,
      );
      expect(body.errors).toBeUndefined();
      const recount = async (prefix: string) => {
        const grades = await rows(
          `SELECT a.grade, count(*)::int AS n FROM members.member_appraisal a JOIN members.member m ON m.id = a.member_id
            WHERE a.year = 2019 AND m.practice_kind IS NOT NULL AND m.region_code LIKE $1 || '%' GROUP BY a.grade`,
          [prefix],
        );
        const posts = await rows(
          `SELECT v.kind, count(*)::int AS n FROM members.vanguard_post v JOIN members.member m ON m.id = v.member_id
            WHERE v.ended_on IS NULL AND m.practice_kind IS NOT NULL AND m.region_code LIKE $1 || '%' GROUP BY v.kind`,
          [prefix],
        );
        const pledges = await one(
          `SELECT count(*)::int AS n FROM members.member_pledge g JOIN members.member m ON m.id = g.member_id
            WHERE g.year = 2019 AND m.practice_kind IS NOT NULL AND m.region_code LIKE $1 || '%'`,
          [prefix],
        );
        const grade = (name: string) => grades.find((row) => row.grade === name)?.n ?? 0;
        const post = (name: string) => posts.find((row) => row.kind === name)?.n ?? 0;
        return {
          appraisals: { excellent: grade('EXCELLENT'), qualified: grade('QUALIFIED'), basicallyQualified: grade('BASICALLY_QUALIFIED'), unqualified: grade('UNQUALIFIED') },
          vanguardPosts: post('VANGUARD_POST'),
          responsibilityZones: post('RESPONSIBILITY_ZONE'),
          pledges: pledges.n,
        };
      };
      const provinceCounts = await recount('21');
      expect(body.data.region.memberStats).toEqual(provinceCounts);
      // The demo's grades: mostly qualified and excellent, a few basically qualified, a handful unqualified.
      expect(provinceCounts.appraisals.qualified).toBeGreaterThan(provinceCounts.appraisals.excellent);
      expect(provinceCounts.appraisals.excellent).toBeGreaterThan(provinceCounts.appraisals.basicallyQualified);
      expect(provinceCounts.appraisals.basicallyQualified).toBeGreaterThan(provinceCounts.appraisals.unqualified);
      expect(provinceCounts.appraisals.unqualified).toBeGreaterThan(0);
      expect(provinceCounts.vanguardPosts + provinceCounts.responsibilityZones).toBeGreaterThan(0);
      for (const city of body.data.region.children) {
        expect({ code: city.code, ...city.memberStats }).toEqual({ code: city.code, ...(await recount(city.code.slice(0, 4))) });
      }
    });

    it('lists a region’s unqualified members as a recount finds them, a county seeing only its own', async () => {
      const { body } = await stack.request(
        `{ province: region(code: "210000") { unqualifiedMembers(year: 2019, first: 100) { totalCount edges { node { id region { code } } } } } }`,
        {},
        province,
      );
      const recount = await rows(
        `SELECT a.member_id AS id FROM members.member_appraisal a JOIN members.member m ON m.id = a.member_id
          WHERE a.year = 2019 AND a.grade = 'UNQUALIFIED' AND m.region_code LIKE '21%'`,
      );
      const listed = body.data.province.unqualifiedMembers;
      expect(listed.totalCount).toBe(recount.length);
      expect(listed.edges.map((e: any) => e.node.id).sort()).toEqual(recount.map((row) => row.id).sort());

      const county = listed.edges[0].node.region.code;
      const countyToken = await stack.token({ tier: 'COUNTY', regionCode: county });
      const seen = await stack.request(`{ province: region(code: "210000") { code } county: region(code: "${county}") { unqualifiedMembers(year: 2019) { totalCount } } }`, {}, countyToken);
      expect(seen.body.data.province).toBeNull();
      expect(seen.body.data.county.unqualifiedMembers.totalCount).toBe(listed.edges.filter((e: any) => e.node.region.code === county).length);

      // A member graded 不合格 moves to another county, as updateMember would move them: the grade goes with them.
      const mover = listed.edges[0].node;
      const destination = county === '210402' ? '210403' : '210402';
      await db.query(`UPDATE members.member SET region_code = $2 WHERE id = $1`, [mover.id, destination]);
      stack.forgetCachedReads();
      const after = await stack.request(
        `{ from: region(code: "${county}") { unqualifiedMembers(year: 2019, first: 100) { edges { node { id } } } }
           to: region(code: "${destination}") { unqualifiedMembers(year: 2019, first: 100) { edges { node { id } } } } }`,
        {},
        province,
      );
      expect(after.body.data.from.unqualifiedMembers.edges.map((e: any) => e.node.id)).not.toContain(mover.id);
      expect(after.body.data.to.unqualifiedMembers.edges.map((e: any) => e.node.id)).toContain(mover.id);
    });
  });

  describe('vanguard posts and pledges (先锋岗、责任区，亮身份、亮职责、亮承诺)', () => {
    it('the county records a post and a pledge of its member, closes them, and the region counts them while they stand', async () => {
      const memberId = await lawyer();
      const stats = async () =>
        (await stack.request(`{ region(code: "210302") { memberStats { vanguardPosts responsibilityZones pledges(year: 2019) } } }`, {}, tiedongViewer)).body.data.region.memberStats;
      const before = await stats();

      const post = await stack.request(
        `mutation($input: RecordVanguardPostInput!) { recordVanguardPost(input: $input) { id kind title startedOn endedOn institution { id } } }`,
        { input: { memberId, kind: 'RESPONSIBILITY_ZONE', title: '社区法律顾问责任区', startedOn: '2019-03-01' } },
        tiedongEditor,
      );
      expect(post.body.data.recordVanguardPost).toMatchObject({ kind: 'RESPONSIBILITY_ZONE', endedOn: null, institution: { id: hongyang.institutionId } });
      const pledge = await stack.request(
        `mutation($input: RecordPledgeInput!) { recordPledge(input: $input) { id year commitment pledgedOn } }`,
        { input: { memberId, year: 2019, commitment: '全年办理法律援助案件不少于3件', pledgedOn: '2019-04-01' } },
        tiedongEditor,
      );
      expect(pledge.body.data.recordPledge).toMatchObject({ year: 2019, commitment: '全年办理法律援助案件不少于3件' });
      const twice = await stack.request(
        `mutation($input: RecordPledgeInput!) { recordPledge(input: $input) { id } }`,
        { input: { memberId, year: 2019, commitment: '再次承诺', pledgedOn: '2019-05-01' } },
        tiedongEditor,
      );
      expectRefused(twice.body, 'CONFLICT');
      expect(await stats()).toEqual({ ...before, responsibilityZones: before.responsibilityZones + 1, pledges: before.pledges + 1 });

      const read = await stack.request(
        `query($id: ID!) { member(id: $id) { vanguardPosts { title endedOn } pledges { year commitment closedOn } } }`,
        { id: memberId },
        tiedongViewer,
      );
      expect(read.body.data.member).toEqual({
        vanguardPosts: [{ title: '社区法律顾问责任区', endedOn: null }],
        pledges: [{ year: 2019, commitment: '全年办理法律援助案件不少于3件', closedOn: null }],
      });

      const closed = await stack.request(`mutation($id: ID!) { closeVanguardPost(id: $id, endedOn: "2019-12-31") { endedOn } }`, { id: post.body.data.recordVanguardPost.id }, branchEditor);
      expect(closed.body.data.closeVanguardPost.endedOn).toBe('2019-12-31');
      const kept = await stack.request(`mutation($id: ID!) { closePledge(id: $id, closedOn: "2019-12-31") { closedOn } }`, { id: pledge.body.data.recordPledge.id }, branchEditor);
      expect(kept.body.data.closePledge.closedOn).toBe('2019-12-31');
      // A closed post no longer counts; the year's pledge still does.
      expect(await stats()).toEqual({ ...before, pledges: before.pledges + 1 });
      const active = await stack.request(`query($id: ID!) { member(id: $id) { vanguardPosts(activeOnly: true) { id } } }`, { id: memberId }, tiedongViewer);
      expect(active.body.data.member.vanguardPosts).toEqual([]);
    });
  });

  describe('Party dues (党费)', () => {
    it('sets a member’s base, derives the rate and amount by the 2008 rule at each bracket, and takes the months in order', async () => {
      const memberId = await lawyer();
      const brackets = [
        [3000, 0.005, 15],
        [3000.01, 0.01, 30],
        [5000, 0.01, 50],
        [8000, 0.015, 120],
        [10000.01, 0.02, 200],
      ];
      for (const [base, rate, monthlyAmount] of brackets) {
        const { body } = await stack.request(SET_DUES, { m: memberId, input: { category: 'EMPLOYED', base, fromMonth: monthsBefore(4) } }, tiedongEditor);
        expect(body.errors).toBeUndefined();
        expect(body.data.setDuesBase).toMatchObject({ base, rate, monthlyAmount });
      }
      const student = await lawyer();
      const fixed = await stack.request(SET_DUES, { m: student, input: { category: 'STUDENT' } }, tiedongEditor);
      expect(fixed.body.data.setDuesBase).toMatchObject({ base: null, rate: null, monthlyAmount: 0.2, fromMonth: currentMonth(), monthsInArrears: 0 });

      // Owed from four months back at 200 yuan: four months in arrears, the first to be paid first.
      const audits = await auditCount('recordDuesPayment');
      const wrongAmount = await stack.request(PAY, { m: memberId, month: monthsBefore(4), amount: 120 }, tiedongEditor);
      expectRefused(wrongAmount.body, 'BAD_USER_INPUT', { field: 'amount' });
      const outOfOrder = await stack.request(PAY, { m: memberId, month: monthsBefore(3), amount: 200 }, tiedongEditor);
      expectRefused(outOfOrder.body, 'BAD_USER_INPUT', { field: 'month' });
      const paid = await stack.request(PAY, { m: memberId, month: monthsBefore(4), amount: 200 }, branchEditor);
      expect(paid.body.data.recordDuesPayment).toEqual({ monthlyAmount: 200, paidThrough: monthsBefore(4), monthsInArrears: 3 });
      const twice = await stack.request(PAY, { m: memberId, month: monthsBefore(4), amount: 200 }, branchEditor);
      expectRefused(twice.body, 'CONFLICT');
      expect(await auditCount('recordDuesPayment')).toBe(audits + 1);
      expect(await one(`SELECT amount_fen FROM members.dues_payment WHERE member_id = $1`, [memberId])).toEqual({ amount_fen: 20000 });
    });

    it('masks the money for a reader who reads the member’s personal data masked', async () => {
      const memberId = await lawyer();
      await stack.request(SET_DUES, { m: memberId, input: { category: 'EMPLOYED', base: 12000, fromMonth: monthsBefore(5) } }, tiedongEditor);
      const query = `query($id: ID!) { member(id: $id) { idNumber dues { category base rate monthlyAmount fromMonth paidThrough monthsInArrears } } }`;
      const owner = await stack.request(query, { id: memberId }, tiedongEditor);
      expect(owner.body.data.member.dues).toEqual({ category: 'EMPLOYED', base: 12000, rate: 0.02, monthlyAmount: 240, fromMonth: monthsBefore(5), paidThrough: null, monthsInArrears: 5 });
      for (const token of [tiedongViewer, await stack.token({ tier: 'CITY', regionCode: '210300' })]) {
        const masked = await stack.request(query, { id: memberId }, token);
        expect(masked.body.data.member.idNumber).toMatch(/^2103\*{14}$/);
        expect(masked.body.data.member.dues).toEqual({ category: 'EMPLOYED', base: null, rate: null, monthlyAmount: null, fromMonth: monthsBefore(5), paidThrough: null, monthsInArrears: 5 });
      }
    });

    it('lists the members three months or more in arrears as a recount finds them, most overdue first', async () => {
      const recount = async (prefix: string, minMonths: number) =>
        (await rows(
          `SELECT d.member_id AS id FROM members.member_dues d JOIN members.member m ON m.id = d.member_id
            WHERE m.party_status IN ('PROBATIONARY', 'FULL') AND m.region_code LIKE $1 || '%'
              AND d.owed_from <= (date_trunc('month', (now() AT TIME ZONE 'Asia/Shanghai')::date) - make_interval(months => $2))::date`,
          [prefix, minMonths],
        )).map((row) => row.id as string);
      const LIST = `query($code: ID!, $min: Int, $after: String) { region(code: $code) { duesArrears(minMonths: $min, first: 50, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id region { code } dues { monthsInArrears } } } } } }`;
      const all = async (code: string, min: number | null, token: string) => {
        const nodes: any[] = [];
        let after: string | null = null;
        let totalCount = 0;
        do {
          const response: { body: any } = await stack.request(LIST, { code, min, after }, token);
          expect(response.body.errors).toBeUndefined();
          const page: any = response.body.data.region.duesArrears;
          totalCount = page.totalCount;
          nodes.push(...page.edges.map((e: any) => e.node));
          after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        } while (after);
        return { totalCount, nodes };
      };

      const listed = await all('210000', null, province);
      const expected = await recount('21', 3);
      expect(expected.length).toBeGreaterThan(0);
      expect(listed.totalCount).toBe(expected.length);
      expect(listed.nodes.map((n) => n.id).sort()).toEqual(expected.sort());
      const months = listed.nodes.map((n) => n.dues.monthsInArrears);
      expect(months.every((m) => m >= 3)).toBe(true);
      expect(months).toEqual([...months].sort((a, b) => b - a));

      const anshan = await all('210300', 1, await stack.token({ tier: 'CITY', regionCode: '210300' }));
      expect(anshan.nodes.map((n) => n.id).sort()).toEqual((await recount('2103', 1)).sort());
      const bad = await stack.request(LIST, { code: '210300', min: 0, after: null }, province);
      expectRefused(bad.body, 'BAD_USER_INPUT', { field: 'minMonths' });

      // A member in arrears moves to another city, as updateMember would move them: their debt goes with them.
      const debtor = anshan.nodes.find((n) => n.dues.monthsInArrears >= 3)!;
      await db.query(`UPDATE members.member SET region_code = '210402' WHERE id = $1`, [debtor.id]);
      stack.forgetCachedReads();
      const fushun = await all('210400', 3, province);
      expect(fushun.nodes.map((n) => n.id)).toContain(debtor.id);
      expect(fushun.nodes.map((n) => n.id).sort()).toEqual((await recount('2104', 3)).sort());
      expect((await all('210300', 3, province)).nodes.map((n) => n.id)).not.toContain(debtor.id);
    });
  });
});
