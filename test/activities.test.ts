import { startStack, type GraphQLErrorBody, type Stack } from './helpers/stack';
import { expectData, expectNoErrors } from './helpers/expectations';
import { BranchProfileDocument, MemberProfileDocument, ProvinceDashboardDocument } from '../examples/client/generated';

const ORGANIZATIONAL_LIFE = [
  'BRANCH_GENERAL_MEETING',
  'BRANCH_COMMITTEE_MEETING',
  'PARTY_GROUP_MEETING',
  'PARTY_LECTURE',
  'THEME_PARTY_DAY',
  'ORGANIZATIONAL_LIFE_MEETING',
  'DEMOCRATIC_APPRAISAL',
];

const PAGE = /* GraphQL */ `
  query Page($filter: ActivityFilter, $after: String) {
    activities(filter: $filter, first: 50, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id kind title date endDate location classHours attendanceCount region { code } organization { id } station { id name } } }
    }
  }
`;

/** Errors that concern this subgraph's fields; another subgraph's trouble is that subgraph's tests' business. */
const activityErrors = (errors: GraphQLErrorBody[] | undefined) =>
  (errors ?? []).filter((e) => JSON.stringify(e.path ?? []).match(/activit|organizationalLife|trainingHours|serviceHours/));

describe('activities and organizational life on the demo dataset', () => {
  let stack: Stack;
  let province: string;

  const all = async (filter: Record<string, unknown>, token = province) => {
    const nodes: any[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const { body }: any = await stack.request(PAGE, { filter, after }, token);
      expectNoErrors(body);
      nodes.push(...body.data.activities.edges.map((e: any) => e.node));
      if (!body.data.activities.pageInfo.hasNextPage) return { nodes, totalCount: body.data.activities.totalCount };
      after = body.data.activities.pageInfo.endCursor;
    }
    throw new Error('too many pages');
  };

  type Institution = { id: string; name: string; region: { code: string }; partyOrganization: { id: string } };
  const institution = async (name: string) => {
    const { body } = await stack.request<{ institutions: { edges: { node: Institution }[] } }>(
      `query($n: String!) { institutions(filter: { nameContains: $n }, first: 5) { edges { node { id name region { code } partyOrganization { id } } } } }`,
      { n: name },
      province,
    );
    return expectNoErrors(body).institutions.edges.map((e) => e.node).find((n) => n.name === name)!;
  };

  beforeAll(async () => {
    stack = await startStack();
    province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
  });
  afterAll(() => stack?.stop());

  describe('the contract', () => {
    it('ProvinceDashboard: every kind of organizational life was held in 2019, and compliance lies strictly between 0 and 1', async () => {
      const { status, body } = await stack.request(ProvinceDashboardDocument, { code: '210000', year: 2019, awardYear: 2016 }, province);
      expect(status).toBe(200);
      expect(activityErrors(body.errors)).toEqual([]);
      const dashboard = expectData(body);
      const stats = dashboard.region.activityStats;
      const byKind = Object.fromEntries(stats.byKind.map((k) => [k.kind, k.count]));
      for (const kind of ORGANIZATIONAL_LIFE) expect(byKind[kind]).toBeGreaterThan(0);
      expect(stats.total).toBe(stats.byKind.reduce((sum, k) => sum + k.count, 0));
      expect(stats.organizationalLifeComplianceRate).toBeGreaterThan(0);
      expect(stats.organizationalLifeComplianceRate).toBeLessThan(1);
      const cities = dashboard.region.children;
      expect(cities).toHaveLength(14);
      expect(cities.reduce((sum, city) => sum + city.activityStats.total, 0)).toBe(stats.total);
      for (const city of cities) {
        expect(city.activityStats.organizationalLifeComplianceRate).toBeGreaterThanOrEqual(0);
        expect(city.activityStats.organizationalLifeComplianceRate).toBeLessThanOrEqual(1);
      }
    });

    it('adds up: the province is the sum of its cities, and every city the sum of its counties, kind by kind', async () => {
      const fields = 'total branches obligations obligationsMet';
      const { body } = await stack.request(
        `{ region(code: "210000") { activityStats(year: 2019) { ${fields} byKind { kind count } }
            children { activityStats(year: 2019) { ${fields} byKind { kind count } }
              children { activityStats(year: 2019) { ${fields} } } } } }`,
        {},
        province,
      );
      expectNoErrors(body);
      const region = body.data.region;
      const sum = (items: any[], field: string) => items.reduce((total, item) => total + item.activityStats[field], 0);
      for (const field of ['total', 'branches', 'obligations', 'obligationsMet']) {
        expect(sum(region.children, field)).toBe(region.activityStats[field]);
        for (const city of region.children) expect(sum(city.children, field)).toBe(city.activityStats[field]);
      }
      region.activityStats.byKind.forEach((kind: any, i: number) => {
        expect(region.children.reduce((total: number, city: any) => total + city.activityStats.byKind[i].count, 0)).toBe(kind.count);
      });
      expect(region.activityStats.obligationsMet).toBeLessThan(region.activityStats.obligations);
    });

    it('BranchProfile: a branch’s 2019 organizational life line by line, and its activities newest first', async () => {
      const chenhan = await institution('辽宁宸瀚律师事务所');
      const { body } = await stack.request(BranchProfileDocument, { id: chenhan.partyOrganization.id, year: 2019 }, province);
      expect(activityErrors(body.errors)).toEqual([]);
      const branch = expectData(body).partyOrganization;
      expect(branch.organizationalLife.map((line) => line.kind)).toEqual(ORGANIZATIONAL_LIFE);
      for (const line of branch.organizationalLife) {
        expect(line.required).toBeGreaterThanOrEqual(0);
        expect(line.held).toBeGreaterThanOrEqual(0);
      }
      expect(branch.activities.length).toBeGreaterThan(0);
      expect(branch.activities.every((a) => a.date.startsWith('2019-'))).toBe(true);
      const dates = branch.activities.map((a) => a.date);
      expect([...dates].sort().reverse()).toEqual(dates);
      const drugRehabilitation = branch.activities.find((a) => a.date === '2019-08-05' && a.kind === 'VOLUNTEER_SERVICE');
      expect(drugRehabilitation?.title).toContain('强制隔离戒毒所');
      expect(drugRehabilitation?.attendanceCount).toBeGreaterThan(0);
      const held = Object.fromEntries(branch.organizationalLife.map((line) => [line.kind, line.held]));
      for (const kind of ORGANIZATIONAL_LIFE) expect(branch.activities.filter((a) => a.kind === kind)).toHaveLength(held[kind]);
      expect(branch.members.every((m) => typeof m.trainingHours === 'number')).toBe(true);
    });

    it('MemberProfile: a notary of 开原市公证处 served after the tornado of 3 July 2019, with the hours to show for it', async () => {
      const notary = await institution('开原市公证处');
      const relief = (await all({ institutionId: notary.id, kinds: ['VOLUNTEER_SERVICE'] })).nodes.filter((a) => a.title.includes('龙卷风'));
      expect(relief.length).toBeGreaterThanOrEqual(3);
      expect(relief.every((a) => a.date > '2019-07-03' && a.date < '2019-08-01' && a.region.code === '211282')).toBe(true);
      expect(relief.find((a) => a.date === '2019-07-04').attendanceCount).toBe(6);
      expect(relief[0].station.name).toContain('开原');

      const { body } = await stack.request(`query($id: ID!) { activity(id: $id) { attendance { member { id } status hours } } }`, { id: relief[0].id }, province);
      const memberId = body.data.activity.attendance[0].member.id;
      const profile = await stack.request(MemberProfileDocument, { id: memberId, year: 2019 }, province);
      expect(activityErrors(profile.body.errors)).toEqual([]);
      const member = expectData(profile).member;
      expect(member.institution.name).toBe('开原市公证处');
      expect(member.serviceHours).toBeGreaterThanOrEqual(37);
      expect(member.activities.map((a) => a.id)).toEqual(expect.arrayContaining(relief.map((a) => a.id)));
      expect(member.activities.every((a) => a.date.startsWith('2019-'))).toBe(true);
      expect(typeof member.trainingHours).toBe('number');
    });
  });

  describe('what the sources tell', () => {
    it('holds the provincial demonstration classes of 2014 and 2015 at the provincial Party school, with enrolment and class hours', async () => {
      for (const year of [2014, 2015]) {
        const { body } = await stack.request(
          `query($year: Int!) { activities(filter: { kinds: [TRAINING_CLASS], year: $year }) { edges { node { title location classHours date endDate enrolments { enrolledOn completedOn hours } } } } }`,
          { year },
          province,
        );
        const classes = body.data.activities.edges.map((e: any) => e.node);
        expect(classes).toHaveLength(1);
        const [demonstration] = classes;
        expect(demonstration).toMatchObject({ location: '中共辽宁省委党校', classHours: 40 });
        expect(demonstration.title).toContain('示范培训班');
        expect(demonstration.enrolments.length).toBeGreaterThanOrEqual(100);
        for (const enrolment of demonstration.enrolments) {
          expect(enrolment.enrolledOn < demonstration.date).toBe(true);
          if (enrolment.completedOn) expect(enrolment).toMatchObject({ completedOn: demonstration.endDate, hours: 40 });
        }
      }
    });

    it('holds the four concentrated trainings of 2016–2017', async () => {
      const trainings = [...(await all({ kinds: ['TRAINING_CLASS'], year: 2016 })).nodes, ...(await all({ kinds: ['TRAINING_CLASS'], year: 2017 })).nodes];
      const concentrated = trainings.filter((t) => t.title.includes('集中培训'));
      expect(concentrated).toHaveLength(4);
      expect(concentrated.every((t) => t.classHours > 0 && t.attendanceCount > 100)).toBe(true);
    });

    it('gives Anshan’s young Party lawyers their 67 “法照青春、护航校园” lectures in more than 50 schools', async () => {
      const lectures = (await all({ regionCode: '210300', kinds: ['LEGAL_EDUCATION'] })).nodes.filter((a) => a.title.startsWith('“法照青春、护航校园”'));
      expect(lectures).toHaveLength(67);
      expect(new Set(lectures.map((a) => a.location)).size).toBeGreaterThan(50);
      expect(lectures.every((a) => a.date >= '2018-01-01' && a.date <= '2019-12-31')).toBe(true);
    });

    it('keeps Anshan’s “五小” tests in Anshan’s law firms’ branches, and nowhere else', async () => {
      const tests = await all({ kinds: ['KNOWLEDGE_TEST'] });
      expect(tests.totalCount).toBeGreaterThan(0);
      expect(tests.nodes.every((a) => a.region.code.startsWith('2103') && a.title.includes('五小'))).toBe(true);
      const lectures = await all({ regionCode: '210300', kinds: ['PARTY_LECTURE'], year: 2019 });
      expect(lectures.nodes.some((a) => a.title.includes('“五小”党务小课堂'))).toBe(true);
    });

    it('records the provincial center’s guidance visits to 辽宁宸瀚律师事务所 from May 2019, and its checkpoints', async () => {
      const chenhan = await institution('辽宁宸瀚律师事务所');
      const visits = (await all({ institutionId: chenhan.id, kinds: ['GUIDANCE_VISIT'] })).nodes;
      expect(visits.length).toBeGreaterThanOrEqual(3);
      expect(visits.every((v) => v.date >= '2019-05-01')).toBe(true);
      expect(visits.at(-1).title).toContain('警律共建');
      const { body } = await stack.request(
        `query($id: ID!) { institution(id: $id) { checkpoints(year: 2019) { year stage result checkedOn } } }`,
        { id: chenhan.id },
        province,
      );
      const checkpoints = body.data.institution.checkpoints;
      expect(checkpoints.every((c: any) => c.year === 2019 && c.checkedOn.startsWith('2019-'))).toBe(true);
    });
  });

  describe('who sees which activities', () => {
    it('a county viewer cannot see the next county’s activities', async () => {
      const tiedong = await stack.token({ tier: 'COUNTY', regionCode: '210302' });
      const own = await all({ year: 2019, kinds: ['BRANCH_GENERAL_MEETING'] }, tiedong);
      expect(own.totalCount).toBeGreaterThan(0);
      expect(own.nodes.every((a) => a.region.code === '210302')).toBe(true);
      const next = (await all({ regionCode: '210303', year: 2019, kinds: ['BRANCH_GENERAL_MEETING'] })).nodes[0];
      const { body } = await stack.request(`query($a: ID!, $b: ID!) { a: activity(id: $a) { id } b: activity(id: $b) { id } }`, { a: next.id, b: own.nodes[0].id }, tiedong);
      expect(body.data).toEqual({ a: null, b: { id: own.nodes[0].id } });
      expect((await all({ regionCode: '210303' }, tiedong)).totalCount).toBe(0);
    });

    it('a city viewer counts the hours its members trained elsewhere, though it reads the provincial class neither by id nor among their activities', async () => {
      const anshan = await stack.token({ tier: 'CITY', regionCode: '210300' });
      const anshanMembers = new Set<string>();
      let after: string | null = null;
      do {
        const { body }: any = await stack.request(
          `query($after: String) { members(filter: { partyStatus: FULL }, first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
          { after },
          anshan,
        );
        for (const edge of body.data.members.edges) anshanMembers.add(edge.node.id);
        after = body.data.members.pageInfo.hasNextPage ? body.data.members.pageInfo.endCursor : null;
      } while (after);

      const { body } = await stack.request(
        `{ activities(filter: { kinds: [TRAINING_CLASS], year: 2016 }) { edges { node { id region { code } enrolments { member { id } hours } } } } }`,
        {},
        province,
      );
      const trainings = body.data.activities.edges.map((e: any) => e.node).filter((t: any) => !t.region.code.startsWith('2103'));
      const training = trainings.find((t: any) => t.enrolments.some((e: any) => e.hours && anshanMembers.has(e.member.id)));
      const enrolment = training.enrolments.find((e: any) => e.hours && anshanMembers.has(e.member.id));
      const seen = await stack.request(
        `query($m: ID!, $t: ID!) { member(id: $m) { trainingHours(year: 2016) activities(year: 2016) { id kind } } activity(id: $t) { id } }`,
        { m: enrolment.member.id, t: training.id },
        anshan,
      );
      expectNoErrors(seen);
      expect(seen.body.data.activity).toBeNull();
      expect(seen.body.data.member.activities.map((a: any) => a.id)).not.toContain(training.id);
      expect(seen.body.data.member.trainingHours).toBeGreaterThanOrEqual(enrolment.hours);
    });

    it('a branch sees its own organization’s activities and its members’ hours, and nothing of another branch', async () => {
      const chenhan = await institution('辽宁宸瀚律师事务所');
      const hongyang = await institution('辽宁弘扬律师事务所');
      const branchId = chenhan.partyOrganization.id;
      const branch = await stack.token({ tier: 'BRANCH', regionCode: chenhan.region.code, organizationId: branchId });
      const listed = await all({ year: 2019 }, branch);
      expect(listed.totalCount).toBeGreaterThan(0);
      expect(listed.nodes.every((a) => a.organization?.id === branchId)).toBe(true);

      const { body } = await stack.request(
        `query($id: ID!, $code: ID!) {
           partyOrganization(id: $id) { activities(year: 2019) { id } organizationalLife(year: 2019) { kind } members { id trainingHours(year: 2019) serviceHours(year: 2019) } }
           region(code: $code) { activityStats(year: 2019) { total branches } }
         }`,
        { id: branchId, code: chenhan.region.code },
        branch,
      );
      expectNoErrors(body);
      const own = body.data.partyOrganization;
      expect(own.organizationalLife).toHaveLength(7);
      expect(body.data.region.activityStats).toEqual({ total: own.activities.length, branches: 1 });

      const asProvince = await stack.request(
        `query($id: ID!) { partyOrganization(id: $id) { members { id trainingHours(year: 2019) serviceHours(year: 2019) } } }`,
        { id: branchId },
        province,
      );
      expect(own.members).toEqual(asProvince.body.data.partyOrganization.members);

      const other = await stack.request(`query($id: ID!) { partyOrganization(id: $id) { id activities { id } } }`, { id: hongyang.partyOrganization.id }, branch);
      expect(other.body.data.partyOrganization).toBeNull();
      const hongyangMeeting = (await all({ organizationId: hongyang.partyOrganization.id, year: 2019, kinds: ['THEME_PARTY_DAY'] })).nodes[0];
      expect((await stack.request(`query($id: ID!) { activity(id: $id) { id } }`, { id: hongyangMeeting.id }, branch)).body.data.activity).toBeNull();
    });
  });
});
