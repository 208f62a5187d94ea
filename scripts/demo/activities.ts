/**
 * The activities subgraph's demo dataset: 2014–2019 organizational life of every branch, training
 * classes with enrolment, volunteer service and legal education, guidance visits and the
 * checkpoints of the three synchronizations, as they stood at the end of 2019.
 *
 * Every province draws from a random stream of its own, so the Liaoning part of the national
 * dataset is exactly the Liaoning dataset. Attendance at service, tests and training is always kept
 * member by member. Organizational life is itemized in Liaoning from 2019, when its branches' records
 * went online, and elsewhere only at the 2019 organizational life meetings; older records carry the
 * headcount of their minutes. Other provinces, filler for scale, also serve a little less and have
 * checkpoints from 2018 only: attendance rows would otherwise dominate the national dataset's load.
 */
import type { ClientBase } from 'pg';
import { NATIONAL_CODE, NATIONAL_FROM_YEAR, NATIONAL_REQUIREMENTS, ORGANIZATIONAL_LIFE_KINDS, PERIOD_MONTHS } from '../../subgraphs/activities/src/rules';
import type { MembersDataset, MemberRow } from './members';
import { insertRows, type Column, type GuidanceOfficerAssignmentRow, type GuidanceStationRow, type InstitutionRow, type OrganizationDataset, type PartyOrganizationRow, type RegionRow } from './organization';
import { createRandom, type Random } from './random';

// The domain's values are the subgraph's own: the demo data cannot drift from what the schema accepts.
export type { ActivityKind, AttendanceStatus, CheckpointStage, CheckpointResult } from '../../subgraphs/activities/src/entities';
import type { ActivityKind, AttendanceStatus, CheckpointStage, CheckpointResult } from '../../subgraphs/activities/src/entities';

export interface RequirementRow {
  regionCode: string;
  kind: ActivityKind;
  fromYear: number;
  frequency: string;
}

export interface RegisteredOrganizationRow {
  organizationId: string;
  regionCode: string;
  kind: string;
  foundedOn: string;
  dissolvedOn: string | null;
}

/** An institution as the organization subgraph describes it to this one's register. */
export interface RegisteredInstitutionRow {
  institutionId: string;
  regionCode: string;
  kind: string;
  state: string;
  approvedOn: string | null;
  partyOrganizationId: string | null;
}

export interface ActivityRow {
  id: string;
  kind: ActivityKind;
  title: string;
  date: string;
  endDate: string | null;
  durationHours: number | null;
  classHours: number | null;
  location: string | null;
  organizationId: string | null;
  stationId: string | null;
  regionCode: string;
  institutionId: string | null;
  officerId: string | null;
  minutes: string | null;
  headcount: number | null;
  status: 'HELD' | 'CANCELLED';
  cancelledOn: string | null;
  cancellationReason: string | null;
}

export interface AttendanceRow {
  activityId: string;
  memberId: string;
  status: AttendanceStatus;
  reason: string | null;
  hours: number | null;
  regionCode: string;
  organizationId: string | null;
}

export interface EnrolmentRow {
  activityId: string;
  memberId: string;
  enrolledOn: string;
  completedOn: string | null;
  hours: number | null;
  regionCode: string;
  organizationId: string | null;
}

export interface CheckpointRow {
  id: string;
  institutionId: string;
  regionCode: string;
  organizationId: string | null;
  stage: CheckpointStage;
  checkedOn: string;
  result: CheckpointResult;
  commitmentLetterReceived: boolean | null;
  notes: string | null;
}

export interface ActivitiesDataset {
  seed: number;
  requirements: RequirementRow[];
  registeredOrganizations: RegisteredOrganizationRow[];
  registeredInstitutions: RegisteredInstitutionRow[];
  activities: ActivityRow[];
  attendance: AttendanceRow[];
  enrolments: EnrolmentRow[];
  checkpoints: CheckpointRow[];
}

// ---------------------------------------------------------------------------------------------
// Figures

const LIAONING = '210000';
const FIRST_YEAR = 2014;
const LAST_YEAR = 2019;
const LAST_DAY = '2019-12-31';
/** Liaoning's branches keep attendance member by member from 2019, when their records went online. */
const LIAONING_ITEMIZED_FROM = '2019-01-01';
/** The provincial Party school (中共辽宁省委党校), in 皇姑区 of Shenyang. */
const PARTY_SCHOOL = { location: '中共辽宁省委党校', regionCode: '210105' };
const KAIYUAN_NOTARY = '开原市公证处';
const CHENHAN = '辽宁宸瀚律师事务所';
const TORNADO_DAY = '2019-07-03';

const FORMAL_BRANCH_KINDS = new Set(['STANDALONE_BRANCH', 'JOINT_BRANCH', 'GENERAL_BRANCH']);

/** How faithfully a branch keeps its organizational life: the chance it holds each owed period. */
const DILIGENCE: readonly { share: number; holds: number; present: number }[] = [
  { share: 0.6, holds: 1, present: 0.94 },
  { share: 0.22, holds: 0.96, present: 0.9 },
  { share: 0.12, holds: 0.8, present: 0.82 },
  { share: 0.06, holds: 0.55, present: 0.72 },
];

/** Hours each kind usually lasts. */
const DURATION: Partial<Record<ActivityKind, number>> = {
  BRANCH_GENERAL_MEETING: 2,
  BRANCH_COMMITTEE_MEETING: 1,
  PARTY_GROUP_MEETING: 1,
  PARTY_LECTURE: 1.5,
  THEME_PARTY_DAY: 3,
  ORGANIZATIONAL_LIFE_MEETING: 3,
  DEMOCRATIC_APPRAISAL: 2.5,
  KNOWLEDGE_TEST: 1,
};

const YEAR_THEME: Record<number, string> = {
  2014: '党的群众路线教育实践活动',
  2015: '“三严三实”专题教育',
  2016: '“两学一做”学习教育',
  2017: '学习贯彻党的十九大精神',
  2018: '学习贯彻习近平新时代中国特色社会主义思想',
  2019: '“不忘初心、牢记使命”主题教育',
};

