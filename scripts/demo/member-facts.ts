/**
 * The member facts of the demo dataset: democratic appraisal grades of 2016–2019, vanguard posts
 * and pledges, and Party dues.
 *
 * Every member draws from a random stream of their own, so a member's facts do not depend on who
 * else is loaded: the Liaoning part of the national dataset is exactly the Liaoning dataset.
 *
 * - A grade is given at its branch's democratic appraisal of the year (or, where the branch held
 *   none, its organizational life meeting), to each Party member whose formal relation the branch
 *   held on that day: mostly 合格 and 优秀, a few 基本合格, a handful 不合格.
 * - Posts and pledges are held by a share of the Party members practising in an institution, in
 *   their current branch, from a date after they joined it.
 * - Dues: every Party member with a branch has a base by their income (lawyers earn more than the
 *   other sectors; some older members are retired), and pays by the 2008 rule. Arrears are counted
 *   against the calendar, so the ledger runs up to the month the dataset is loaded: each member's
 *   payments stop a fixed number of months before it (none for most, one or two for some, three to
 *   nine for a few, who make the arrears work list), from twelve months back in Liaoning (three
 *   elsewhere, whose filler would otherwise dominate the load).
 */
import type { ClientBase } from 'pg';
import { duesTerms, type AppraisalGrade, type DuesCategory, type VanguardKind } from '../../subgraphs/members/src/facts';
import type { ActivitiesDataset } from './activities';
import type { MembersDataset, MemberRow } from './members';
import { insertRows } from './organization';
import { createRandom, type Random } from './random';

export interface AppraisalRow {
  memberId: string;
  year: number;
  grade: AppraisalGrade;
  organizationId: string;
  activityId: string;
  recordedOn: string;
}

export interface VanguardPostRow {
  memberId: string;
  kind: VanguardKind;
  title: string;
  institutionId: string;
  organizationId: string;
  startedOn: string;
  endedOn: string | null;
}

export interface PledgeRow {
  memberId: string;
  year: number;
  institutionId: string;
  organizationId: string;
  commitment: string;
  pledgedOn: string;
  closedOn: string | null;
}

/** A member's dues; the months paid are made at load time, relative to the month of loading. */
export interface DuesRow {
  memberId: string;
  category: DuesCategory;
  baseFen: number | null;
  rateBasisPoints: number | null;
  monthlyFen: number;
  /** How many months before the month of loading the dues are owed from. */
  monthsRecorded: number;
  /** How many months before the month of loading the payments stop (0: paid through last month). */
  monthsInArrears: number;
}

export interface MemberFactsDataset {
  appraisals: AppraisalRow[];
  vanguardPosts: VanguardPostRow[];
  pledges: PledgeRow[];
  dues: DuesRow[];
}

const LIAONING = '21';
const APPRAISAL_YEARS = [2016, 2017, 2018, 2019];
const PLEDGE_YEARS = [2017, 2018, 2019];
const LAST_DAY = '2019-12-31';
const GRADES: readonly (readonly [AppraisalGrade, number])[] = [
  ['EXCELLENT', 0.16],
  ['QUALIFIED', 0.8],
  ['BASICALLY_QUALIFIED', 0.0385],
  ['UNQUALIFIED', 0.0015],
];
const POST_SHARE = 0.12;
const PLEDGE_SHARE = 0.35;
const POST_TITLES: Record<VanguardKind, readonly string[]> = {
  VANGUARD_POST: ['法律援助先锋岗', '公益法律服务先锋岗', '“一村一法律顾问”先锋岗', '矛盾纠纷调解先锋岗', '青年律师导师先锋岗', '便民公证先锋岗'],
  RESPONSIBILITY_ZONE: ['青年律师培养责任区', '社区法律顾问责任区', '涉法涉诉信访责任区', '执业纪律监督责任区', '党员联系群众责任区'],
};
const COMMITMENTS = [
  '亮明党员身份，做到执业为民、诚信执业，全年办理法律援助案件不少于3件。',
  '严守执业纪律，不接受当事人不正当利益，带头参加公益法律服务。',
  '担任社区法律顾问，每月驻点服务不少于1次，及时化解矛盾纠纷。',
  '认真学习党章党规，按时足额交纳党费，积极参加组织生活。',
  '结对帮带青年律师，传授执业经验，引导其坚定政治方向。',
  '开展普法宣传进校园、进社区活动，全年不少于4场。',
];
/** Monthly income after tax in yuan, by practice: a range drawn from, with the share of each. */
const INCOME: Record<string, readonly (readonly [number, number, number])[]> = {
  LAWYER: [[2500, 5000, 0.3], [5000, 10000, 0.4], [10000, 30000, 0.3]],
  OTHER: [[2500, 5000, 0.55], [5000, 10000, 0.4], [10000, 15000, 0.05]],
};

