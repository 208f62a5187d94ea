import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { startStack, type Stack } from './helpers/stack';
import { expectNoErrors, expectRefused } from './helpers/expectations';

/**
 * Organizational-life compliance against a small ledger counted by hand. 清河门区 (阜新) is cleared
 * of its demo activities and given five Party organizations of its own, whose 2019 meetings are
 * listed below; every expected figure was counted from these lists.
 */
const COUNTY = '210905';
const CITY = '210900';

const months = (from: number, to: number, day: number, except: number[] = []) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i)
    .filter((month) => !except.includes(month))
    .map((month) => `2019-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);

/** Keeps every rule, every month: 7 obligations, 7 met. */
const A = {
  id: randomUUID(),
  name: '中共清河门区守约律师事务所支部委员会',
  kind: 'STANDALONE_BRANCH',
  foundedOn: '2017-03-01',
  dissolvedOn: null,
  held: {
    BRANCH_COMMITTEE_MEETING: months(1, 12, 10),
    PARTY_GROUP_MEETING: months(1, 12, 15),
    THEME_PARTY_DAY: months(1, 12, 1),
    BRANCH_GENERAL_MEETING: ['2019-03-20', '2019-06-20', '2019-09-20', '2019-12-20'],
    PARTY_LECTURE: ['2019-02-25', '2019-05-25', '2019-08-25', '2019-11-25'],
    ORGANIZATIONAL_LIFE_MEETING: ['2019-12-26'],
    DEMOCRATIC_APPRAISAL: ['2019-12-27'],
  },
};

/**
 * Misses March's committee meeting though it held 12 (two in April); holds no lecture in the
 * fourth quarter and no democratic appraisal; its fourth-quarter general meeting was called off
 * on 10 November and held on 15 December. 7 obligations, 4 met.
 */
const B = {
  id: randomUUID(),
  name: '中共清河门区律师行业第1联合支部委员会',
  kind: 'JOINT_BRANCH',
  foundedOn: '2016-05-01',
  dissolvedOn: null,
  held: {
    BRANCH_COMMITTEE_MEETING: ['2019-01-08', '2019-02-08', '2019-04-05', '2019-04-25', ...months(5, 12, 8)],
    PARTY_GROUP_MEETING: months(1, 12, 16),
    THEME_PARTY_DAY: months(1, 12, 5),
    BRANCH_GENERAL_MEETING: ['2019-03-28', '2019-06-28', '2019-09-28', '2019-12-15'],
    PARTY_LECTURE: ['2019-03-05', '2019-06-05', '2019-09-05'],
    ORGANIZATIONAL_LIFE_MEETING: ['2019-12-28'],
    DEMOCRATIC_APPRAISAL: [],
  },
  calledOff: { kind: 'BRANCH_GENERAL_MEETING', date: '2019-11-10' },
};

/**
 * Founded on 16 July: it owes the months from August (5), the fourth quarter (1), and neither
 * half of the year nor the year. Misses November's theme day; its one lecture fell in the third
 * quarter, which it did not owe. 5 obligations, 3 met.
 */
const C = {
  id: randomUUID(),
  name: '中共清河门区新立律师事务所支部委员会',
  kind: 'STANDALONE_BRANCH',
  foundedOn: '2019-07-16',
  dissolvedOn: null,
  held: {
    BRANCH_COMMITTEE_MEETING: months(8, 12, 10),
    PARTY_GROUP_MEETING: months(8, 12, 12),
    THEME_PARTY_DAY: months(8, 12, 1, [11]),
    BRANCH_GENERAL_MEETING: ['2019-10-15'],
    PARTY_LECTURE: ['2019-09-20'],
    ORGANIZATIONAL_LIFE_MEETING: ['2019-12-20'],
    DEMOCRATIC_APPRAISAL: [],
  },
};

/** Dissolved on 30 June: it owes nothing in 2019, though its six committee meetings count as held. */
const D = {
  id: randomUUID(),
  name: '中共清河门区原律师事务所支部委员会',
  kind: 'STANDALONE_BRANCH',
  foundedOn: '2015-01-01',
  dissolvedOn: '2019-06-30',
  held: { BRANCH_COMMITTEE_MEETING: months(1, 6, 10) },
};

/** A temporary branch owes no organizational life; its three theme days count as held. */
const E = {
  id: randomUUID(),
  name: '中共清河门区法律服务培训班临时支部委员会',
  kind: 'TEMPORARY_BRANCH',
  foundedOn: '2019-03-01',
  dissolvedOn: null,
  held: { THEME_PARTY_DAY: months(4, 6, 1) },
};

const STATS = /* GraphQL */ `
  query Stats($code: ID!, $year: Int!) {
    region(code: $code) {
      activityStats(year: $year) { total byKind { kind count } branches obligations obligationsMet organizationalLifeComplianceRate }
    }
  }
`;

const LIFE = /* GraphQL */ `
  query Life($id: ID!, $year: Int!) {
    partyOrganization(id: $id) { id organizationalLife(year: $year) { kind frequency required held periodsMet met } }
  }
`;

interface ActivityStats {
  total: number;
  byKind: { kind: string; count: number }[];
  branches: number;
  obligations: number;
  obligationsMet: number;
  organizationalLifeComplianceRate: number;
}
/** One kind of organizational life owed by a branch in a year, as LIFE selects it. */
interface LifeLine {
  kind: string;
  frequency: string;
  required: number;
  held: number;
  periodsMet: number;
  met: boolean;
}

describe('organizational-life compliance, counted by hand', () => {
  let stack: Stack;
  let db: Client;
  let province: string;

  beforeAll(async () => {
    stack = await startStack();
    db = await stack.database();
    province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });

    // The county starts with an empty ledger.
    await db.query(`DELETE FROM activities.attendance WHERE activity_id IN (SELECT id FROM activities.activity WHERE region_code = $1)`, [COUNTY]);
    await db.query(`DELETE FROM activities.enrolment WHERE activity_id IN (SELECT id FROM activities.activity WHERE region_code = $1)`, [COUNTY]);
    await db.query(`DELETE FROM activities.activity WHERE region_code = $1`, [COUNTY]);
    await db.query(`DELETE FROM activities.registered_organization WHERE region_code = $1`, [COUNTY]);

    for (const branch of [A, B, C, D, E]) {
      await db.query(
        `INSERT INTO organization.party_organization (id, name, kind, sector, region_code, founded_on, dissolved_on, dissolution_reason)
         VALUES ($1, $2, $3, 'LAW_FIRM', $4, $5, $6, $7)`,
        [branch.id, branch.name, branch.kind, COUNTY, branch.foundedOn, branch.dissolvedOn, branch.dissolvedOn ? '律师事务所注销' : null],
      );
      await db.query(
        `INSERT INTO activities.registered_organization (organization_id, region_code, kind, founded_on, dissolved_on) VALUES ($1, $2, $3, $4, $5)`,
        [branch.id, COUNTY, branch.kind, branch.foundedOn, branch.dissolvedOn],
      );
      for (const [kind, dates] of Object.entries(branch.held)) {
        await db.query(
          `INSERT INTO activities.activity (kind, title, held_on, organizer_organization_id, region_code)
           SELECT $1, $1, d, $2, $3 FROM unnest($4::date[]) AS d`,
          [kind, branch.id, COUNTY, dates],
        );
      }
    }
    await db.query(
      `INSERT INTO activities.activity (kind, title, held_on, organizer_organization_id, region_code, status, cancelled_on, cancellation_reason)
       VALUES ($1, '第四季度支部党员大会', $2, $3, $4, 'CANCELLED', $2, '与集中开庭时间冲突，改期举行')`,
      [B.calledOff.kind, B.calledOff.date, B.id, COUNTY],
    );
  });
  afterAll(() => stack?.stop());

  const stats = async (code: string, year: number, token = province) => {
    return expectNoErrors(await stack.request<{ region: { activityStats: ActivityStats } }>(STATS, { code, year }, token)).region.activityStats;
  };
  const life = async (id: string, year: number, token = province) => {
    const answer = await stack.request<{ partyOrganization: { id: string; organizationalLife: LifeLine[] } }>(LIFE, { id, year }, token);
    return Object.fromEntries(expectNoErrors(answer).partyOrganization.organizationalLife.map((line) => [line.kind, line]));
  };

  it('counts 14 of 19 obligations met in the county in 2019: the share of (branch, kind) pairs that held every owed period', async () => {
    const county = await stats(COUNTY, 2019);
    expect(county).toMatchObject({ total: 116, branches: 3, obligations: 19, obligationsMet: 14 });
    expect(county.organizationalLifeComplianceRate).toBeCloseTo(14 / 19, 12);
    const byKind = Object.fromEntries(county.byKind.map((k) => [k.kind, k.count]));
    expect(byKind).toEqual({
      BRANCH_GENERAL_MEETING: 9,
      BRANCH_COMMITTEE_MEETING: 35,
      PARTY_GROUP_MEETING: 29,
      PARTY_LECTURE: 8,
      THEME_PARTY_DAY: 31,
      ORGANIZATIONAL_LIFE_MEETING: 3,
      DEMOCRATIC_APPRAISAL: 1,
      KNOWLEDGE_TEST: 0,
      TRAINING_CLASS: 0,
      VOLUNTEER_SERVICE: 0,
      LEGAL_EDUCATION: 0,
      GUIDANCE_VISIT: 0,
    });
  });

  it('shows a branch that kept every rule as met on every line', async () => {
    const lines = await life(A.id, 2019);
    expect(Object.keys(lines)).toHaveLength(7);
    for (const line of Object.values(lines)) expect(line).toMatchObject({ met: true });
    expect(lines.BRANCH_COMMITTEE_MEETING).toMatchObject({ frequency: 'MONTHLY', required: 12, held: 12, periodsMet: 12 });
    expect(lines.PARTY_LECTURE).toMatchObject({ frequency: 'QUARTERLY', required: 4, held: 4, periodsMet: 4 });
    expect(lines.DEMOCRATIC_APPRAISAL).toMatchObject({ frequency: 'YEARLY', required: 1, held: 1, periodsMet: 1 });
  });

  it('judges each period, not the count: twelve committee meetings with none in March fall short', async () => {
    const lines = await life(B.id, 2019);
    expect(lines.BRANCH_COMMITTEE_MEETING).toMatchObject({ required: 12, held: 12, periodsMet: 11, met: false });
    expect(lines.PARTY_LECTURE).toMatchObject({ required: 4, held: 3, periodsMet: 3, met: false });
    expect(lines.DEMOCRATIC_APPRAISAL).toMatchObject({ required: 1, held: 0, periodsMet: 0, met: false });
    // The called-off meeting counts nowhere; the one held in December makes the quarter.
    expect(lines.BRANCH_GENERAL_MEETING).toMatchObject({ required: 4, held: 4, periodsMet: 4, met: true });
    expect([lines.PARTY_GROUP_MEETING.met, lines.THEME_PARTY_DAY.met, lines.ORGANIZATIONAL_LIFE_MEETING.met]).toEqual([true, true, true]);
  });

  it('asks a branch founded in July only for the periods that began after its founding', async () => {
    const lines = await life(C.id, 2019);
    expect(lines.BRANCH_COMMITTEE_MEETING).toMatchObject({ required: 5, held: 5, met: true });
    expect(lines.THEME_PARTY_DAY).toMatchObject({ required: 5, held: 4, periodsMet: 4, met: false });
    expect(lines.BRANCH_GENERAL_MEETING).toMatchObject({ required: 1, held: 1, met: true });
    expect(lines.PARTY_LECTURE).toMatchObject({ required: 1, held: 1, periodsMet: 0, met: false });
    expect(lines.ORGANIZATIONAL_LIFE_MEETING).toMatchObject({ required: 0, held: 1, met: true });
    expect(lines.DEMOCRATIC_APPRAISAL).toMatchObject({ required: 0, held: 0, met: true });
  });

  it('asks nothing of a branch dissolved during the year, nor of a temporary branch, yet counts what they held', async () => {
    const dissolved = await life(D.id, 2019);
    expect(Object.values(dissolved).every((line) => line.required === 0)).toBe(true);
    expect(dissolved.BRANCH_COMMITTEE_MEETING.held).toBe(6);
    const temporary = await life(E.id, 2019);
    expect(Object.values(temporary).every((line) => line.required === 0)).toBe(true);
    expect(temporary.THEME_PARTY_DAY.held).toBe(3);
    // The year before, the dissolved branch still owed everything.
    expect((await life(D.id, 2018)).BRANCH_COMMITTEE_MEETING).toMatchObject({ required: 12, held: 0, met: false });
  });

  it('adds the county into its city: the city is the sum of its counties', async () => {
    type Counts = Pick<ActivityStats, 'total' | 'branches' | 'obligations' | 'obligationsMet'>;
    const answer = await stack.request<{ region: { activityStats: Counts; children: { code: string; activityStats: Counts }[] } }>(
      `query($code: ID!) { region(code: $code) { activityStats(year: 2019) { total branches obligations obligationsMet }
          children { code activityStats(year: 2019) { total branches obligations obligationsMet } } } }`,
      { code: CITY },
      province,
    );
    const city = expectNoErrors(answer).region;
    for (const field of ['total', 'branches', 'obligations', 'obligationsMet'] as const) {
      expect(city.children.reduce((sum, county) => sum + county.activityStats[field], 0)).toBe(city.activityStats[field]);
    }
    expect(city.children.find((county) => county.code === COUNTY)?.activityStats.obligations).toBe(19);
  });

  it('shows a branch its own ledger only: the county roll-up of a branch viewer is its own branch', async () => {
    const branch = await stack.token({ tier: 'BRANCH', regionCode: COUNTY, organizationId: B.id });
    expect(await stats(COUNTY, 2019, branch)).toMatchObject({ total: 44, branches: 1, obligations: 7, obligationsMet: 4 });
    const { body } = await stack.request(LIFE, { id: A.id, year: 2019 }, branch);
    expect(body.data.partyOrganization).toBeNull();
  });

  it('a county viewer cannot read the ledger of the next county', async () => {
    const neighbour = await stack.token({ tier: 'COUNTY', regionCode: '210902' });
    const region = await stack.request(STATS, { code: COUNTY, year: 2019 }, neighbour);
    expect(region.body.data.region).toBeNull();
    const ledger = await stack.request(LIFE, { id: B.id, year: 2019 }, neighbour);
    expect(ledger.body.data.partyOrganization).toBeNull();
  });

  describe('rules as data', () => {
    const SET = /* GraphQL */ `
      mutation Set($input: SetOrganizationalLifeRequirementInput!) { setOrganizationalLifeRequirement(input: $input) { kind frequency fromYear province { code } } }
    `;
    const RULES = /* GraphQL */ `
      query Rules($year: Int!) { organizationalLifeRequirements(provinceCode: "210000", year: $year) { kind frequency fromYear province { code } } }
    `;

    it('is set by the provincial tier only, for its own province and the seven kinds of organizational life', async () => {
      const input = { provinceCode: '210000', kind: 'PARTY_LECTURE', frequency: 'HALF_YEARLY', fromYear: 2019 };
      const county = await stack.token({ tier: 'COUNTY', regionCode: COUNTY, roles: ['editor'] });
      expectRefused(await stack.request(SET, { input }, county), 'FORBIDDEN');
      expectRefused(await stack.request(SET, { input }, province), 'FORBIDDEN');
      const editor = await stack.token({ tier: 'PROVINCE', regionCode: '210000', roles: ['editor'] });
      const jilin = await stack.request(SET, { input: { ...input, provinceCode: '220000' } }, editor);
      expectRefused(jilin, 'NOT_FOUND', { field: 'provinceCode' });
      const training = await stack.request(SET, { input: { ...input, kind: 'TRAINING_CLASS' } }, editor);
      expectRefused(training, 'BAD_USER_INPUT', { field: 'kind' });
    });

    it('a province that asks for a lecture every half year recounts 2019 and leaves 2018 as it was', async () => {
      const before2018 = await stats(COUNTY, 2018);
      expect(before2018).toMatchObject({ branches: 3, obligations: 21, obligationsMet: 0 });
      const editor = await stack.token({ tier: 'PROVINCE', regionCode: '210000', roles: ['editor'], subject: 'province-rules-editor' });
      const { body } = await stack.request(SET, { input: { provinceCode: '210000', kind: 'PARTY_LECTURE', frequency: 'HALF_YEARLY', fromYear: 2019 } }, editor);
      expectNoErrors(body);
      expect(body.data.setOrganizationalLifeRequirement).toEqual({ kind: 'PARTY_LECTURE', frequency: 'HALF_YEARLY', fromYear: 2019, province: { code: '210000' } });

      // A: Feb, May | Aug, Nov — met. B: Mar, Jun | Sep — now met. C owes no half year: the second began before its founding.
      const county = await stats(COUNTY, 2019);
      expect(county).toMatchObject({ branches: 3, obligations: 18, obligationsMet: 15 });
      expect(county.organizationalLifeComplianceRate).toBeCloseTo(15 / 18, 12);
      expect((await life(B.id, 2019)).PARTY_LECTURE).toMatchObject({ frequency: 'HALF_YEARLY', required: 2, held: 3, periodsMet: 2, met: true });
      expect((await life(C.id, 2019)).PARTY_LECTURE).toMatchObject({ required: 0, met: true });
      expect(await stats(COUNTY, 2018)).toEqual(before2018);
      expect((await life(A.id, 2018)).PARTY_LECTURE).toMatchObject({ frequency: 'QUARTERLY', required: 4 });

      const rules2019 = Object.fromEntries((await stack.request(RULES, { year: 2019 }, province)).body.data.organizationalLifeRequirements.map((r: any) => [r.kind, r]));
      expect(rules2019.PARTY_LECTURE).toEqual({ kind: 'PARTY_LECTURE', frequency: 'HALF_YEARLY', fromYear: 2019, province: { code: '210000' } });
      expect(rules2019.BRANCH_COMMITTEE_MEETING).toMatchObject({ frequency: 'MONTHLY', province: null });
      const rules2018 = (await stack.request(RULES, { year: 2018 }, province)).body.data.organizationalLifeRequirements;
      expect(rules2018.find((r: any) => r.kind === 'PARTY_LECTURE')).toMatchObject({ frequency: 'QUARTERLY', province: null });

      const audit = await db.query(`SELECT actor, action, region_code, before, after FROM activities.audit_log WHERE action = 'setOrganizationalLifeRequirement'`);
      expect(audit.rows).toEqual([
        { actor: 'province-rules-editor', action: 'setOrganizationalLifeRequirement', region_code: '210000', before: null, after: expect.objectContaining({ frequency: 'HALF_YEARLY' }) },
      ]);
    });
  });
});