const COMMITTEE_TOPICS = ['研究发展党员工作', '研究本月组织生活安排', '研究党员教育管理工作', '研究党费收缴和使用', '研究“三会一课”落实情况', '研究志愿服务活动安排', '研究党员先锋岗设置'];
const GROUP_TOPICS = ['学习党章', '学习《中国共产党纪律处分条例》', '交流党建与业务融合', '学习行业职业道德和执业纪律规范', '学习《关于新形势下党内政治生活的若干准则》', '开展批评与自我批评'];
const GENERAL_TOPICS = ['传达学习上级党组织会议精神', '通报支部工作和党费收缴情况', '审议支部年度工作计划', '讨论接收预备党员', '讨论预备党员转正', '选举出席上级党代会代表'];
const LECTURE_TOPICS = ['书记讲党课', '坚定理想信念，做党和人民满意的法律服务工作者', '践行社会主义核心价值观', '党员律师的初心与担当', '全面从严治党永远在路上', '学习宪法，弘扬法治精神'];
const THEME_DAY_TOPICS = ['重温入党誓词', '参观九一八历史博物馆', '参观雷锋纪念馆', '“亮身份、亮职责、亮承诺”', '党员志愿服务进社区', '观看警示教育片', '学习抗美援朝精神'];
const EXCUSES = ['出庭', '外地办案', '病假', '参加业务培训', '事假'];
const COMMUNITY_NAMES = ['新华', '建设', '光明', '胜利', '和平', '幸福', '民主', '友谊', '团结', '振兴', '春光', '兴隆'];
const VOLUNTEER_TITLES = [
  '“一村（社区）一法律顾问”驻点服务',
  '法律咨询进社区志愿服务',
  '“3·15”消费者权益保护法律咨询',
  '农民工讨薪法律援助志愿服务',
  '法律援助志愿值班',
  '公益法律服务日',
];
const EDUCATION_TITLES = ['“12·4”国家宪法日宪法宣传', '《民法总则》普法讲座', '扫黑除恶专项斗争普法宣传', '防范非法集资普法讲座', '老年人权益保障普法讲座', '《婚姻法》与家庭纠纷普法讲座'];
const SCHOOL_LECTURE_TOPICS = ['预防校园欺凌', '未成年人保护法', '远离毒品', '网络安全与个人信息保护', '扫黑除恶进校园', '预防未成年人犯罪'];
const VISIT_TITLES = ['党建工作指导走访', '指导规范“三会一课”记录', '指导发展党员工作', '指导开展主题党日活动', '指导建立党员先锋岗', '了解党员律师执业和思想状况'];
/** Anshan's schools of the "法照青春、护航校园" lectures: 53 of them, named after their districts. */
const ANSHAN_SCHOOL_DISTRICTS = ['铁东', '铁西', '立山', '千山', '海城', '台安', '岫岩'];

// ---------------------------------------------------------------------------------------------
// Building

interface Participant {
  memberId: string;
  from: string;
  to: string | null;
  regionCode: string;
  organizationId: string | null;
  full: boolean;
  birthDate: string;
}

interface Branch {
  row: PartyOrganizationRow;
  location: string;
  /** Formal members (by membership period) and temporary participants (by participation period). */
  participants: Participant[];
  /** Committee role holders with their terms. */
  committee: { memberId: string; from: string; to: string | null }[];
  secretaries: { memberId: string; from: string; to: string | null }[];
  diligence: (typeof DILIGENCE)[number];
}

interface ProvinceBuild {
  rng: Random;
  /** Activity ids share a random prefix per province and count up, which keeps a million of them cheap to make and to index. */
  idPrefix: string;
  nextId: number;
  code: string;
  /** Liaoning in full detail; other provinces are filler, lighter where the national dataset's size calls for it. */
  detailed: boolean;
  regionNames: Map<string, string>;
  counties: string[];
  activities: ActivityRow[];
  attendance: AttendanceRow[];
  enrolments: EnrolmentRow[];
  checkpoints: CheckpointRow[];
}

interface Index {
  members: Map<string, MemberRow>;
  branchesByProvince: Map<string, Branch[]>;
  organizationsByProvince: Map<string, PartyOrganizationRow[]>;
  stationsByProvince: Map<string, GuidanceStationRow[]>;
  institutionsByProvince: Map<string, InstitutionRow[]>;
  assignments: GuidanceOfficerAssignmentRow[];
  regions: RegionRow[];
}

export function buildActivitiesDataset(organization: OrganizationDataset, members: MembersDataset): ActivitiesDataset {
  const seed = members.seed;
  const index = indexDatasets(organization, members);
  const dataset: ActivitiesDataset = {
    seed,
    requirements: ORGANIZATIONAL_LIFE_KINDS.map((kind) => ({ regionCode: NATIONAL_CODE, kind, fromYear: NATIONAL_FROM_YEAR, frequency: NATIONAL_REQUIREMENTS[kind] })),
    registeredOrganizations: organization.partyOrganizations.map((row) => ({
      organizationId: row.id,
      regionCode: row.regionCode,
      kind: row.kind,
      foundedOn: row.foundedOn,
      dissolvedOn: row.dissolvedOn,
    })),
    registeredInstitutions: organization.institutions.map((row) => ({
      institutionId: row.id,
      regionCode: row.regionCode,
      kind: row.kind,
      state: row.state,
      approvedOn: row.approvedOn,
      partyOrganizationId: row.partyOrganizationId,
    })),
    activities: [],
    attendance: [],
    enrolments: [],
    checkpoints: [],
  };
  for (const province of organization.regions.filter((region) => region.level === 'PROVINCE')) {
    const build = buildProvince(seed, index, province);
    // push(...rows) would overflow the stack on a large province.
    for (const row of build.activities) dataset.activities.push(row);
    for (const row of build.attendance) dataset.attendance.push(row);
    for (const row of build.enrolments) dataset.enrolments.push(row);
    for (const row of build.checkpoints) dataset.checkpoints.push(row);
  }
  return dataset;
}

