/**
 * The members subgraph's demo dataset: the people of every institution the organization dataset
 * plans, station and committee staff, formal and temporary Party relations, roles and transfers,
 * as they stood at the end of 2019.
 *
 * Every province draws from a random stream of its own and keeps its own uniqueness registers,
 * whose keys (ID numbers, licence numbers, letter numbers) embed the province, so the Liaoning
 * part of the national dataset is exactly the Liaoning dataset.
 */
import type { ClientBase } from 'pg';
import { idNumberCheckCharacter } from '../../shared/src/id-number';
import {
  insertRows,
  type GuidanceOfficerAssignmentRow,
  type GuidanceStationRow,
  type InstitutionKind,
  type InstitutionMemberPlan,
  type InstitutionRow,
  type OrganizationDataset,
  type PartyOrganizationRow,
  type RegionRow,
} from './organization';
import { createRandom, type Random } from './random';

// The domain's values are the subgraph's own: the demo data cannot drift from what the schema accepts.
export type { Gender, Education, PracticeKind, PartyStatus, RoleKind, TransferStatus } from '../../subgraphs/members/src/entities';
import type { Gender, Education, PracticeKind, PartyStatus, RoleKind, TransferStatus } from '../../subgraphs/members/src/entities';

export interface MemberRow {
  id: string;
  name: string;
  gender: Gender;
  ethnicity: string;
  birthDate: string;
  idNumber: string;
  education: Education | null;
  phone: string | null;
  practiceKind: PracticeKind | null;
  licenseNumber: string | null;
  /** When the person began to practise where they practise now (执业起始日期); null for staff. */
  practisingSince: string | null;
  institutionId: string | null;
  /** The institution's county, or the station's or committee's region for staff. */
  regionCode: string;
  partyStatus: PartyStatus | null;
  appliedOn: string | null;
  activistOn: string | null;
  candidateOn: string | null;
  joinedOn: string | null;
  fullOn: string | null;
  probationExtendedUntil: string | null;
  /** The branch holding the formal relation, or null when it lies outside the sector. */
  organizationId: string | null;
  lostContact: boolean;
  mobile: boolean;
}

/** A period of a formal relation; `toDate` null for the current one. */
export interface OrganizationMembershipRow {
  memberId: string;
  organizationId: string;
  fromDate: string;
  toDate: string | null;
  /** The completed transfer that ended the period, if one did. */
  transferId: string | null;
}

export interface TemporaryParticipationRow {
  memberId: string;
  organizationId: string;
  startedOn: string;
  endedOn: string | null;
}

export interface RoleAssignmentRow {
  id: string;
  memberId: string;
  kind: RoleKind;
  organizationId: string | null;
  stationId: string | null;
  /** The organization's or the station's region. */
  regionCode: string;
  startedOn: string;
  endedOn: string | null;
}

export interface TransferRow {
  id: string;
  memberId: string;
  fromOrganizationId: string;
  toOrganizationId: string;
  toRegionCode: string;
  fromRegionCode: string;
  letterNumber: string;
  status: TransferStatus;
  initiatedOn: string;
  expiresOn: string;
  completedOn: string | null;
  reason: string | null;
}

export interface MembersDataset {
  seed: number;
  members: MemberRow[];
  organizationMemberships: OrganizationMembershipRow[];
  temporaryParticipations: TemporaryParticipationRow[];
  roleAssignments: RoleAssignmentRow[];
  transfers: TransferRow[];
}

// ---------------------------------------------------------------------------------------------
// Figures

const LIAONING = '210000';
const LAST_DAY = '2019-12-31';
const LIAODA_CENTER = '辽宁大学司法鉴定中心';

const PRACTICE: Record<InstitutionKind, PracticeKind> = {
  LAW_FIRM: 'LAWYER',
  NOTARY_OFFICE: 'NOTARY',
  JUDICIAL_APPRAISAL: 'APPRAISER',
  GRASSROOTS_LEGAL_SERVICE: 'GRASSROOTS_LEGAL_WORKER',
};

/** Branch kinds that hold formal relations; temporary branches gather participants only. */
const FORMAL_BRANCH_KINDS = new Set<PartyOrganizationRow['kind']>(['STANDALONE_BRANCH', 'GENERAL_BRANCH', 'JOINT_BRANCH']);

/** Transfers and mobile members' participations in Liaoning; other provinces scale them by their branches. */
interface ActivityQuota {
  completed: number;
  pending: number;
  returned: number;
  cancelled: number;
  expired: number;
  mobileParticipations: number;
}

const LIAONING_QUOTA: ActivityQuota = { completed: 60, pending: 8, returned: 3, cancelled: 3, expired: 2, mobileParticipations: 40 };
/** About as many formal branches as Liaoning has: the unit other provinces' quotas scale from. */
const LIAONING_BRANCHES = 550;

/** Shares of Party members, not of everyone: both are Party-membership notions (失联党员, 流动党员). */
const LOST_CONTACT_SHARE = 0.005;
const MOBILE_SHARE = 0.02;
/** Non-members on the way in: applicants, activists and development candidates. */
const APPLYING_SHARE = 0.03;

/** GB/T 2260 province codes to the abbreviation a transfer letter's number starts with. */
const PROVINCE_ABBREVIATION: Record<string, string> = {
  '11': '京', '12': '津', '13': '冀', '14': '晋', '15': '蒙', '21': '辽', '22': '吉', '23': '黑', '31': '沪', '32': '苏',
  '33': '浙', '34': '皖', '35': '闽', '36': '赣', '37': '鲁', '41': '豫', '42': '鄂', '43': '湘', '44': '粤', '45': '桂',
  '46': '琼', '50': '渝', '51': '川', '52': '黔', '53': '滇', '54': '藏', '61': '陕', '62': '甘', '63': '青', '64': '宁', '65': '新',
};

const LETTER_SECTOR: Record<InstitutionKind, string> = {
  LAW_FIRM: '律',
  NOTARY_OFFICE: '公',
  JUDICIAL_APPRAISAL: '鉴',
  GRASSROOTS_LEGAL_SERVICE: '基',
};

/** Non-lawyers' licence numbers start with their practice's initials, so they never look like a lawyer's. */
const LICENCE_INITIALS: Record<Exclude<PracticeKind, 'LAWYER'>, string> = {
  NOTARY: 'GZ',
  APPRAISER: 'SJ',
  GRASSROOTS_LEGAL_WORKER: 'JC',
};

const RETURN_REASONS = ['介绍信抬头与接收党组织名称不符', '党员档案材料不全，请补齐后重新办理', '接收党组织与党员实际执业机构不一致'];
const CANCEL_REASONS = ['党员工作调动取消，继续在原执业机构执业', '介绍信信息填写有误，重新开具', '党员本人申请暂缓转接'];

// ---------------------------------------------------------------------------------------------
// People's attributes

type Weighted<T> = readonly (readonly [T, number])[];

/** Practice-specific traits; staff are the justice bureaus' people sent to stations and committees. */
interface Profile {
  maleShare: number;
  minAge: number;
  maxAge: number;
  education: Weighted<Education>;
}