export function buildMemberFactsDataset(members: MembersDataset, activities: ActivitiesDataset): MemberFactsDataset {
  const dataset: MemberFactsDataset = { appraisals: [], vanguardPosts: [], pledges: [], dues: [] };
  // The meeting each branch grades its members at, by branch and year.
  const meetings = new Map<string, { id: string; date: string; rank: number }>();
  for (const activity of activities.activities) {
    if (activity.status !== 'HELD' || !activity.organizationId) continue;
    const rank = activity.kind === 'DEMOCRATIC_APPRAISAL' ? 0 : activity.kind === 'ORGANIZATIONAL_LIFE_MEETING' ? 1 : -1;
    const year = Number(activity.date.slice(0, 4));
    if (rank < 0 || !APPRAISAL_YEARS.includes(year)) continue;
    const key = `${activity.organizationId}|${year}`;
    const known = meetings.get(key);
    if (!known || rank < known.rank || (rank === known.rank && activity.date < known.date)) meetings.set(key, { id: activity.id, date: activity.date, rank });
  }
  const periods = new Map<string, { organizationId: string; fromDate: string; toDate: string | null }[]>();
  for (const row of members.organizationMemberships) {
    const list = periods.get(row.memberId) ?? [];
    list.push(row);
    periods.set(row.memberId, list);
  }

  for (const member of members.members) {
    if ((member.partyStatus !== 'PROBATIONARY' && member.partyStatus !== 'FULL') || !member.joinedOn) continue;
    const rng = createRandom(members.seed, `member-facts:${member.id}`);
    const own = periods.get(member.id) ?? [];
    for (const year of APPRAISAL_YEARS) {
      for (const period of own) {
        const meeting = meetings.get(`${period.organizationId}|${year}`);
        if (!meeting || meeting.date < period.fromDate || (period.toDate !== null && meeting.date > period.toDate) || meeting.date < member.joinedOn) continue;
        dataset.appraisals.push({
          memberId: member.id,
          year,
          grade: weighted(rng, GRADES),
          organizationId: period.organizationId,
          activityId: meeting.id,
          recordedOn: addDays(meeting.date, rng.int(0, 14)),
        });
        break;
      }
    }
    const current = own.find((period) => period.toDate === null);
    if (member.institutionId && current && member.organizationId === current.organizationId) {
      addPostsAndPledges(dataset, rng, member, current.fromDate);
    }
    if (member.organizationId) dataset.dues.push(dues(rng, member));
  }
  return dataset;
}

function addPostsAndPledges(dataset: MemberFactsDataset, rng: Random, member: MemberRow, since: string): void {
  const institutionId = member.institutionId!;
  const organizationId = member.organizationId!;
  if (rng.chance(POST_SHARE)) {
    const kind: VanguardKind = rng.chance(0.6) ? 'VANGUARD_POST' : 'RESPONSIBILITY_ZONE';
    const startedOn = dateBetween(rng, maxDate(since, '2016-03-01'), '2019-10-31');
    dataset.vanguardPosts.push({
      memberId: member.id,
      kind,
      title: rng.pick(POST_TITLES[kind]),
      institutionId,
      organizationId,
      startedOn,
      endedOn: rng.chance(0.15) ? dateBetween(rng, startedOn, LAST_DAY) : null,
    });
  }
  if (rng.chance(PLEDGE_SHARE)) {
    for (const year of PLEDGE_YEARS) {
      const pledgedOn = dateBetween(rng, `${year}-03-01`, `${year}-05-31`);
      if (pledgedOn < since) continue;
      dataset.pledges.push({
        memberId: member.id,
        year,
        institutionId,
        organizationId,
        commitment: rng.pick(COMMITMENTS),
        pledgedOn,
        closedOn: year < 2019 ? `${year}-12-31` : null,
      });
    }
  }
}

function dues(rng: Random, member: MemberRow): DuesRow {
  const age = 2019 - Number(member.birthDate.slice(0, 4));
  const category: DuesCategory = age >= 60 && rng.chance(0.5) ? 'RETIRED' : 'EMPLOYED';
  const bracket = weighted(rng, (INCOME[member.practiceKind === 'LAWYER' ? 'LAWYER' : 'OTHER']).map(([from, to, share]) => [[from, to], share] as const));
  const yuan = category === 'RETIRED' ? rng.int(3000, 6500) : rng.int(bracket[0], bracket[1]);
  const baseFen = yuan * 100;
  const terms = duesTerms(category, baseFen);
  const draw = rng.next();
  const monthsInArrears = draw < 0.012 ? rng.int(3, 9) : draw < 0.06 ? rng.int(1, 2) : 0;
  const monthsRecorded = member.regionCode.startsWith(LIAONING) ? 12 : 3;
  return {
    memberId: member.id,
    category,
    baseFen,
    rateBasisPoints: terms.rateBasisPoints,
    monthlyFen: terms.monthlyFen,
    monthsRecorded,
    monthsInArrears: Math.min(monthsInArrears, monthsRecorded),
  };
}