function indexDatasets(organization: OrganizationDataset, members: MembersDataset): Index {
  const province = (code: string) => `${code.slice(0, 2)}0000`;
  const push = <T>(map: Map<string, T[]>, key: string, row: T) => {
    const list = map.get(key);
    if (list) list.push(row);
    else map.set(key, [row]);
  };
  const memberById = new Map(members.members.map((row) => [row.id, row]));
  const institutionsOf = new Map<string, InstitutionRow[]>();
  for (const row of organization.institutions) if (row.partyOrganizationId) push(institutionsOf, row.partyOrganizationId, row);

  const organizationById = new Map(organization.partyOrganizations.map((row) => [row.id, row]));
  const participants = new Map<string, Participant[]>();
  for (const row of members.organizationMemberships) {
    const member = memberById.get(row.memberId)!;
    push(participants, row.organizationId, {
      memberId: row.memberId,
      from: row.fromDate,
      to: row.toDate,
      // A past relation was managed where that branch is; the current one where the member is now.
      regionCode: row.toDate === null ? member.regionCode : organizationById.get(row.organizationId)!.regionCode,
      organizationId: row.organizationId,
      full: member.partyStatus === 'FULL',
      birthDate: member.birthDate,
    });
  }
  for (const row of members.temporaryParticipations) {
    const member = memberById.get(row.memberId)!;
    push(participants, row.organizationId, {
      memberId: row.memberId,
      from: row.startedOn,
      to: row.endedOn,
      regionCode: member.regionCode,
      organizationId: member.organizationId,
      full: member.partyStatus === 'FULL',
      birthDate: member.birthDate,
    });
  }
  const committee = new Map<string, Branch['committee']>();
  const secretaries = new Map<string, Branch['secretaries']>();
  for (const role of members.roleAssignments) {
    if (!role.organizationId) continue;
    const term = { memberId: role.memberId, from: role.startedOn, to: role.endedOn };
    if (role.kind === 'SECRETARY' || role.kind === 'DEPUTY_SECRETARY' || role.kind === 'COMMITTEE_MEMBER') push(committee, role.organizationId, term);
    if (role.kind === 'SECRETARY') push(secretaries, role.organizationId, term);
  }

  const index: Index = {
    members: memberById,
    branchesByProvince: new Map(),
    organizationsByProvince: new Map(),
    stationsByProvince: new Map(),
    institutionsByProvince: new Map(),
    assignments: organization.guidanceOfficerAssignments,
    regions: organization.regions,
  };
  for (const row of organization.partyOrganizations) {
    push(index.organizationsByProvince, province(row.regionCode), row);
    if (!FORMAL_BRANCH_KINDS.has(row.kind) && row.kind !== 'TEMPORARY_BRANCH') continue;
    const covered = institutionsOf.get(row.id) ?? [];
    push(index.branchesByProvince, province(row.regionCode), {
      row,
      location: covered.length > 0 ? `${covered[0].name}会议室` : '党员活动室',
      participants: participants.get(row.id) ?? [],
      committee: committee.get(row.id) ?? [],
      secretaries: secretaries.get(row.id) ?? [],
      diligence: DILIGENCE[0],
    });
  }
  for (const row of organization.guidanceStations) push(index.stationsByProvince, province(row.regionCode), row);
  for (const row of organization.institutions) push(index.institutionsByProvince, province(row.regionCode), row);
  return index;
}

function buildProvince(seed: number, index: Index, province: RegionRow): ProvinceBuild {
  const regions = index.regions.filter((region) => region.code.startsWith(province.code.slice(0, 2)));
  const b: ProvinceBuild = {
    rng: createRandom(seed, `activities:${province.code}`),
    idPrefix: '',
    nextId: 0,
    code: province.code,
    detailed: province.code === LIAONING,
    regionNames: new Map(regions.map((region) => [region.code, region.name])),
    counties: regions.filter((region) => region.level === 'COUNTY').map((region) => region.code),
    activities: [],
    attendance: [],
    enrolments: [],
    checkpoints: [],
  };
  b.idPrefix = b.rng.uuid().slice(0, 24);
  const branches = index.branchesByProvince.get(province.code) ?? [];
  const stations = index.stationsByProvince.get(province.code) ?? [];
  const institutions = index.institutionsByProvince.get(province.code) ?? [];
  const organizations = index.organizationsByProvince.get(province.code) ?? [];
  for (const branch of branches) branch.diligence = pickDiligence(b.rng);

  for (const branch of branches) {
    if (FORMAL_BRANCH_KINDS.has(branch.row.kind)) holdOrganizationalLife(b, branch);
    else holdTemporaryBranchLife(b, branch);
    serve(b, branch);
  }
  if (province.code === LIAONING) {
    anshanFiveSmalls(b, branches);
    anshanSchoolLectures(b, branches);
    kaiyuanTornadoRelief(b, index, stations, institutions);
    chenhanVolunteers(b, branches, institutions);
    liaoningTrainings(b, index, branches, organizations, stations);
    guidanceVisits(b, index, stations, institutions);
  } else {
    provincialTraining(b, branches, stations);
  }
  synchronize(b, institutions, organizations);
  return b;
}

function pickDiligence(rng: Random): Branch['diligence'] {
  let draw = rng.next();
  for (const level of DILIGENCE) {
    if (draw < level.share) return level;
    draw -= level.share;
  }
  return DILIGENCE[DILIGENCE.length - 1];
}

// ---------------------------------------------------------------------------------------------
// Organizational life

/**
 * Every owed period of every kind, from the branch's founding to its dissolution or the end of
 * 2019, held or not as the branch's diligence has it; the founding day has its first general meeting.
 */
function holdOrganizationalLife(b: ProvinceBuild, branch: Branch): void {
  const { row } = branch;
  const lastDay = minDate(row.dissolvedOn ?? LAST_DAY, LAST_DAY);
  const themeDay = b.rng.int(1, 28);
  addBranchActivity(b, branch, 'BRANCH_GENERAL_MEETING', '支部成立暨第一次党员大会：选举支部委员会', row.foundedOn, true);
  const firstYear = Number(row.foundedOn.slice(0, 4));
  for (let year = Math.max(firstYear, FIRST_YEAR); year <= LAST_YEAR; year++) {
    // Organizational life grew more regular with 两学一做 (2016) and the 2018 branch work regulations.
    const slack = year < 2016 ? 0.06 : year < 2018 ? 0.02 : 0;
    const holds = Math.max(0, branch.diligence.holds - (branch.diligence.holds < 1 ? slack : slack / 2));
    for (const kind of ORGANIZATIONAL_LIFE_KINDS as readonly ActivityKind[]) {
      const months = PERIOD_MONTHS[NATIONAL_REQUIREMENTS[kind] as keyof typeof PERIOD_MONTHS];
      for (let start = 1; start <= 12; start += months) {
        const periodStart = formatDate(year, start, 1);
        const periodEnd = addDays(formatDate(year + (start + months > 12 ? 1 : 0), ((start + months - 1) % 12) + 1, 1), -1);
        if (periodStart < row.foundedOn || periodStart > lastDay) continue;
        if (!b.rng.chance(holds)) continue;
        const until = minDate(periodEnd, lastDay);
        let date = meetingDate(b.rng, kind, periodStart, until, themeDay);
        if (b.rng.chance(0.004)) {
          // Called off, then held later in the same period.
          const called = addBranchActivity(b, branch, kind, lifeTitle(b.rng, kind, year, start, branch), date, false);
          called.status = 'CANCELLED';
          called.cancelledOn = date;
          called.cancellationReason = b.rng.pick(['与集中开庭时间冲突，改期举行', '上级党组织临时召集会议，改期举行', '暴雪天气，改期举行']);
          date = dateBetween(b.rng, date, until);
        }
        addBranchActivity(b, branch, kind, lifeTitle(b.rng, kind, year, start, branch), date, true);
        if (kind === 'BRANCH_COMMITTEE_MEETING' && b.rng.chance(0.08)) {
          addBranchActivity(b, branch, kind, `支委会：${b.rng.pick(COMMITTEE_TOPICS)}`, meetingDate(b.rng, kind, periodStart, until, themeDay), true);
        }
      }
    }
  }
}