const PROFILES: Record<PracticeKind | 'STAFF', Profile> = {
  LAWYER: { maleShare: 0.62, minAge: 24, maxAge: 68, education: [['BACHELOR', 55], ['MASTER', 28], ['JUNIOR_COLLEGE', 12], ['DOCTORATE', 5]] },
  NOTARY: { maleShare: 0.42, minAge: 26, maxAge: 60, education: [['BACHELOR', 66], ['MASTER', 24], ['JUNIOR_COLLEGE', 9], ['DOCTORATE', 1]] },
  APPRAISER: { maleShare: 0.58, minAge: 28, maxAge: 68, education: [['BACHELOR', 45], ['MASTER', 30], ['DOCTORATE', 15], ['JUNIOR_COLLEGE', 10]] },
  GRASSROOTS_LEGAL_WORKER: { maleShare: 0.66, minAge: 28, maxAge: 70, education: [['JUNIOR_COLLEGE', 45], ['SECONDARY', 25], ['BACHELOR', 28], ['MASTER', 2]] },
  STAFF: { maleShare: 0.6, minAge: 30, maxAge: 58, education: [['BACHELOR', 60], ['MASTER', 30], ['JUNIOR_COLLEGE', 10]] },
};

/** Common surnames, most frequent first; the first ones are drawn more often. */
const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文付邢齐隋宫鲍闫佟关'];
const SURNAME_POOL = SURNAMES.flatMap((surname, rank) => Array<string>(rank < 20 ? 4 : rank < 50 ? 2 : 1).fill(surname));

/** Surnames minorities often carry, drawn for part of their members. */
const MINORITY_SURNAMES: Record<string, readonly string[]> = {
  满族: [...'关佟那富赵金白付唐'],
  蒙古族: [...'包白宝韩吴鲍'],
  回族: [...'马李杨丁穆'],
  朝鲜族: [...'金李朴崔郑'],
  锡伯族: [...'关吴韩何安'],
};

const MALE_GIVEN = [...'伟刚勇毅俊峰强军平东文辉力明永健广志义兴良海山仁波宁福生龙元全国胜学祥才发武新利清飞彬顺信杰涛昌成康星光天达安岩中茂进林有坚和博诚先敬震振思群豪邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦奇翰朗伯宏鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士建家致树德行泰盛雄钧冠策腾楠航宇凯铭锋'];
const FEMALE_GIVEN = [...'秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红玲芬芳燕彩春菊兰凤洁梅琳素云莲雪荣爱霞香月媛艳瑞佳嘉琼勤珍莉桂璐娅琦晶妍茜秋珊莎锦青倩婷婉娴瑾颖露瑶怡雁蓓仪丹蓉君琴蕊薇菁梦岚馨韵悦冰爽欣滢筠柔竹凝晓欢枫芸菲宁宜舒丽阳妮晴睿雯萱彦宇雨曼逸蕾'];

const HAN_MAJORITY: Weighted<string> = [['汉族', 95], ['回族', 2], ['满族', 1.5], ['蒙古族', 0.5], ['土家族', 0.5], ['苗族', 0.5]];

/** Liaoning's autonomous counties, where a large share of people are of the titular nationality. */
const LIAONING_AUTONOMOUS: Record<string, Weighted<string>> = {
  '210323': [['满族', 45], ['汉族', 52], ['朝鲜族', 1], ['回族', 1], ['蒙古族', 1]], // 岫岩满族自治县
  '210422': [['满族', 45], ['汉族', 52], ['朝鲜族', 1], ['回族', 1], ['蒙古族', 1]], // 新宾满族自治县
  '210521': [['满族', 40], ['汉族', 57], ['朝鲜族', 1], ['回族', 1], ['蒙古族', 1]], // 本溪满族自治县
  '210522': [['满族', 40], ['汉族', 57], ['朝鲜族', 1], ['回族', 1], ['蒙古族', 1]], // 桓仁满族自治县
  '210624': [['满族', 40], ['汉族', 56], ['朝鲜族', 2], ['回族', 1], ['蒙古族', 1]], // 宽甸满族自治县
  '210921': [['蒙古族', 25], ['汉族', 65], ['满族', 8], ['回族', 2]], // 阜新蒙古族自治县
  '211324': [['蒙古族', 25], ['汉族', 65], ['满族', 8], ['回族', 2]], // 喀喇沁左翼蒙古族自治县
};

/** Elsewhere in Liaoning: Manchu everywhere, Mongols in the west, Koreans and Xibe in Shenyang and Dandong. */
function liaoningEthnicities(regionCode: string): Weighted<string> {
  const city = regionCode.slice(0, 4);
  return [
    ['汉族', 84],
    ['满族', 10],
    ['蒙古族', city === '2109' || city === '2113' ? 4 : 1],
    ['回族', 1.5],
    ['朝鲜族', city === '2101' || city === '2106' ? 2 : 0.5],
    ['锡伯族', city === '2101' ? 1 : 0.2],
  ];
}

/** Provinces with large minorities; the rest take `HAN_MAJORITY`. */
const PROVINCE_ETHNICITIES: Record<string, Weighted<string>> = {
  '13': [['汉族', 95], ['满族', 3], ['回族', 1.5], ['蒙古族', 0.5]],
  '15': [['汉族', 78], ['蒙古族', 18], ['满族', 2], ['回族', 2]],
  '22': [['汉族', 90], ['朝鲜族', 5], ['满族', 4], ['回族', 1]],
  '23': [['汉族', 95], ['满族', 3], ['朝鲜族', 1], ['回族', 1]],
  '43': [['汉族', 88], ['土家族', 5], ['苗族', 5], ['侗族', 2]],
  '45': [['汉族', 68], ['壮族', 28], ['瑶族', 2], ['苗族', 1], ['侗族', 1]],
  '46': [['汉族', 85], ['黎族', 14], ['苗族', 1]],
  '50': [['汉族', 93], ['土家族', 6], ['苗族', 1]],
  '51': [['汉族', 94], ['彝族', 4], ['藏族', 2]],
  '52': [['汉族', 66], ['苗族', 12], ['布依族', 8], ['侗族', 5], ['土家族', 5], ['彝族', 2], ['回族', 2]],
  '53': [['汉族', 67], ['彝族', 11], ['哈尼族', 4], ['白族', 4], ['傣族', 3], ['壮族', 3], ['苗族', 3], ['回族', 2], ['纳西族', 1], ['藏族', 2]],
  '54': [['藏族', 85], ['汉族', 14], ['回族', 1]],
  '62': [['汉族', 91], ['回族', 5], ['藏族', 2], ['东乡族', 2]],
  '63': [['汉族', 53], ['藏族', 24], ['回族', 15], ['土族', 4], ['撒拉族', 2], ['蒙古族', 2]],
  '64': [['汉族', 64], ['回族', 35], ['满族', 1]],
  '65': [['汉族', 45], ['维吾尔族', 42], ['哈萨克族', 7], ['回族', 5], ['蒙古族', 1]],
};

function ethnicities(regionCode: string): Weighted<string> {
  if (regionCode.startsWith('21')) return LIAONING_AUTONOMOUS[regionCode] ?? liaoningEthnicities(regionCode);
  return PROVINCE_ETHNICITIES[regionCode.slice(0, 2)] ?? HAN_MAJORITY;
}

// ---------------------------------------------------------------------------------------------
// Building

/** The organization dataset cut by province, with look-ups every province shares. */
interface OrganizationIndex {
  plans: Map<string, InstitutionMemberPlan>;
  organizations: Map<string, PartyOrganizationRow>;
  stations: Map<string, GuidanceStationRow>;
  /** County codes under each 2- and 4-digit prefix. */
  counties: Map<string, string[]>;
  provinces: ProvinceSlice[];
}

interface ProvinceSlice {
  region: RegionRow;
  institutions: InstitutionRow[];
  organizations: PartyOrganizationRow[];
  stations: GuidanceStationRow[];
  assignments: GuidanceOfficerAssignmentRow[];
  officerIds: string[];
}

interface Person {
  row: MemberRow;
  institution: InstitutionRow | null;
  /** Already given a past change of branch or a transfer; nobody gets two, so every history stays simple to check. */
  hasHistory: boolean;
}