export async function loadMemberFactsDataset(db: ClientBase, data: MemberFactsDataset): Promise<void> {
  await insertRows(db, 'members.member_appraisal', [
    { name: 'member_id', type: 'uuid', value: (row: AppraisalRow) => row.memberId },
    { name: 'year', type: 'int', value: (row) => row.year },
    { name: 'grade', type: 'text', value: (row) => row.grade },
    { name: 'organization_id', type: 'uuid', value: (row) => row.organizationId },
    { name: 'activity_id', type: 'uuid', value: (row) => row.activityId },
    { name: 'recorded_on', type: 'date', value: (row) => row.recordedOn },
  ], data.appraisals);
  await insertRows(db, 'members.vanguard_post', [
    { name: 'member_id', type: 'uuid', value: (row: VanguardPostRow) => row.memberId },
    { name: 'kind', type: 'text', value: (row) => row.kind },
    { name: 'title', type: 'text', value: (row) => row.title },
    { name: 'institution_id', type: 'uuid', value: (row) => row.institutionId },
    { name: 'organization_id', type: 'uuid', value: (row) => row.organizationId },
    { name: 'started_on', type: 'date', value: (row) => row.startedOn },
    { name: 'ended_on', type: 'date', value: (row) => row.endedOn },
  ], data.vanguardPosts);
  await insertRows(db, 'members.member_pledge', [
    { name: 'member_id', type: 'uuid', value: (row: PledgeRow) => row.memberId },
    { name: 'year', type: 'int', value: (row) => row.year },
    { name: 'institution_id', type: 'uuid', value: (row) => row.institutionId },
    { name: 'organization_id', type: 'uuid', value: (row) => row.organizationId },
    { name: 'commitment', type: 'text', value: (row) => row.commitment },
    { name: 'pledged_on', type: 'date', value: (row) => row.pledgedOn },
    { name: 'closed_on', type: 'date', value: (row) => row.closedOn },
  ], data.pledges);

  // The months are counted from the month of loading, in China.
  const month = `date_trunc('month', (now() AT TIME ZONE 'Asia/Shanghai')::date)::date`;
  await db.query(`CREATE TEMPORARY TABLE demo_dues (member_id uuid, category text, base_fen bigint, rate_bp int, monthly_fen int, recorded int, arrears int) ON COMMIT DROP`);
  await insertRows(db, 'demo_dues', [
    { name: 'member_id', type: 'uuid', value: (row: DuesRow) => row.memberId },
    { name: 'category', type: 'text', value: (row) => row.category },
    { name: 'base_fen', type: 'bigint', value: (row) => row.baseFen },
    { name: 'rate_bp', type: 'int', value: (row) => row.rateBasisPoints },
    { name: 'monthly_fen', type: 'int', value: (row) => row.monthlyFen },
    { name: 'recorded', type: 'int', value: (row) => row.monthsRecorded },
    { name: 'arrears', type: 'int', value: (row) => row.monthsInArrears },
  ], data.dues);
  await db.query(`
    INSERT INTO members.member_dues (member_id, category, base_fen, rate_bp, monthly_fen, from_month, owed_from)
    SELECT member_id, category, base_fen, rate_bp, monthly_fen,
           (${month} - make_interval(months => recorded))::date, (${month} - make_interval(months => arrears))::date
      FROM demo_dues`);
  // Each month paid in its own month, on a day drawn from the member and the month.
  await db.query(`
    INSERT INTO members.dues_payment (member_id, month, amount_fen, paid_on)
    SELECT d.member_id, p.month, d.monthly_fen, p.month + ((hashtext(d.member_id::text || p.month::text) & 2147483647) % 25)
      FROM members.member_dues d
     CROSS JOIN LATERAL generate_series(d.from_month, d.owed_from - interval '1 month', interval '1 month') AS s(day)
     CROSS JOIN LATERAL (SELECT s.day::date AS month) AS p`);
}

function weighted<T>(rng: Random, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0);
  let draw = rng.next() * total;
  for (const [item, weight] of items) {
    draw -= weight;
    if (draw < 0) return item;
  }
  return items[items.length - 1][0];
}

function dateBetween(rng: Random, from: string, to: string): string {
  if (to <= from) return from;
  const start = Date.parse(from);
  const days = Math.round((Date.parse(to) - start) / 86_400_000);
  return new Date(start + rng.int(0, days) * 86_400_000).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);
}

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}