/** Temporary branches gather members for a course or while away; they hold a few theme days and lectures. */
function holdTemporaryBranchLife(b: ProvinceBuild, branch: Branch): void {
  const { row } = branch;
  const lastDay = minDate(row.dissolvedOn ?? LAST_DAY, LAST_DAY);
  addBranchActivity(b, branch, 'BRANCH_GENERAL_MEETING', '临时党支部成立大会', row.foundedOn, true);
  for (let date = addDays(row.foundedOn, 20); date <= lastDay; date = addDays(date, b.rng.int(25, 45))) {
    const kind: ActivityKind = b.rng.chance(0.5) ? 'THEME_PARTY_DAY' : 'PARTY_LECTURE';
    addBranchActivity(b, branch, kind, lifeTitle(b.rng, kind, Number(date.slice(0, 4)), Number(date.slice(5, 7)), branch), date, true);
  }
}

function meetingDate(rng: Random, kind: ActivityKind, from: string, to: string, themeDay: number): string {
  if (kind === 'THEME_PARTY_DAY') {
    const fixed = `${from.slice(0, 8)}${String(themeDay).padStart(2, '0')}`;
    if (fixed >= from && fixed <= to && rng.chance(0.8)) return fixed;
  }
  // Yearly meetings close the year: the organizational life meeting and appraisal mostly in December.
  if ((kind === 'ORGANIZATIONAL_LIFE_MEETING' || kind === 'DEMOCRATIC_APPRAISAL') && rng.chance(0.8)) {
    const december = `${from.slice(0, 4)}-12-01`;
    if (december >= from && december <= to) return dateBetween(rng, december, to);
  }
  return dateBetween(rng, from, to);
}

function lifeTitle(rng: Random, kind: ActivityKind, year: number, month: number, branch: Branch): string {
  const theme = YEAR_THEME[year] ?? '';
  const quarter = Math.floor((month - 1) / 3) + 1;
  switch (kind) {
    case 'BRANCH_GENERAL_MEETING':
      return `${year}年第${quarter}季度支部党员大会：${rng.chance(0.3) ? `${theme}部署` : rng.pick(GENERAL_TOPICS)}`;
    case 'BRANCH_COMMITTEE_MEETING':
      return `支委会：${rng.pick(COMMITTEE_TOPICS)}`;
    case 'PARTY_GROUP_MEETING':
      return `党小组会：${rng.chance(0.3) ? `学习${theme}相关文件` : rng.pick(GROUP_TOPICS)}`;
    case 'PARTY_LECTURE':
      return `党课：${rng.chance(0.4) ? theme : rng.pick(LECTURE_TOPICS)}`;
    case 'THEME_PARTY_DAY':
      return `主题党日：${rng.pick(THEME_DAY_TOPICS)}`;
    case 'ORGANIZATIONAL_LIFE_MEETING':
      return `${year}年度组织生活会`;
    case 'DEMOCRATIC_APPRAISAL':
      // Anshan's law firms call theirs 小评议, one of the "五小".
      return branch.row.regionCode.startsWith('2103') && branch.row.sector === 'LAW_FIRM' && year >= 2018 ? `${year}年度“五小”党员小评议（民主评议党员）` : `${year}年度民主评议党员`;
    default:
      return kind;
  }
}

/** Adds a branch activity on `date`, with the attendance of those who belonged to the branch then. */
function addBranchActivity(b: ProvinceBuild, branch: Branch, kind: ActivityKind, title: string, date: string, withAttendance: boolean): ActivityRow {
  const activity = newActivity(b, { kind, title, date, organizationId: branch.row.id, regionCode: branch.row.regionCode, location: branch.location, durationHours: DURATION[kind] ?? 2 });
  if (withAttendance) attend(b, branch, activity);
  return activity;
}

/**
 * Attendance of an organizational-life activity: the committee at its meetings, everyone else at
 * the rest. Itemized in Liaoning from 2019 and elsewhere at the 2019 organizational life meetings;
 * other records keep the headcount of their minutes.
 */
function attend(b: ProvinceBuild, branch: Branch, activity: ActivityRow): void {
  const date = activity.date;
  const belonging = branch.participants.filter((p) => p.from <= date && (p.to === null || p.to >= date));
  let attendees = belonging;
  if (activity.kind === 'BRANCH_COMMITTEE_MEETING') {
    const committee = new Set(branch.committee.filter((term) => term.from <= date && (term.to === null || term.to >= date)).map((term) => term.memberId));
    const sitting = belonging.filter((p) => committee.has(p.memberId));
    attendees = sitting.length > 0 ? sitting : belonging.filter((p) => p.full).slice(0, 3);
  }
  const itemized = b.detailed ? date >= LIAONING_ITEMIZED_FROM : date >= '2019-01-01' && activity.kind === 'ORGANIZATIONAL_LIFE_MEETING';
  let present = 0;
  for (const person of attendees) {
    const status: AttendanceStatus = b.rng.chance(branch.diligence.present) ? 'PRESENT' : b.rng.chance(0.7) ? 'EXCUSED' : 'ABSENT';
    if (status === 'PRESENT') present++;
    if (!itemized) continue;
    b.attendance.push({
      activityId: activity.id,
      memberId: person.memberId,
      status,
      reason: status === 'EXCUSED' ? b.rng.pick(EXCUSES) : null,
      hours: null,
      regionCode: person.regionCode,
      organizationId: person.organizationId,
    });
  }
  if (!itemized) activity.headcount = present;
}

// ---------------------------------------------------------------------------------------------
// Service: volunteer legal service and legal education

/** Each year a branch sends a few members to volunteer service and public legal education. */
function serve(b: ProvinceBuild, branch: Branch): void {
  const { row } = branch;
  const lastDay = minDate(row.dissolvedOn ?? LAST_DAY, LAST_DAY);
  const county = b.regionNames.get(row.regionCode) ?? '';
  for (let year = Math.max(Number(row.foundedOn.slice(0, 4)), FIRST_YEAR); year <= LAST_YEAR; year++) {
    const from = maxDate(row.foundedOn, formatDate(year, 1, 1));
    const to = minDate(lastDay, formatDate(year, 12, 31));
    if (from > to) continue;
    const services = b.rng.int(0, b.detailed ? 3 : 2);
    const lectures = b.rng.int(0, 1);
    for (let i = 0; i < services + lectures; i++) {
      const kind: ActivityKind = i < services ? 'VOLUNTEER_SERVICE' : 'LEGAL_EDUCATION';
      const date = dateBetween(b.rng, from, to);
      const hours = b.rng.pick([2, 2.5, 3, 4]);
      const title = kind === 'VOLUNTEER_SERVICE' ? b.rng.pick(VOLUNTEER_TITLES) : b.rng.pick(EDUCATION_TITLES);
      const location = `${county}${b.rng.pick(COMMUNITY_NAMES)}社区`;
      serviceActivity(b, branch, { kind, title, date, hours, location, count: b.rng.int(1, 4) });
    }
  }
}