/** One province's work in progress; its registers keep generated numbers unique. */
interface Build {
  rng: Random;
  index: OrganizationIndex;
  slice: ProvinceSlice;
  people: Person[];
  byInstitution: Map<string, Person[]>;
  current: Map<string, OrganizationMembershipRow>;
  memberships: OrganizationMembershipRow[];
  participations: TemporaryParticipationRow[];
  roles: RoleAssignmentRow[];
  transfers: TransferRow[];
  roleHolders: Set<string>;
  participants: Set<string>;
  pending: Set<string>;
  idNumbers: Set<string>;
  sequences: Map<string, number>;
}

export function buildMembersDataset(organization: OrganizationDataset, options: { seed?: number } = {}): MembersDataset {
  const seed = options.seed ?? organization.seed;
  const index = indexOrganization(organization);
  const dataset: MembersDataset = { seed, members: [], organizationMemberships: [], temporaryParticipations: [], roleAssignments: [], transfers: [] };
  for (const slice of index.provinces) {
    const build = buildProvince(seed, index, slice);
    // push(...rows) would overflow the stack on a large province.
    for (const person of build.people) dataset.members.push(person.row);
    for (const row of build.memberships) dataset.organizationMemberships.push(row);
    for (const row of build.participations) dataset.temporaryParticipations.push(row);
    for (const row of build.roles) dataset.roleAssignments.push(row);
    for (const row of build.transfers) dataset.transfers.push(row);
  }
  return dataset;
}

function indexOrganization(organization: OrganizationDataset): OrganizationIndex {
  const provinceOf = (regionCode: string): string => `${regionCode.slice(0, 2)}0000`;
  const slices = new Map<string, ProvinceSlice>();
  const counties = new Map<string, string[]>();
  for (const region of organization.regions) {
    if (region.level === 'PROVINCE') slices.set(region.code, { region, institutions: [], organizations: [], stations: [], assignments: [], officerIds: [] });
    if (region.level !== 'COUNTY') continue;
    for (const prefix of [region.code.slice(0, 2), region.code.slice(0, 4)]) {
      const list = counties.get(prefix) ?? [];
      list.push(region.code);
      counties.set(prefix, list);
    }
  }
  const slice = (regionCode: string): ProvinceSlice => {
    const found = slices.get(provinceOf(regionCode));
    if (!found) throw new Error(`region ${regionCode} lies in no province of the dataset`);
    return found;
  };
  for (const row of organization.institutions) slice(row.regionCode).institutions.push(row);
  for (const row of organization.partyOrganizations) slice(row.regionCode).organizations.push(row);
  for (const row of organization.guidanceStations) slice(row.regionCode).stations.push(row);
  const stations = new Map(organization.guidanceStations.map((row) => [row.id, row]));
  for (const row of organization.guidanceOfficerAssignments) slice(stations.get(row.stationId)!.regionCode).assignments.push(row);
  const officerStation = new Map(organization.guidanceOfficerAssignments.map((row) => [row.officerMemberId, row.stationId]));
  for (const id of organization.guidanceOfficerIds) {
    const stationId = officerStation.get(id);
    if (!stationId) throw new Error(`guidance officer ${id} has no assignment to tell their station`);
    slice(stations.get(stationId)!.regionCode).officerIds.push(id);
  }
  return {
    plans: new Map(organization.memberPlans.map((plan) => [plan.institutionId, plan])),
    organizations: new Map(organization.partyOrganizations.map((row) => [row.id, row])),
    stations,
    counties,
    provinces: [...slices.values()],
  };
}

function buildProvince(seed: number, index: OrganizationIndex, slice: ProvinceSlice): Build {
  const b: Build = {
    rng: createRandom(seed, `members:${slice.region.code}`),
    index,
    slice,
    people: [],
    byInstitution: new Map(),
    current: new Map(),
    memberships: [],
    participations: [],
    roles: [],
    transfers: [],
    roleHolders: new Set(),
    participants: new Set(),
    pending: new Set(),
    idNumbers: new Set(),
    sequences: new Map(),
  };
  const quota = activityQuota(slice);

  createPractitioners(b);
  for (const person of b.people) if (person.row.organizationId) openMembership(b, person);
  placeLiaodaParticipants(b);
  recordDissolvedBranches(b);
  completeTransfers(b, quota.completed);

  appointBranchOfficers(b);
  appointLiaisons(b);
  staffCommittees(b);
  staffStations(b);
  appointGuidanceOfficers(b);

  openOtherTransfers(b, quota);
  gatherTemporaryBranches(b);
  placeMobileParticipants(b, quota.mobileParticipations);
  flagMobileAndLostMembers(b);
  return b;
}

function activityQuota(slice: ProvinceSlice): ActivityQuota {
  if (slice.region.code === LIAONING) return LIAONING_QUOTA;
  const branches = slice.organizations.filter(isFormalBranch).length;
  const scale = (value: number): number => Math.round((value * branches) / LIAONING_BRANCHES);
  return {
    completed: scale(LIAONING_QUOTA.completed),
    pending: scale(LIAONING_QUOTA.pending),
    returned: scale(LIAONING_QUOTA.returned),
    cancelled: scale(LIAONING_QUOTA.cancelled),
    expired: scale(LIAONING_QUOTA.expired),
    mobileParticipations: scale(LIAONING_QUOTA.mobileParticipations),
  };
}

// ---------------------------------------------------------------------------------------------
// Practitioners and staff

function createPractitioners(b: Build): void {
  for (const institution of b.slice.institutions) {
    const plan = b.index.plans.get(institution.id);
    if (!plan) throw new Error(`institution ${institution.id} has no member plan`);
    const branch = institution.partyOrganizationId ? b.index.organizations.get(institution.partyOrganizationId) : undefined;
    const formalBranch = branch && branch.dissolvedOn === null ? branch.id : null;
    // The center's members that take part temporarily from 2017 joined well before then.
    const joinedBy = institution.name === LIAODA_CENTER ? '2016-06-30' : undefined;
    const people = planStatuses(b.rng, plan).map((status) => {
      const person = createPerson(b, { regionCode: institution.regionCode, practice: PRACTICE[institution.kind], status, joinedBy });
      person.institution = institution;
      person.row.institutionId = institution.id;
      person.row.practisingSince = practisingSince(person.row);
      if (status === 'FULL' || status === 'PROBATIONARY') person.row.organizationId = formalBranch;
      return person;
    });
    b.byInstitution.set(institution.id, people);
  }
}

/**
 * The year the licence number carries, on a day drawn from the person's id rather than from the
 * random stream, so every other record stays as it was. Someone licensed before their institution
 * opened practised elsewhere; with no record of where, the history counts them where they are now.
 */
function practisingSince(row: MemberRow): string {
  const number = row.licenseNumber ?? '';
  const year = Number(row.practiceKind === 'LAWYER' ? number.slice(5, 9) : number.slice(8, 12));
  return addDays(`${year}-01-01`, parseInt(row.id.slice(0, 8), 16) % 365);
}

/** The plan's statuses in random order: its full and probationary members, a few applying, the rest none. */
function planStatuses(rng: Random, plan: InstitutionMemberPlan): (PartyStatus | null)[] {
  const { practitioners, partyMembers, fullPartyMembers } = plan;
  if (!(fullPartyMembers >= 0 && fullPartyMembers <= partyMembers && partyMembers <= practitioners)) {
    throw new Error(`inconsistent member plan for institution ${plan.institutionId}`);
  }
  const statuses: (PartyStatus | null)[] = [];
  for (let i = 0; i < practitioners; i++) {
    if (i < fullPartyMembers) statuses.push('FULL');
    else if (i < partyMembers) statuses.push('PROBATIONARY');
    else statuses.push(rng.chance(APPLYING_SHARE) ? rng.pick(['APPLICANT', 'ACTIVIST', 'CANDIDATE'] as const) : null);
  }
  return rng.shuffle(statuses);
}