function serviceActivity(
  b: ProvinceBuild,
  branch: Branch,
  service: { kind: ActivityKind; title: string; date: string; hours: number; location: string; count: number; institutionId?: string; pool?: Participant[] },
): ActivityRow | null {
  const belonging = (service.pool ?? branch.participants).filter((p) => p.from <= service.date && (p.to === null || p.to >= service.date));
  if (belonging.length === 0) return null;
  const activity = newActivity(b, {
    kind: service.kind,
    title: service.title,
    date: service.date,
    organizationId: branch.row.id,
    regionCode: branch.row.regionCode,
    location: service.location,
    durationHours: service.hours,
    institutionId: service.institutionId ?? null,
  });
  for (const person of b.rng.shuffle([...belonging]).slice(0, service.count)) {
    b.attendance.push({ activityId: activity.id, memberId: person.memberId, status: 'PRESENT', reason: null, hours: service.hours, regionCode: person.regionCode, organizationId: person.organizationId });
  }
  return activity;
}

// ---------------------------------------------------------------------------------------------
// Named in the sources

/**
 * Anshan's "五小" in its law firms' branches from 2018: party affairs 小课堂 (lectures, counted as
 * Party lectures) in the 小块时间 of weekly meetings, and quarterly 小测试 of Party knowledge.
 */
function anshanFiveSmalls(b: ProvinceBuild, branches: Branch[]): void {
  for (const branch of branches.filter((x) => x.row.regionCode.startsWith('2103') && x.row.sector === 'LAW_FIRM' && FORMAL_BRANCH_KINDS.has(x.row.kind))) {
    const lastDay = minDate(branch.row.dissolvedOn ?? LAST_DAY, LAST_DAY);
    for (const year of [2018, 2019]) {
      for (let quarter = 0; quarter < 4; quarter++) {
        const from = maxDate(branch.row.foundedOn, formatDate(year, quarter * 3 + 1, 1));
        const to = minDate(lastDay, addDays(formatDate(year + (quarter === 3 ? 1 : 0), quarter === 3 ? 1 : quarter * 3 + 4, 1), -1));
        if (from > to) continue;
        addBranchActivity(b, branch, 'PARTY_LECTURE', `“五小”党务小课堂：${b.rng.pick(['党章党规十分钟', '党员律师执业中的政治纪律', '身边的优秀党员律师', YEAR_THEME[year]])}`, dateBetween(b.rng, from, to), true);
        addBranchActivity(b, branch, 'KNOWLEDGE_TEST', `“五小”党的知识小测试（${year}年第${quarter + 1}季度）`, dateBetween(b.rng, from, to), true);
      }
    }
  }
}

/**
 * "法照青春、护航校园": in the campaign against organized crime (扫黑除恶, from 2018) Anshan's young
 * Party lawyers gave 67 legal-education lectures in 53 schools.
 */
function anshanSchoolLectures(b: ProvinceBuild, branches: Branch[]): void {
  const young = (p: Participant, date: string) => p.birthDate > addYears(date, -36);
  const anshan = branches.filter((x) => x.row.regionCode.startsWith('2103') && x.row.sector === 'LAW_FIRM' && FORMAL_BRANCH_KINDS.has(x.row.kind));
  const schools = anshanSchools(53);
  const hosts = b.rng.shuffle([...schools, ...b.rng.shuffle([...schools]).slice(0, 67 - schools.length)]);
  let given = 0;
  for (let attempt = 0; given < 67; attempt++) {
    if (attempt > 10_000) throw new Error('too few young Party lawyers in Anshan for the 67 school lectures');
    const date = dateBetween(b.rng, '2018-03-01', '2019-12-20');
    const branch = b.rng.pick(anshan);
    const pool = branch.participants.filter((p) => young(p, date));
    if (branch.row.foundedOn > date || pool.length === 0) continue;
    const school = hosts[given];
    const lecture = serviceActivity(b, branch, {
      kind: 'LEGAL_EDUCATION',
      title: `“法照青春、护航校园”普法讲座：${b.rng.pick(SCHOOL_LECTURE_TOPICS)}`,
      date,
      hours: 2,
      location: school,
      count: b.rng.int(1, 2),
      pool,
    });
    if (lecture) given++;
  }
}

function anshanSchools(count: number): string[] {
  const names: string[] = [];
  const numerals = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九', '二十', '二十一', '二十二', '二十三', '二十四', '二十五', '二十六'];
  for (const numeral of numerals) names.push(`鞍山市第${numeral}中学`);
  for (let i = 0; names.length < count; i++) {
    const district = ANSHAN_SCHOOL_DISTRICTS[i % ANSHAN_SCHOOL_DISTRICTS.length];
    names.push(`${district}${COMMUNITY_NAMES[Math.floor(i / ANSHAN_SCHOOL_DISTRICTS.length) % COMMUNITY_NAMES.length]}小学`);
  }
  return names;
}

/**
 * After the tornado of 2019-07-03 开原市公证处 sent six Party members in three groups door to door to
 * record the losses, opened a fee-waiving green channel, and donated. Its branch was founded only
 * after that, so the county station organized the relief.
 */
function kaiyuanTornadoRelief(b: ProvinceBuild, index: Index, stations: GuidanceStationRow[], institutions: InstitutionRow[]): void {
  const notary = institutions.find((row) => row.name === KAIYUAN_NOTARY);
  const station = stations.find((row) => row.regionCode === notary?.regionCode && row.tier === 'COUNTY' && !row.functional);
  if (!notary || !station) throw new Error(`${KAIYUAN_NOTARY} and its county station are needed for the tornado relief`);
  const partyMembers = [...index.members.values()]
    .filter((m) => m.institutionId === notary.id && (m.partyStatus === 'FULL' || m.partyStatus === 'PROBATIONARY'))
    .sort((x, y) => x.id.localeCompare(y.id));
  if (partyMembers.length < 6) throw new Error(`${KAIYUAN_NOTARY} needs six Party members for the tornado relief`);
  const six = b.rng.shuffle(partyMembers).slice(0, 6);
  const days: [string, string, number][] = [
    ['2019-07-04', '龙卷风灾后救助：三个工作组入户调查、统计受灾群众损失', 10],
    ['2019-07-05', '龙卷风灾后救助：入户调查、统计受灾群众损失（第二天）', 10],
    ['2019-07-06', '龙卷风灾后救助：入户调查、统计受灾群众损失（第三天）', 8],
    ['2019-07-08', '龙卷风灾后救助：开辟公证绿色通道，为受灾群众减免公证费用', 6],
    ['2019-07-10', '龙卷风灾后救助：为受灾群众捐款捐物', 3],
  ];
  for (const [date, title, hours] of days) {
    const activity = newActivity(b, {
      kind: 'VOLUNTEER_SERVICE',
      title,
      date,
      stationId: station.id,
      regionCode: notary.regionCode,
      location: '开原市龙卷风受灾区域',
      durationHours: hours,
      institutionId: notary.id,
      minutes: `${TORNADO_DAY}龙卷风袭击开原市后，${KAIYUAN_NOTARY}派出6名党员组成3个工作组参加灾后救助。`,
    });
    for (const member of six) {
      b.attendance.push({ activityId: activity.id, memberId: member.id, status: 'PRESENT', reason: null, hours, regionCode: member.regionCode, organizationId: member.organizationId });
    }
  }
}