/**
 * Staff of stations and industry committees practise nowhere; they are full members whose
 * relation lies in the justice bureau's own organization, outside the sector.
 */
function createStaff(b: Build, regionCode: string, id?: string): Person {
  return createPerson(b, { id, regionCode, practice: null, status: 'FULL', joinedBy: '2012-12-31' });
}

function createPerson(
  b: Build,
  spec: { id?: string; regionCode: string; practice: PracticeKind | null; status: PartyStatus | null; joinedBy?: string },
): Person {
  const { rng } = b;
  const profile = PROFILES[spec.practice ?? 'STAFF'];
  const gender: Gender = rng.chance(profile.maleShare) ? 'MALE' : 'FEMALE';
  const ethnicity = weightedPick(rng, ethnicities(spec.regionCode));
  const birthDate = drawBirthDate(rng, profile, spec.status);
  const row: MemberRow = {
    id: spec.id ?? rng.uuid(),
    name: personName(rng, gender, ethnicity),
    gender,
    ethnicity,
    birthDate,
    idNumber: idNumber(b, spec.regionCode, birthDate, gender),
    education: weightedPick(rng, profile.education),
    phone: `1${rng.int(3, 9)}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`,
    practiceKind: spec.practice,
    licenseNumber: spec.practice ? licenceNumber(b, spec.practice, spec.regionCode, birthDate, gender) : null,
    practisingSince: null,
    institutionId: null,
    regionCode: spec.regionCode,
    partyStatus: spec.status,
    ...statusDates(rng, birthDate, spec.status, spec.joinedBy),
    organizationId: null,
    lostContact: false,
    mobile: false,
  };
  const person: Person = { row, institution: null, hasHistory: false };
  b.people.push(person);
  return person;
}

/** Ages at the end of 2019 peak mid-range; people still on the way in are younger. */
function drawBirthDate(rng: Random, profile: Profile, status: PartyStatus | null): string {
  const isNew = status !== null && status !== 'FULL';
  const maxAge = isNew ? Math.min(profile.maxAge, profile.minAge + 20) : profile.maxAge;
  const age = profile.minAge + Math.floor(((rng.next() + rng.next()) / 2) * (maxAge - profile.minAge + 1));
  // Any day of the year makes the person exactly `age` on 31 December 2019.
  const year = 2019 - age;
  return dateBetween(rng, `${year}-01-01`, `${year}-12-31`);
}

function personName(rng: Random, gender: Gender, ethnicity: string): string {
  const minority = MINORITY_SURNAMES[ethnicity];
  const surname = minority && rng.chance(0.6) ? rng.pick(minority) : rng.pick(SURNAME_POOL);
  const given = gender === 'MALE' ? MALE_GIVEN : FEMALE_GIVEN;
  return surname + rng.pick(given) + (rng.chance(0.75) ? rng.pick(given) : '');
}

type StatusDates = Pick<MemberRow, 'appliedOn' | 'activistOn' | 'candidateOn' | 'joinedOn' | 'fullOn' | 'probationExtendedUntil'>;

/**
 * Dates for every stage the person has reached, none for later ones, keeping the minimum stays
 * the service enforces: an applicant is 18, an activist is observed a year before becoming a
 * candidate, probation lasts a year (or until an extension, at most two years, ends).
 */
function statusDates(rng: Random, birthDate: string, status: PartyStatus | null, joinedBy = '2018-12-31'): StatusDates {
  const dates: StatusDates = { appliedOn: null, activistOn: null, candidateOn: null, joinedOn: null, fullOn: null, probationExtendedUntil: null };
  switch (status) {
    case null:
      return dates;
    case 'APPLICANT':
      dates.appliedOn = dateBetween(rng, '2018-06-01', LAST_DAY);
      return dates;
    case 'ACTIVIST':
      dates.activistOn = dateBetween(rng, '2018-01-01', LAST_DAY);
      dates.appliedOn = addDays(dates.activistOn, -rng.int(30, 400));
      return dates;
    case 'CANDIDATE':
      return { ...dates, ...stagesBefore(rng, birthDate, dateBetween(rng, '2018-06-01', LAST_DAY), 0) };
    case 'PROBATIONARY':
      return { ...dates, ...stagesBefore(rng, birthDate, dateBetween(rng, '2019-01-01', LAST_DAY), rng.int(20, 180)) };
    case 'FULL':
      return { ...dates, ...fullMemberDates(rng, birthDate, joinedBy) };
  }
}

/** Admitted between 1970 and 2018, at 20 or older, mostly young; made full after a year's probation. */
function fullMemberDates(rng: Random, birthDate: string, joinedBy: string): StatusDates {
  const earliest = maxDate('1970-01-01', addYears(birthDate, 20));
  const span = Math.max(0, toDay(joinedBy) - toDay(earliest));
  const joinedOn = addDays(earliest, Math.floor(rng.next() ** 1.6 * (span + 1)));
  const before = stagesBefore(rng, birthDate, joinedOn, rng.int(20, 180));
  if (joinedOn <= '2017-06-30' && rng.chance(0.01)) {
    // An extended probation (延长预备期): past the normal year, well short of two.
    const probationExtendedUntil = addDays(addYears(joinedOn, 1), rng.int(60, 300));
    return { ...before, joinedOn, probationExtendedUntil, fullOn: addDays(probationExtendedUntil, rng.int(0, 20)) };
  }
  return { ...before, joinedOn, probationExtendedUntil: null, fullOn: minDate(addDays(addYears(joinedOn, 1), rng.int(0, 45)), LAST_DAY) };
}

/**
 * Application, activist and candidate dates leading to `milestone`: the admission date when
 * `gapToMilestone` is positive, or the candidate date itself when it is zero.
 */
function stagesBefore(rng: Random, birthDate: string, milestone: string, gapToMilestone: number): StatusDates {
  const chain = (gaps: [number, number, number]): { appliedOn: string; activistOn: string; candidateOn: string } => {
    const candidateOn = addDays(milestone, -gaps[0]);
    const activistOn = addDays(addYears(candidateOn, -1), -gaps[1]);
    return { candidateOn, activistOn, appliedOn: addDays(activistOn, -gaps[2]) };
  };
  let stages = chain([gapToMilestone, rng.int(0, 200), rng.int(30, 400)]);
  // Admissions at 20 leave little room: the shortest stays keep the application at 18 or later.
  if (stages.appliedOn < addYears(birthDate, 18)) stages = chain([Math.min(gapToMilestone, 20), 0, 30]);
  return { ...stages, joinedOn: gapToMilestone > 0 ? milestone : null, fullOn: null, probationExtendedUntil: null };
}

/**
 * GB 11643: the region of registration (the member's county, or for one in ten another county of
 * the province, where they were born), the birth date, a sequence odd for men and even for women,
 * and the check character.
 */
function idNumber(b: Build, regionCode: string, birthDate: string, gender: Gender): string {
  const home = b.rng.chance(0.9) ? countyWithin(b, regionCode) : b.rng.pick(provinceCounties(b));
  const stem = home + birthDate.replaceAll('-', '');
  for (;;) {
    const sequence = gender === 'MALE' ? 2 * b.rng.int(0, 499) + 1 : 2 * b.rng.int(1, 499);
    const first17 = stem + String(sequence).padStart(3, '0');
    if (!b.idNumbers.has(first17)) {
      b.idNumbers.add(first17);
      return first17 + idNumberCheckCharacter(first17);
    }
  }
}