/** 2019-08-05: 辽宁宸瀚律师事务所's Party lawyers answered questions at the provincial women's compulsory drug rehabilitation center. */
function chenhanVolunteers(b: ProvinceBuild, branches: Branch[], institutions: InstitutionRow[]): void {
  const firm = institutions.find((row) => row.name === CHENHAN);
  const branch = branches.find((x) => x.row.id === firm?.partyOrganizationId);
  if (!firm || !branch) throw new Error(`${CHENHAN} and its branch are needed for its volunteer service`);
  serviceActivity(b, branch, {
    kind: 'VOLUNTEER_SERVICE',
    title: '法律服务志愿者行动：走进辽宁省女子强制隔离戒毒所',
    date: '2019-08-05',
    hours: 3,
    location: '辽宁省女子强制隔离戒毒所',
    count: 5,
    institutionId: firm.id,
  });
}

// ---------------------------------------------------------------------------------------------
// Training

interface ClassPlan {
  title: string;
  date: string;
  endDate: string;
  classHours: number;
  location: string;
  regionCode: string;
  organizationId?: string;
  stationId?: string;
  enrol: number;
}

/**
 * The provincial demonstration classes of 2014 and 2015 at the provincial Party school, the four
 * concentrated trainings of 2016–2017 for law firms' branch secretaries and heads, and each city
 * station's yearly training of branch secretaries in 2018 and 2019.
 */
function liaoningTrainings(b: ProvinceBuild, index: Index, branches: Branch[], organizations: PartyOrganizationRow[], stations: GuidanceStationRow[]): void {
  const committee = organizations.find((row) => row.kind === 'INDUSTRY_COMMITTEE' && row.regionCode === LIAONING);
  const center = stations.find((row) => row.tier === 'PROVINCE');
  if (!committee || !center) throw new Error('the provincial industry committee and guidance center are needed for the trainings');
  const lawBranches = branches.filter((x) => x.row.sector === 'LAW_FIRM' && FORMAL_BRANCH_KINDS.has(x.row.kind));
  const demonstration = (n: string, date: string, enrol: number): ClassPlan => ({
    title: `全省律师行业党建工作示范培训班（第${n}期）`,
    date,
    endDate: addDays(date, 4),
    classHours: 40,
    ...PARTY_SCHOOL,
    organizationId: committee.id,
    enrol,
  });
  const concentrated = (title: string, date: string): ClassPlan => ({
    title,
    date,
    endDate: addDays(date, 2),
    classHours: 24,
    location: '辽宁省司法厅培训中心',
    regionCode: '210102',
    stationId: center.id,
    enrol: b.rng.int(180, 240),
  });
  for (const plan of [demonstration('一', '2014-11-17', 100), demonstration('二', '2015-10-12', 120)]) {
    trainingClass(b, index, plan, lawBranches);
  }
  for (const plan of [
    concentrated('律师事务所党组织书记“两学一做”学习教育集中培训', '2016-06-20'),
    concentrated('律师事务所党组织书记和优秀律师事务所主任集中培训（第二期）', '2016-11-14'),
    concentrated('律师事务所党组织书记和优秀律师事务所主任集中培训（第三期）', '2017-06-12'),
    concentrated('学习贯彻党的十九大精神集中培训', '2017-11-20'),
  ]) {
    trainingClass(b, index, plan, lawBranches);
  }
  for (const city of stations.filter((row) => row.tier === 'CITY')) {
    const cityBranches = branches.filter((x) => x.row.regionCode.startsWith(city.regionCode.slice(0, 4)) && FORMAL_BRANCH_KINDS.has(x.row.kind));
    const seat = b.counties.find((code) => code.startsWith(city.regionCode.slice(0, 4)))!;
    for (const year of [2018, 2019]) {
      const date = dateBetween(b.rng, formatDate(year, 4, 1), formatDate(year, 10, 31));
      trainingClass(
        b,
        index,
        {
          title: `${b.regionNames.get(city.regionCode)}法律服务行业党组织书记培训班（${year}年）`,
          date,
          endDate: addDays(date, 1),
          classHours: 16,
          location: `${b.regionNames.get(city.regionCode)}司法局`,
          regionCode: seat,
          stationId: city.id,
          enrol: 0,
        },
        cityBranches,
      );
    }
  }
}

/** Elsewhere, each provincial center trained its branch secretaries once in 2019. */
function provincialTraining(b: ProvinceBuild, branches: Branch[], stations: GuidanceStationRow[]): void {
  const center = stations.find((row) => row.tier === 'PROVINCE');
  if (!center || b.counties.length === 0) return;
  const date = dateBetween(b.rng, '2019-05-01', '2019-10-31');
  const plan: ClassPlan = {
    title: '全省法律服务行业党组织书记示范培训班',
    date,
    endDate: addDays(date, 2),
    classHours: 24,
    location: '省委党校',
    regionCode: b.counties[0],
    stationId: center.id,
    enrol: 300,
  };
  trainingClass(b, null, plan, branches.filter((x) => FORMAL_BRANCH_KINDS.has(x.row.kind)));
}

/**
 * A class enrolling the secretaries of the given branches in office when it began (all of them
 * when `enrol` is 0), then, up to `enrol`, other full members of those branches. Almost all complete it.
 */
function trainingClass(b: ProvinceBuild, index: Index | null, plan: ClassPlan, branches: Branch[]): void {
  const activity = newActivity(b, {
    kind: 'TRAINING_CLASS',
    title: plan.title,
    date: plan.date,
    endDate: plan.endDate,
    classHours: plan.classHours,
    durationHours: plan.classHours,
    location: plan.location,
    organizationId: plan.organizationId ?? null,
    stationId: plan.stationId ?? null,
    regionCode: plan.regionCode,
  });
  const chosen = new Map<string, Participant>();
  for (const branch of b.rng.shuffle([...branches])) {
    const term = branch.secretaries.find((t) => t.from <= plan.date && (t.to === null || t.to >= plan.date));
    const person = term && branch.participants.find((p) => p.memberId === term.memberId && p.from <= plan.date && (p.to === null || p.to >= plan.date));
    if (person) chosen.set(person.memberId, person);
    if (plan.enrol > 0 && chosen.size >= plan.enrol) break;
  }
  const others = b.rng.shuffle(branches.flatMap((branch) => branch.participants.filter((p) => p.full && p.from <= plan.date && (p.to === null || p.to >= plan.date))));
  for (const person of others) {
    if (chosen.size >= plan.enrol) break;
    chosen.set(person.memberId, person);
  }
  for (const person of chosen.values()) {
    const completed = b.rng.chance(0.97);
    b.enrolments.push({
      activityId: activity.id,
      memberId: person.memberId,
      enrolledOn: addDays(plan.date, -b.rng.int(5, 20)),
      completedOn: completed ? plan.endDate : null,
      hours: completed ? plan.classHours : null,
      regionCode: index?.members.get(person.memberId)?.regionCode ?? person.regionCode,
      organizationId: person.organizationId,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Guidance visits

/**
 * Guidance officers visit the institutions they are assigned to: a first visit within a fortnight,
 * then about every two months; the provincial center's officer at 辽宁宸瀚律师事务所 monthly, from the
 * work plan they drew up together in May 2019.
 */
function guidanceVisits(b: ProvinceBuild, index: Index, stations: GuidanceStationRow[], institutions: InstitutionRow[]): void {
  const byId = new Map(institutions.map((row) => [row.id, row]));
  const provinceStations = new Set(stations.map((row) => row.id));
  for (const assignment of index.assignments.filter((row) => provinceStations.has(row.stationId))) {
    const institution = byId.get(assignment.institutionId)!;
    const chenhan = institution.name === CHENHAN;
    const last = minDate(assignment.endedOn ?? LAST_DAY, LAST_DAY);
    let date = addDays(assignment.startedOn, b.rng.int(1, 14));
    let first = true;
    while (date <= last) {
      const title = first && chenhan ? '党建指导：研究制定《警律共建党建互联工作方案》' : first ? '党建指导员首次走访' : b.rng.pick(VISIT_TITLES);
      newActivity(b, {
        kind: 'GUIDANCE_VISIT',
        title,
        date,
        stationId: assignment.stationId,
        regionCode: institution.regionCode,
        location: institution.name,
        durationHours: b.rng.pick([1.5, 2, 3]),
        institutionId: institution.id,
        officerId: assignment.officerMemberId,
      });
      first = false;
      date = addDays(date, chenhan ? b.rng.int(25, 35) : b.rng.int(45, 75));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The three synchronizations (三个同步)

/**
 * Law firms' checkpoints: at approval from 2016 (with the commitment letter), and at each year's
 * inspection (spring) and assessment (early summer) of 2016–2019 (elsewhere 2018–2019) for firms
 * approved before the year.
 */
function synchronize(b: ProvinceBuild, institutions: InstitutionRow[], organizations: PartyOrganizationRow[]): void {
  const founded = new Map(organizations.map((row) => [row.id, row.foundedOn]));
  const coveringOn = (firm: InstitutionRow, date: string) =>
    firm.partyOrganizationId && (founded.get(firm.partyOrganizationId) ?? LAST_DAY) <= date ? firm.partyOrganizationId : null;
  const result = (): CheckpointResult => {
    const draw = b.rng.next();
    return draw < 0.94 ? 'PASSED' : draw < 0.99 ? 'RECTIFICATION_REQUIRED' : 'FAILED';
  };
  for (const firm of institutions.filter((row) => row.kind === 'LAW_FIRM' && row.state === 'OPERATING')) {
    if (firm.approvedOn >= '2016-01-01') {
      const letter = b.rng.chance(0.96);
      b.checkpoints.push({
        id: b.rng.uuid(),
        institutionId: firm.id,
        regionCode: firm.regionCode,
        organizationId: coveringOn(firm, firm.approvedOn),
        stage: 'APPROVAL',
        checkedOn: firm.approvedOn,
        result: letter ? 'PASSED' : 'RECTIFICATION_REQUIRED',
        commitmentLetterReceived: letter,
        notes: letter ? '申请人提供党员律师情况并出具党建工作承诺书' : '未出具党建工作承诺书，限期补交',
      });
    }
    for (let year = b.detailed ? 2016 : 2018; year <= LAST_YEAR; year++) {
      if (firm.approvedOn >= formatDate(year, 1, 1)) continue;
      for (const [stage, from, to] of [['ANNUAL_INSPECTION', 3, 5], ['ANNUAL_ASSESSMENT', 4, 6]] as const) {
        const checkedOn = dateBetween(b.rng, formatDate(year, from, 1), addDays(formatDate(year, to + 1, 1), -1));
        b.checkpoints.push({
          id: b.rng.uuid(),
          institutionId: firm.id,
          regionCode: firm.regionCode,
          organizationId: coveringOn(firm, checkedOn),
          stage,
          checkedOn,
          result: result(),
          commitmentLetterReceived: null,
          notes: null,
        });
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Rows

function newActivity(
  b: ProvinceBuild,
  fields: Pick<ActivityRow, 'kind' | 'title' | 'date' | 'regionCode'> & Partial<Omit<ActivityRow, 'id' | 'kind' | 'title' | 'date' | 'regionCode'>>,
): ActivityRow {
  const row: ActivityRow = {
    id: `${b.idPrefix}${(b.nextId++).toString(16).padStart(12, '0')}`,
    endDate: null,
    durationHours: null,
    classHours: null,
    location: null,
    organizationId: null,
    stationId: null,
    institutionId: null,
    officerId: null,
    minutes: null,
    headcount: null,
    status: 'HELD',
    cancelledOn: null,
    cancellationReason: null,
    ...fields,
  };
  b.activities.push(row);
  return row;
}

// Dates are ISO strings, which compare correctly as text; arithmetic goes through UTC days.

function formatDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function dateBetween(rng: Random, from: string, to: string): string {
  return fromDay(rng.int(toDay(from), toDay(to)));
}

function addDays(date: string, days: number): string {
  return fromDay(toDay(date) + days);
}

function addYears(date: string, years: number): string {
  return `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;
}

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

/**
 * Day numbers and their dates over the years the dataset can touch, computed once: the national
 * dataset does date arithmetic for over a million activities.
 */
const CALENDAR_FROM = Date.UTC(1930, 0, 1) / 86_400_000;
const CALENDAR = Array.from({ length: Math.round((Date.UTC(2031, 0, 1) - Date.UTC(1930, 0, 1)) / 86_400_000) }, (_, i) =>
  new Date((CALENDAR_FROM + i) * 86_400_000).toISOString().slice(0, 10),
);
const DAY_OF = new Map(CALENDAR.map((date, i) => [date, CALENDAR_FROM + i]));

function toDay(date: string): number {
  return DAY_OF.get(date) ?? Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}

function fromDay(day: number): string {
  return CALENDAR[day - CALENDAR_FROM] ?? new Date(day * 86_400_000).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Loading

/** Inserts the dataset into the `activities` schema with `INSERT … SELECT FROM unnest(…)`, inside the caller's transaction. */
export async function loadActivitiesDataset(db: ClientBase, data: ActivitiesDataset): Promise<void> {
  await insertRows(db, 'activities.requirement', [
    { name: 'region_code', type: 'text', value: (row: RequirementRow) => row.regionCode },
    { name: 'kind', type: 'text', value: (row) => row.kind },
    { name: 'from_year', type: 'smallint', value: (row) => row.fromYear },
    { name: 'frequency', type: 'text', value: (row) => row.frequency },
  ], data.requirements);

  await insertRows(db, 'activities.registered_organization', [
    { name: 'organization_id', type: 'uuid', value: (row: RegisteredOrganizationRow) => row.organizationId },
    { name: 'region_code', type: 'text', value: (row) => row.regionCode },
    { name: 'kind', type: 'text', value: (row) => row.kind },
    { name: 'founded_on', type: 'date', value: (row) => row.foundedOn },
    { name: 'dissolved_on', type: 'date', value: (row) => row.dissolvedOn },
    // As the organization subgraph numbers an organization it has not changed since it was loaded.
    { name: 'revision', type: 'int', value: () => 1 },
  ], data.registeredOrganizations);

  await insertRows(db, 'activities.registered_institution', [
    { name: 'institution_id', type: 'uuid', value: (row: RegisteredInstitutionRow) => row.institutionId },
    { name: 'region_code', type: 'text', value: (row) => row.regionCode },
    { name: 'kind', type: 'text', value: (row) => row.kind },
    { name: 'state', type: 'text', value: (row) => row.state },
    { name: 'approved_on', type: 'date', value: (row) => row.approvedOn },
    { name: 'party_organization_id', type: 'uuid', value: (row) => row.partyOrganizationId },
    // As the organization subgraph numbers an institution it has not changed since it was loaded.
    { name: 'revision', type: 'int', value: () => 1 },
  ], data.registeredInstitutions);

  // Most rows are a branch's own meetings with nothing else to say: sending them without the
  // columns they leave empty saves the national load a sixth of its time.
  const plain = (row: ActivityRow) =>
    row.organizationId !== null && row.status === 'HELD' && row.endDate === null && row.classHours === null && row.institutionId === null && row.minutes === null;
  const common: Column<ActivityRow>[] = [
    { name: 'id', type: 'uuid', value: (row) => row.id },
    { name: 'kind', type: 'text', value: (row) => row.kind },
    { name: 'title', type: 'text', value: (row) => row.title },
    { name: 'held_on', type: 'date', value: (row) => row.date },
    { name: 'duration_hours', type: 'numeric', value: (row) => row.durationHours },
    { name: 'location', type: 'text', value: (row) => row.location },
    { name: 'organizer_organization_id', type: 'uuid', value: (row) => row.organizationId },
    { name: 'region_code', type: 'text', value: (row) => row.regionCode },
    { name: 'headcount', type: 'int', value: (row) => row.headcount },
  ];
  await insertRows(db, 'activities.activity', common, data.activities.filter(plain));
  await insertRows(db, 'activities.activity', [
    ...common,
    { name: 'ends_on', type: 'date', value: (row) => row.endDate },
    { name: 'class_hours', type: 'numeric', value: (row) => row.classHours },
    { name: 'organizer_station_id', type: 'uuid', value: (row) => row.stationId },
    { name: 'institution_id', type: 'uuid', value: (row) => row.institutionId },
    { name: 'officer_member_id', type: 'uuid', value: (row) => row.officerId },
    { name: 'minutes', type: 'text', value: (row) => row.minutes },
    { name: 'status', type: 'text', value: (row) => row.status },
    { name: 'cancelled_on', type: 'date', value: (row) => row.cancelledOn },
    { name: 'cancellation_reason', type: 'text', value: (row) => row.cancellationReason },
  ], data.activities.filter((row) => !plain(row)));

  await insertRows(db, 'activities.attendance', [
    { name: 'activity_id', type: 'uuid', value: (row: AttendanceRow) => row.activityId },
    { name: 'member_id', type: 'uuid', value: (row) => row.memberId },
    { name: 'status', type: 'text', value: (row) => row.status },
    { name: 'reason', type: 'text', value: (row) => row.reason },
    { name: 'hours', type: 'numeric', value: (row) => row.hours },
    { name: 'region_code', type: 'text', value: (row) => row.regionCode },
    { name: 'organization_id', type: 'uuid', value: (row) => row.organizationId },
  ], data.attendance);

  await insertRows(db, 'activities.enrolment', [
    { name: 'activity_id', type: 'uuid', value: (row: EnrolmentRow) => row.activityId },
    { name: 'member_id', type: 'uuid', value: (row) => row.memberId },
    { name: 'enrolled_on', type: 'date', value: (row) => row.enrolledOn },
    { name: 'completed_on', type: 'date', value: (row) => row.completedOn },
    { name: 'hours', type: 'numeric', value: (row) => row.hours },
    { name: 'region_code', type: 'text', value: (row) => row.regionCode },
    { name: 'organization_id', type: 'uuid', value: (row) => row.organizationId },
  ], data.enrolments);

  await insertRows(db, 'activities.checkpoint', [
    { name: 'id', type: 'uuid', value: (row: CheckpointRow) => row.id },
    { name: 'institution_id', type: 'uuid', value: (row) => row.institutionId },
    { name: 'region_code', type: 'text', value: (row) => row.regionCode },
    { name: 'organization_id', type: 'uuid', value: (row) => row.organizationId },
    { name: 'stage', type: 'text', value: (row) => row.stage },
    { name: 'checked_on', type: 'date', value: (row) => row.checkedOn },
    { name: 'result', type: 'text', value: (row) => row.result },
    { name: 'commitment_letter_received', type: 'boolean', value: (row) => row.commitmentLetterReceived },
    { name: 'notes', type: 'text', value: (row) => row.notes },
  ], data.checkpoints);
}