/** The county itself, or one of the city's or province's counties for a city- or province-level code. */
function countyWithin(b: Build, regionCode: string): string {
  if (!regionCode.endsWith('00')) return regionCode;
  const prefix = regionCode.endsWith('0000') ? regionCode.slice(0, 2) : regionCode.slice(0, 4);
  return b.rng.pick(b.index.counties.get(prefix) ?? provinceCounties(b));
}

function provinceCounties(b: Build): string[] {
  const counties = b.index.counties.get(b.slice.region.code.slice(0, 2));
  if (!counties) throw new Error(`${b.slice.region.name} has no county`);
  return counties;
}

/**
 * A lawyer's 17 digits: 1, the city's four digits, the year first licensed, 1 (full-time), the
 * gender (1 male, 0 female) and a six-digit sequence. Other practices: their initials, the county,
 * the year and a four-digit sequence. The region makes both unique across provinces.
 */
function licenceNumber(b: Build, practice: PracticeKind, regionCode: string, birthDate: string, gender: Gender): string {
  const firstYear = Math.max(practice === 'LAWYER' ? 1986 : 1990, Number(birthDate.slice(0, 4)) + 23);
  // Licences lean towards recent years, as the professions grew.
  const year = Math.min(2019, firstYear + Math.floor(b.rng.next() ** 0.7 * (2019 - firstYear + 1)));
  const isLawyer = practice === 'LAWYER';
  const stem = isLawyer ? `1${regionCode.slice(0, 4)}${year}1${gender === 'MALE' ? 1 : 0}` : `${LICENCE_INITIALS[practice]}${regionCode}${year}`;
  const width = isLawyer ? 6 : 4;
  const sequence = nextSequence(b, `licence:${stem}`, 9);
  if (String(sequence).length > width) throw new Error(`licence sequence exhausted for ${stem}`);
  return stem + String(sequence).padStart(width, '0');
}

/** Increasing numbers with small random gaps, so a register looks issued over time. */
function nextSequence(b: Build, key: string, maxGap: number): number {
  const next = (b.sequences.get(key) ?? 0) + b.rng.int(1, maxGap);
  b.sequences.set(key, next);
  return next;
}

// ---------------------------------------------------------------------------------------------
// Formal relations: memberships, dissolved branches, completed transfers

function openMembership(b: Build, person: Person): void {
  const organization = organizationOf(b, person.row.organizationId!);
  const row: OrganizationMembershipRow = {
    memberId: person.row.id,
    organizationId: organization.id,
    fromDate: maxDate(person.row.joinedOn!, organization.foundedOn),
    toDate: null,
    transferId: null,
  };
  b.memberships.push(row);
  b.current.set(person.row.id, row);
}

/**
 * 双重管理 at 辽宁大学司法鉴定中心: three or four full members keep their formal relation outside
 * the sector and have taken part in the center's branch since 2017.
 */
function placeLiaodaParticipants(b: Build): void {
  const center = b.slice.institutions.find((row) => row.name === LIAODA_CENTER);
  if (!center) return;
  const branch = organizationOf(b, center.partyOrganizationId!);
  const full = b.byInstitution.get(center.id)!.filter((person) => person.row.partyStatus === 'FULL');
  const count = b.rng.int(3, 4);
  if (full.length - count < 3) throw new Error(`${LIAODA_CENTER} needs three formal full members besides its ${count} temporary ones`);
  for (const person of b.rng.shuffle([...full]).slice(0, count)) {
    const membership = b.current.get(person.row.id)!;
    b.memberships.splice(b.memberships.indexOf(membership), 1);
    b.current.delete(person.row.id);
    person.row.organizationId = null;
    const from = maxDate('2017-01-01', addDays(maxDate(branch.foundedOn, person.row.joinedOn!), 1));
    participate(b, person, branch, dateBetween(b.rng, from, maxDate(from, '2017-12-31')));
  }
}

/**
 * A dissolved branch had a secretary until it was dissolved; that member's relation then moved to
 * the branch they belong to now, so their history shows both periods.
 */
function recordDissolvedBranches(b: Build): void {
  for (const dissolved of b.slice.organizations.filter((row) => row.dissolvedOn !== null && FORMAL_BRANCH_KINDS.has(row.kind))) {
    const dissolvedOn = dissolved.dissolvedOn!;
    const eligible = (person: Person): boolean =>
      person.row.partyStatus === 'FULL' &&
      person.row.organizationId !== null &&
      !person.hasHistory &&
      person.row.fullOn! <= addDays(dissolvedOn, -60) &&
      organizationOf(b, person.row.organizationId).foundedOn <= dissolvedOn;
    const sameSector = b.people.filter((person) => eligible(person) && person.institution!.kind === dissolved.sector);
    const person = pickFromFirstTier(b.rng, [
      sameSector.filter((candidate) => candidate.row.regionCode === dissolved.regionCode),
      sameSector.filter((candidate) => sameCity(candidate.row.regionCode, dissolved.regionCode)),
      sameSector,
      b.people.filter(eligible),
    ]);
    if (!person) continue;
    const fromDate = maxDate(person.row.joinedOn!, dissolved.foundedOn);
    b.memberships.push({ memberId: person.row.id, organizationId: dissolved.id, fromDate, toDate: dissolvedOn, transferId: null });
    b.current.get(person.row.id)!.fromDate = dissolvedOn;
    person.hasHistory = true;
    const startedOn = maxDate(fromDate, person.row.fullOn!);
    addRole(b, { person, kind: 'SECRETARY', organization: dissolved, startedOn: minDate(startedOn, addDays(dissolvedOn, -30)), endedOn: dissolvedOn });
  }
}

/**
 * Members who moved from one institution to another brought their formal relation along: the
 * earlier branch's period ends on the day the new branch received it. The member is one of the
 * receiving branch's own, so each branch keeps the members its institutions' plans give it.
 */
function completeTransfers(b: Build, count: number): void {
  const branches = b.slice.organizations.filter(isFormalBranch);
  const movers = b.rng.shuffle(
    b.people.filter((person) => person.row.partyStatus === 'FULL' && person.row.organizationId !== null && person.row.joinedOn! <= '2015-06-30' && !person.hasHistory),
  );
  let made = 0;
  for (const person of movers) {
    if (made >= count) break;
    const to = organizationOf(b, person.row.organizationId!);
    const from = pickOtherBranch(b, branches, to, person);
    if (!from) continue;
    const earliest = maxDate(maxDate('2016-01-01', addDays(from.foundedOn, 30)), maxDate(addDays(person.row.joinedOn!, 30), addDays(to.foundedOn, -20)));
    if (earliest > '2019-10-31') continue;
    const initiatedOn = dateBetween(b.rng, earliest, '2019-10-31');
    const completedOn = maxDate(addDays(initiatedOn, b.rng.int(3, 45)), to.foundedOn);
    const transfer = addTransfer(b, { person, from, to, status: 'COMPLETED', initiatedOn, completedOn, reason: null });
    b.memberships.push({ memberId: person.row.id, organizationId: from.id, fromDate: maxDate(person.row.joinedOn!, from.foundedOn), toDate: completedOn, transferId: transfer.id });
    b.current.get(person.row.id)!.fromDate = completedOn;
    person.hasHistory = true;
    made++;
  }
}

/** Another branch, mostly of the same sector in the same city; one in five lies in another city. */
function pickOtherBranch(b: Build, branches: PartyOrganizationRow[], own: PartyOrganizationRow, person: Person): PartyOrganizationRow | undefined {
  const others = branches.filter((row) => row.id !== own.id && row.foundedOn <= '2019-09-01');
  const sector = others.filter((row) => row.sector === person.institution!.kind);
  const local = (rows: PartyOrganizationRow[]): PartyOrganizationRow[] => rows.filter((row) => sameCity(row.regionCode, own.regionCode));
  const away = (rows: PartyOrganizationRow[]): PartyOrganizationRow[] => rows.filter((row) => !sameCity(row.regionCode, own.regionCode));
  const tiers = b.rng.chance(0.8) ? [local(sector), local(others), away(sector)] : [away(sector), local(sector), others];
  return pickFromFirstTier(b.rng, tiers);
}

// ---------------------------------------------------------------------------------------------
// Roles

/** Every formal branch has one current secretary; about half have a deputy or committee members, some a party worker. */
function appointBranchOfficers(b: Build): void {
  const formal = formalMembersByBranch(b);
  for (const branch of b.slice.organizations.filter(isFormalBranch)) {
    const members = formal.get(branch.id) ?? [];
    const full = members.filter((person) => person.row.partyStatus === 'FULL');
    if (full.length < 3) throw new Error(`branch ${branch.name} has ${full.length} formal full members, fewer than three`);
    // Whoever could serve earliest was most likely elected when the branch was founded.
    const byReadiness = full
      .map((person) => ({ person, ready: readyOn(b, person, branch, person.row.fullOn!) }))
      .sort((x, y) => x.ready.localeCompare(y.ready) || x.person.row.id.localeCompare(y.person.row.id));
    const secretary = b.rng.pick(byReadiness.slice(0, 3));
    addRole(b, { person: secretary.person, kind: 'SECRETARY', organization: branch, startedOn: electedOn(b.rng, secretary.ready, branch.foundedOn) });

    const others = b.rng.shuffle(byReadiness.filter((entry) => entry.person !== secretary.person));
    if (b.rng.chance(0.5)) {
      const kind: RoleKind = b.rng.chance(0.4) ? 'DEPUTY_SECRETARY' : 'COMMITTEE_MEMBER';
      const count = kind === 'COMMITTEE_MEMBER' ? b.rng.int(1, 2) : 1;
      for (const entry of others.slice(0, count)) addRole(b, { person: entry.person, kind, organization: branch, startedOn: electedOn(b.rng, entry.ready, branch.foundedOn) });
    }
    const workers = members.filter((person) => !b.roleHolders.has(person.row.id));
    if (workers.length > 0 && b.rng.chance(0.25)) {
      const worker = b.rng.pick(workers);
      addRole(b, { person: worker, kind: 'PARTY_WORKER', organization: branch, startedOn: electedOn(b.rng, readyOn(b, worker, branch, worker.row.joinedOn!), branch.foundedOn) });
    }
  }
}

/** The first day a member could take a role in the branch: founded, a member there, and of the needed standing. */
function readyOn(b: Build, person: Person, branch: PartyOrganizationRow, standingSince: string): string {
  return maxDate(maxDate(branch.foundedOn, b.current.get(person.row.id)!.fromDate), standingSince);
}

/** On the founding day when ready then, otherwise within a few months of becoming ready. */
function electedOn(rng: Random, ready: string, foundedOn: string): string {
  if (ready === foundedOn || ready >= LAST_DAY) return ready;
  return dateBetween(rng, ready, minDate(addDays(ready, 120), LAST_DAY));
}

/** A third of the law firms without a branch but with Party members name a liaison to their city's committee. */
function appointLiaisons(b: Build): void {
  const committees = lawCommitteesByRegion(b);
  const firms = b.slice.institutions.filter(
    (institution) =>
      institution.kind === 'LAW_FIRM' &&
      institution.partyOrganizationId === null &&
      committees.has(cityOf(institution.regionCode)) &&
      b.byInstitution.get(institution.id)!.some(isPartyMember),
  );
  for (const institution of b.rng.shuffle(firms).slice(0, Math.round(firms.length / 3))) {
    const committee = committees.get(cityOf(institution.regionCode))!;
    const partyMembers = b.byInstitution.get(institution.id)!.filter(isPartyMember);
    const full = partyMembers.filter(isFullMember);
    const person = b.rng.pick(full.length > 0 ? full : partyMembers);
    const from = maxDate(maxDate(committee.foundedOn, '2018-03-01'), person.row.joinedOn!);
    addRole(b, { person, kind: 'LIAISON', organization: committee, startedOn: dateBetween(b.rng, from, LAST_DAY) });
  }
}

function staffCommittees(b: Build): void {
  for (const committee of b.slice.organizations.filter((row) => row.kind === 'INDUSTRY_COMMITTEE' && row.dissolvedOn === null)) {
    const person = createStaff(b, committee.regionCode);
    addRole(b, { person, kind: 'SECRETARY', organization: committee, startedOn: dateBetween(b.rng, committee.foundedOn, minDate(addDays(committee.foundedOn, 90), LAST_DAY)) });
  }
}

function staffStations(b: Build): void {
  for (const station of b.slice.stations) {
    const person = createStaff(b, station.regionCode);
    addRole(b, { person, kind: 'STATION_HEAD', station, startedOn: dateBetween(b.rng, station.establishedOn, minDate(addDays(station.establishedOn, 60), LAST_DAY)) });
  }
}

/** Each officer is staff of the station that sent them, appointed there before the first assignment it made. */
function appointGuidanceOfficers(b: Build): void {
  const byOfficer = new Map<string, GuidanceOfficerAssignmentRow[]>();
  for (const assignment of b.slice.assignments) {
    const list = byOfficer.get(assignment.officerMemberId) ?? [];
    list.push(assignment);
    byOfficer.set(assignment.officerMemberId, list);
  }
  for (const officerId of b.slice.officerIds) {
    const assignments = [...byOfficer.get(officerId)!].sort((x, y) => x.startedOn.localeCompare(y.startedOn) || x.id.localeCompare(y.id));
    const firstByStation = new Map<string, string>();
    for (const assignment of assignments) if (!firstByStation.has(assignment.stationId)) firstByStation.set(assignment.stationId, assignment.startedOn);
    const home = b.index.stations.get(assignments[0].stationId)!;
    const person = createStaff(b, home.regionCode, officerId);
    for (const [stationId, firstAssignment] of firstByStation) {
      const station = b.index.stations.get(stationId)!;
      const from = maxDate(station.establishedOn, addDays(firstAssignment, -60));
      addRole(b, { person, kind: 'GUIDANCE_OFFICER', station, startedOn: dateBetween(b.rng, minDate(from, firstAssignment), firstAssignment) });
    }
  }
}

function addRole(
  b: Build,
  role: { person: Person; kind: RoleKind; organization?: PartyOrganizationRow; station?: GuidanceStationRow; startedOn: string; endedOn?: string },
): void {
  const regionCode = role.organization?.regionCode ?? role.station?.regionCode;
  if (!regionCode) throw new Error('a role belongs to an organization or a station');
  b.roles.push({
    id: b.rng.uuid(),
    memberId: role.person.row.id,
    kind: role.kind,
    organizationId: role.organization?.id ?? null,
    stationId: role.station?.id ?? null,
    regionCode,
    startedOn: role.startedOn,
    endedOn: role.endedOn ?? null,
  });
  if (role.endedOn === undefined) b.roleHolders.add(role.person.row.id);
}

// ---------------------------------------------------------------------------------------------
// Open, returned, cancelled and expired transfers

/**
 * Transfers that left the member where they were: open ones sent at the end of 2019, and older
 * ones returned, cancelled or let expire. Each leaves from the member's current branch.
 */
function openOtherTransfers(b: Build, quota: ActivityQuota): void {
  const branches = b.slice.organizations.filter(isFormalBranch);
  const candidates = b.rng.shuffle(b.people.filter((person) => isPartyMember(person) && person.row.organizationId !== null && !person.hasHistory && !b.roleHolders.has(person.row.id)));
  let next = 0;
  const send = (count: number, status: TransferStatus, window: [string, string]): void => {
    for (let made = 0; made < count && next < candidates.length; next++) {
      const person = candidates[next];
      const from = organizationOf(b, person.row.organizationId!);
      const earliest = maxDate(window[0], addDays(b.current.get(person.row.id)!.fromDate, 1));
      const to = pickOtherBranch(b, branches, from, person);
      if (!to || earliest > window[1] || to.foundedOn > window[0]) continue;
      const initiatedOn = dateBetween(b.rng, earliest, window[1]);
      const settled = status === 'RETURNED' || status === 'CANCELLED' ? addDays(initiatedOn, b.rng.int(5, 60)) : null;
      const reason = status === 'RETURNED' ? b.rng.pick(RETURN_REASONS) : status === 'CANCELLED' ? b.rng.pick(CANCEL_REASONS) : null;
      addTransfer(b, { person, from, to, status, initiatedOn, completedOn: settled, reason });
      person.hasHistory = true;
      if (status === 'PENDING') b.pending.add(person.row.id);
      made++;
    }
  };
  send(quota.pending, 'PENDING', ['2019-11-01', LAST_DAY]);
  send(quota.returned, 'RETURNED', ['2017-03-01', '2019-09-30']);
  send(quota.cancelled, 'CANCELLED', ['2017-03-01', '2019-09-30']);
  // Sent early enough for the three months to have run out within 2019.
  send(quota.expired, 'EXPIRED', ['2018-01-01', '2019-09-30']);
}

function addTransfer(
  b: Build,
  transfer: { person: Person; from: PartyOrganizationRow; to: PartyOrganizationRow; status: TransferStatus; initiatedOn: string; completedOn: string | null; reason: string | null },
): TransferRow {
  const year = transfer.initiatedOn.slice(0, 4);
  const prefix = `${PROVINCE_ABBREVIATION[b.slice.region.code.slice(0, 2)] ?? ''}${LETTER_SECTOR[transfer.from.sector]}党转`;
  const row: TransferRow = {
    id: b.rng.uuid(),
    memberId: transfer.person.row.id,
    fromOrganizationId: transfer.from.id,
    toOrganizationId: transfer.to.id,
    toRegionCode: transfer.to.regionCode,
    fromRegionCode: transfer.from.regionCode,
    letterNumber: `${prefix}〔${year}〕${nextSequence(b, `letter:${prefix}${year}`, 12)}号`,
    status: transfer.status,
    initiatedOn: transfer.initiatedOn,
    expiresOn: addMonths(transfer.initiatedOn, 3),
    completedOn: transfer.completedOn,
    reason: transfer.reason,
  };
  b.transfers.push(row);
  return row;
}

// ---------------------------------------------------------------------------------------------
// Temporary participation

/** A temporary branch gathers three to six Party members of its sector from its city, one of them its secretary. */
function gatherTemporaryBranches(b: Build): void {
  for (const branch of b.slice.organizations.filter((row) => row.kind === 'TEMPORARY_BRANCH' && row.dissolvedOn === null)) {
    const sector = b.people.filter((person) => isPartyMember(person) && person.institution?.kind === branch.sector && !b.participants.has(person.row.id));
    const local = sector.filter((person) => sameCity(person.row.regionCode, branch.regionCode));
    const pool = local.some(isFullMember) && local.length >= 3 ? local : sector;
    const full = pool.filter(isFullMember);
    if (full.length === 0 || pool.length < 3) throw new Error(`no Party members of its sector for ${branch.name}`);
    const secretary = b.rng.pick(full);
    const others = b.rng.shuffle(pool.filter((person) => person !== secretary)).slice(0, b.rng.int(2, 5));
    for (const person of [secretary, ...others]) participate(b, person, branch, maxDate(branch.foundedOn, person.row.joinedOn!));
    const startedOn = maxDate(maxDate(branch.foundedOn, secretary.row.joinedOn!), secretary.row.fullOn!);
    addRole(b, { person: secretary, kind: 'SECRETARY', organization: branch, startedOn });
  }
}

/**
 * Mobile members whose relation lies outside the sector (their institution has no branch) take
 * part in a branch of their sector in the city they work in, or any branch there.
 */
function placeMobileParticipants(b: Build, count: number): void {
  const branches = b.slice.organizations.filter(isFormalBranch);
  const byCity = new Map<string, PartyOrganizationRow[]>();
  for (const branch of branches) {
    const list = byCity.get(cityOf(branch.regionCode)) ?? [];
    list.push(branch);
    byCity.set(cityOf(branch.regionCode), list);
  }
  const candidates = b.rng.shuffle(b.people.filter((person) => isPartyMember(person) && person.institution !== null && person.row.organizationId === null && !b.participants.has(person.row.id)));
  let made = 0;
  for (const person of candidates) {
    if (made >= count) break;
    const local = byCity.get(cityOf(person.row.regionCode)) ?? [];
    const branch = pickFromFirstTier(b.rng, [local.filter((row) => row.sector === person.institution!.kind), local]);
    if (!branch) continue;
    const from = maxDate('2017-01-01', maxDate(addDays(branch.foundedOn, 1), addDays(person.row.joinedOn!, 1)));
    participate(b, person, branch, from >= LAST_DAY ? LAST_DAY : dateBetween(b.rng, from, LAST_DAY));
    person.row.mobile = true;
    made++;
  }
}

function participate(b: Build, person: Person, branch: PartyOrganizationRow, startedOn: string): void {
  b.participations.push({ memberId: person.row.id, organizationId: branch.id, startedOn, endedOn: null });
  b.participants.add(person.row.id);
}

/** Mobile members up to their share; lost contact among those holding no role and in no transfer or participation. */
function flagMobileAndLostMembers(b: Build): void {
  const partyMembers = b.people.filter((person) => isPartyMember(person) && person.institution !== null);
  const mobileWanted = Math.round(partyMembers.length * MOBILE_SHARE) - partyMembers.filter((person) => person.row.mobile).length;
  for (const person of b.rng.shuffle(partyMembers.filter((candidate) => !candidate.row.mobile)).slice(0, Math.max(0, mobileWanted))) person.row.mobile = true;
  const quiet = partyMembers.filter((person) => !b.roleHolders.has(person.row.id) && !b.participants.has(person.row.id) && !b.pending.has(person.row.id));
  for (const person of b.rng.shuffle(quiet).slice(0, Math.round(partyMembers.length * LOST_CONTACT_SHARE))) person.row.lostContact = true;
}

// ---------------------------------------------------------------------------------------------
// Look-ups

function organizationOf(b: Build, id: string): PartyOrganizationRow {
  const organization = b.index.organizations.get(id);
  if (!organization) throw new Error(`unknown party organization ${id}`);
  return organization;
}

function isFormalBranch(row: PartyOrganizationRow): boolean {
  return FORMAL_BRANCH_KINDS.has(row.kind) && row.dissolvedOn === null;
}

function isPartyMember(person: Person): boolean {
  return person.row.partyStatus === 'FULL' || person.row.partyStatus === 'PROBATIONARY';
}

function isFullMember(person: Person): boolean {
  return person.row.partyStatus === 'FULL';
}

function formalMembersByBranch(b: Build): Map<string, Person[]> {
  const members = new Map<string, Person[]>();
  for (const person of b.people) {
    if (!person.row.organizationId) continue;
    const list = members.get(person.row.organizationId) ?? [];
    list.push(person);
    members.set(person.row.organizationId, list);
  }
  return members;
}

function lawCommitteesByRegion(b: Build): Map<string, PartyOrganizationRow> {
  const committees = b.slice.organizations.filter((row) => row.kind === 'INDUSTRY_COMMITTEE' && row.sector === 'LAW_FIRM' && row.dissolvedOn === null);
  return new Map(committees.map((row) => [row.regionCode, row]));
}

function cityOf(regionCode: string): string {
  return `${regionCode.slice(0, 4)}00`;
}

function sameCity(a: string, b: string): boolean {
  return a.slice(0, 4) === b.slice(0, 4);
}

function pickFromFirstTier<T>(rng: Random, tiers: T[][]): T | undefined {
  const tier = tiers.find((items) => items.length > 0);
  return tier ? rng.pick(tier) : undefined;
}

function weightedPick<T>(rng: Random, items: Weighted<T>): T {
  let total = 0;
  for (const [, weight] of items) total += weight;
  let r = rng.next() * total;
  for (const [item, weight] of items) {
    r -= weight;
    if (r < 0) return item;
  }
  return items[items.length - 1][0];
}

// Dates are ISO strings, which compare correctly as text. Arithmetic is on integers (days since
// 1970 by the civil-calendar formulas): Date objects would dominate the national build's time.
// Years and months clamp to the month's end, as the members service reckons them.

function dateBetween(rng: Random, from: string, to: string): string {
  return fromDay(rng.int(toDay(from), toDay(to)));
}

function addDays(date: string, days: number): string {
  return fromDay(toDay(date) + days);
}

function addYears(date: string, years: number): string {
  return addMonths(date, 12 * years);
}

function addMonths(date: string, months: number): string {
  const monthIndex = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  return formatDate(year, month, Math.min(Number(date.slice(8, 10)), daysInMonth(year, month)));
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

/** Days since 1970-01-01 (H. Hinnant's days_from_civil). */
function toDay(date: string): number {
  const month = Number(date.slice(5, 7));
  const year = Number(date.slice(0, 4)) - (month <= 2 ? 1 : 0);
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + Number(date.slice(8, 10)) - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The inverse of `toDay` (civil_from_days). */
function fromDay(day: number): string {
  const shifted = day + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthShifted = Math.floor((5 * dayOfYear + 2) / 153);
  const month = monthShifted + (monthShifted < 10 ? 3 : -9);
  const dayOfMonth = dayOfYear - Math.floor((153 * monthShifted + 2) / 5) + 1;
  return formatDate(yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfMonth);
}

function formatDate(year: number, month: number, day: number): string {
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

// ---------------------------------------------------------------------------------------------
// Loading

/**
 * Inserts the dataset into the `members` schema with `INSERT … SELECT FROM unnest(…)`, members
 * before the rows that reference them, inside the caller's transaction. The audit log stays empty.
 */
export async function loadMembersDataset(db: ClientBase, data: MembersDataset): Promise<void> {
  await insertRows(db, 'members.member', [
    { name: 'id', type: 'uuid', value: (row: MemberRow) => row.id },
    { name: 'name', type: 'text', value: (row) => row.name },
    { name: 'gender', type: 'text', value: (row) => row.gender },
    { name: 'ethnicity', type: 'text', value: (row) => row.ethnicity },
    { name: 'birth_date', type: 'date', value: (row) => row.birthDate },
    { name: 'id_number', type: 'text', value: (row) => row.idNumber },
    { name: 'education', type: 'text', value: (row) => row.education },
    { name: 'phone', type: 'text', value: (row) => row.phone },
    { name: 'practice_kind', type: 'text', value: (row) => row.practiceKind },
    { name: 'license_number', type: 'text', value: (row) => row.licenseNumber },
    { name: 'practising_since', type: 'date', value: (row) => row.practisingSince },
    { name: 'institution_id', type: 'uuid', value: (row) => row.institutionId },
    { name: 'region_code', type: 'text', value: (row) => row.regionCode },
    { name: 'party_status', type: 'text', value: (row) => row.partyStatus },
    { name: 'applied_on', type: 'date', value: (row) => row.appliedOn },
    { name: 'activist_on', type: 'date', value: (row) => row.activistOn },
    { name: 'candidate_on', type: 'date', value: (row) => row.candidateOn },
    { name: 'joined_on', type: 'date', value: (row) => row.joinedOn },
    { name: 'full_on', type: 'date', value: (row) => row.fullOn },
    { name: 'probation_extended_until', type: 'date', value: (row) => row.probationExtendedUntil },
    { name: 'organization_id', type: 'uuid', value: (row) => row.organizationId },
    { name: 'lost_contact', type: 'boolean', value: (row) => row.lostContact },
    { name: 'mobile', type: 'boolean', value: (row) => row.mobile },
  ], data.members);

  await insertRows(db, 'members.transfer', [
    { name: 'id', type: 'uuid', value: (row: TransferRow) => row.id },
    { name: 'member_id', type: 'uuid', value: (row) => row.memberId },
    { name: 'from_organization_id', type: 'uuid', value: (row) => row.fromOrganizationId },
    { name: 'to_organization_id', type: 'uuid', value: (row) => row.toOrganizationId },
    { name: 'to_region_code', type: 'text', value: (row) => row.toRegionCode },
    { name: 'from_region_code', type: 'text', value: (row) => row.fromRegionCode },
    { name: 'letter_number', type: 'text', value: (row) => row.letterNumber },
    { name: 'status', type: 'text', value: (row) => row.status },
    { name: 'initiated_on', type: 'date', value: (row) => row.initiatedOn },
    { name: 'expires_on', type: 'date', value: (row) => row.expiresOn },
    { name: 'completed_on', type: 'date', value: (row) => row.completedOn },
    { name: 'reason', type: 'text', value: (row) => row.reason },
  ], data.transfers);

  await insertRows(db, 'members.organization_membership', [
    { name: 'member_id', type: 'uuid', value: (row: OrganizationMembershipRow) => row.memberId },
    { name: 'organization_id', type: 'uuid', value: (row) => row.organizationId },
    { name: 'from_date', type: 'date', value: (row) => row.fromDate },
    { name: 'to_date', type: 'date', value: (row) => row.toDate },
    { name: 'transfer_id', type: 'uuid', value: (row) => row.transferId },
  ], data.organizationMemberships);

  await insertRows(db, 'members.temporary_participation', [
    { name: 'member_id', type: 'uuid', value: (row: TemporaryParticipationRow) => row.memberId },
    { name: 'organization_id', type: 'uuid', value: (row) => row.organizationId },
    { name: 'started_on', type: 'date', value: (row) => row.startedOn },
    { name: 'ended_on', type: 'date', value: (row) => row.endedOn },
  ], data.temporaryParticipations);

  await insertRows(db, 'members.role_assignment', [
    { name: 'id', type: 'uuid', value: (row: RoleAssignmentRow) => row.id },
    { name: 'member_id', type: 'uuid', value: (row) => row.memberId },
    { name: 'kind', type: 'text', value: (row) => row.kind },
    { name: 'organization_id', type: 'uuid', value: (row) => row.organizationId },
    { name: 'station_id', type: 'uuid', value: (row) => row.stationId },
    { name: 'region_code', type: 'text', value: (row) => row.regionCode },
    { name: 'started_on', type: 'date', value: (row) => row.startedOn },
    { name: 'ended_on', type: 'date', value: (row) => row.endedOn },
  ], data.roleAssignments);
}
