/**
 * The commendations subgraph's demo dataset: the evaluation programs of every province and the
 * nominations, awards and recommendations they gave, as they stood at the end of 2019.
 *
 * Liaoning reproduces the published figures: the 2016 provincial cycle (30 advanced branches, 100
 * excellent Party-member lawyers, 20 excellent Party workers, 2 "most beautiful" people), the
 * demonstration sites (3 provincial, 16 of the cities), the 2018 national awards (3 branches and 6
 * lawyers) and 468 recommendations as "two representatives and one member" (两代表一委员). Other
 * provinces get the same programs scaled by their law firms. Every recipient is eligible on the
 * decision date, and every row carries the recipient's county, so a province's figures are the sum
 * of its cities' and a city's the sum of its counties'.
 *
 * Each province draws from a random stream of its own, so the Liaoning part of the national
 * dataset is exactly the Liaoning dataset.
 */
import type { ClientBase } from 'pg';
import type { MemberRow, MembersDataset, RoleAssignmentRow } from './members';
import { insertRows, type InstitutionRow, type OrganizationDataset, type PartyOrganizationRow, type RegionRow } from './organization';
import { createRandom, type Random } from './random';

// The domain's values are the subgraph's own: the demo data cannot drift from what the schema accepts.
export type { CommendationCategory, CommendationLevel, CommendationStatus, RecipientKind, RepresentativeBody } from '../../subgraphs/commendations/src/entities';
import type { CommendationCategory, CommendationLevel, CommendationStatus, RecipientKind, RepresentativeBody } from '../../subgraphs/commendations/src/entities';

export interface CommendationProgramRow {
  id: string;
  name: string;
  level: CommendationLevel;
  /** `000000` for the national program. */
  regionCode: string;
  year: number;
  opensOn: string;
  closesOn: string;
}

export interface ProgramCategoryRow {
  programId: string;
  category: CommendationCategory;
  quota: number;
  regionCode: string;
}

export interface CommendationRow {
  id: string;
  programId: string;
  category: CommendationCategory;
  level: CommendationLevel;
  year: number;
  status: CommendationStatus;
  recipientKind: RecipientKind;
  recipientId: string;
  /** The recipient's county. */
  regionCode: string;
  /** The recipient's own branch, the member's formal branch, or the institution's covering branch. */
  organizationId: string | null;
  citation: string;
  representativeBody: RepresentativeBody | null;
  nominatedOn: string;
  decidedOn: string | null;
  decisionReason: string | null;
  revokedOn: string | null;
  revocationReason: string | null;
}

export interface CommendationsDataset {
  seed: number;
  programs: CommendationProgramRow[];
  categories: ProgramCategoryRow[];
  commendations: CommendationRow[];
}

// ---------------------------------------------------------------------------------------------
// Figures

/** Liaoning's law firms: the unit other provinces' figures scale from. */
const LIAONING_LAW_FIRMS = 1058;

/** The 2016 provincial cycle (评先选优), as the source reports it for Liaoning. */
const CYCLE_2016: readonly (readonly [CommendationCategory, number])[] = [
  ['ADVANCED_BRANCH', 30],
  ['EXCELLENT_PARTY_MEMBER_LAWYER', 100],
  ['EXCELLENT_PARTY_WORKER', 20],
  ['MOST_BEAUTIFUL_PERSON', 2],
];
const PROVINCIAL_SITES = 3;
const CITY_SITES = 16;
/** 2018: recommended to the Ministry of Justice and commended nationally. */
const NATIONAL_2018: readonly (readonly [CommendationCategory, number])[] = [
  ['ADVANCED_BRANCH', 3],
  ['EXCELLENT_PARTY_MEMBER_LAWYER', 6],
];
/** The national program's quotas, for all provinces together. */
const NATIONAL_QUOTA: Partial<Record<CommendationCategory, number>> = { ADVANCED_BRANCH: 100, EXCELLENT_PARTY_MEMBER_LAWYER: 200 };
/** 468 recommendations (两代表一委员): to provincial, city and county bodies. */
const RECOMMENDATIONS = { PROVINCIAL: 60, CITY: 168, COUNTY: 240 } as const;

/** The share of recommendations that go to full Party members. */
const RECOMMENDED_PARTY_MEMBERS = 0.7;
/** Nominations beyond the quota that the review turned down, as a share of the quota. */
const REJECTED_SHARE = 0.12;

const NATIONAL_REGION = '000000';
const NATIONAL_PROGRAM = { name: '2018年全国律师行业党建工作表彰', year: 2018, opensOn: '2018-03-01', closesOn: '2018-04-30', decidedOn: '2018-06-26' };

interface Schedule {
  year: number;
  opensOn: string;
  closesOn: string;
  decidedOn: string;
}

const SCHEDULES = {
  cycle2016: { year: 2016, opensOn: '2016-04-01', closesOn: '2016-05-31', decidedOn: '2016-06-24' },
  sites2017: { year: 2017, opensOn: '2017-03-01', closesOn: '2017-04-30', decidedOn: '2017-06-20' },
  recommendations2017: { year: 2017, opensOn: '2017-08-01', closesOn: '2017-09-30', decidedOn: '2017-11-15' },
  recommendations2018: { year: 2018, opensOn: '2018-08-01', closesOn: '2018-09-30', decidedOn: '2018-11-20' },
} satisfies Record<string, Schedule>;

const BODIES: readonly (readonly [RepresentativeBody, number])[] = [
  ['PEOPLES_CONGRESS', 35],
  ['POLITICAL_CONSULTATIVE_CONFERENCE', 40],
  ['PARTY_CONGRESS', 25],
];

const APPROVAL_REASON = '经评审委员会审议，公示期满无异议';
const NATIONAL_APPROVAL_REASON = '经司法部审定表彰';
const RECOMMENDATION_REASON = '经考察推荐，已报送有关方面';
const REJECTION_REASONS = ['事迹材料不够突出，未达到评选标准', '同一单位推荐人选超出名额，经综合比选未予通过', '推荐材料不完整，未按期补正'];

const BRANCH_KINDS = new Set<PartyOrganizationRow['kind']>(['STANDALONE_BRANCH', 'JOINT_BRANCH', 'GENERAL_BRANCH']);
const NO_ROLES: RoleAssignmentRow[] = [];
const WORKER_ROLES = new Set<RoleAssignmentRow['kind']>(['SECRETARY', 'DEPUTY_SECRETARY', 'COMMITTEE_MEMBER', 'PARTY_WORKER']);

// ---------------------------------------------------------------------------------------------
// Citations (事迹): short, plausible, never about a real person

const LAWYER_DEEDS = [
  '坚持党建引领业务发展，年均办理法律援助案件{n}件',
  '担任{k}个村（社区）法律顾问，带头开展“一村（社区）一法律顾问”工作',
  '在信访接待和矛盾纠纷化解中主动担当，参与化解疑难信访案件{n}件',
  '带头开展普法宣传，举办法治讲座{n}场',
  '执业{y}年无投诉，积极为民营企业提供免费法治体检',
];
const WORKER_DEEDS = [
  '认真落实“三会一课”制度，支部组织生活规范有序',
  '推动所在律师事务所党建工作与业务工作深度融合',
  '带领支部开展主题党日活动{n}次，党员参与率高',
  '建立党员联系群众制度，发展入党积极分子{k}名',
];
const BRANCH_DEEDS = [
  '支部班子健全，“三会一课”落实到位，党员先锋模范作用突出',
  '以党建带所建，开展公益法律服务{n}次',
  '创新开展律师党建“五小”活动，组织生活形式多样',
  '党员设岗定责，“亮身份、亮职责、亮承诺”活动成效明显',
];
const SITE_DEEDS = [
  '党组织健全，党建阵地规范，党建工作与业务发展同部署、同推进',
  '建成党员活动室和党建文化墙，党建工作经验在全行业推广',
  '坚持党建工作与律所管理“三个同步”，发挥示范引领作用',
];
const BEAUTY_DEEDS = ['扎根基层，长期为困难群众无偿提供法律服务，事迹感人', '在重大突发事件中挺身而出，彰显法律服务工作者担当'];
const RECOMMENDATION_DEEDS = ['政治坚定，业务精湛，热心社会公益，具备参政议政能力', '长期关注法治建设，提出的建议被有关部门采纳', '执业经验丰富，群众认可度高'];

// ---------------------------------------------------------------------------------------------
// Building

/** What the programs choose recipients from: one province's eligible people, branches and institutions. */
interface ProvinceSlice {
  region: RegionRow;
  cities: RegionRow[];
  counties: RegionRow[];
  lawFirms: number;
  /** Practitioners whose formal relation has always been in their current branch, if they have one. */
  practitioners: Practitioner[];
  branches: PartyOrganizationRow[];
  /** Head offices with a standalone branch of their own, with the day that branch was founded. */
  lawFirmsWithOwnBranch: { row: InstitutionRow; branchFoundedOn: string }[];
}

/** A practitioner with the dates their eligibility turns on, worked out once. */
interface Practitioner {
  row: MemberRow;
  licensedIn: number;
  /** When their institution was approved. */
  practisingSince: string;
  /** Since when their current branch has held their formal relation. */
  inBranchSince: string | null;
  /** Party-work roles (secretary, deputy, committee member, party worker) in their own branch. */
  workRoles: RoleAssignmentRow[];
}

interface Build {
  rng: Random;
  slice: ProvinceSlice;
  programs: CommendationProgramRow[];
  categories: ProgramCategoryRow[];
  commendations: CommendationRow[];
  /** Recipients already nominated in this province, per use (see `takenFor`). */
  taken: Map<string, Set<string>>;
  /** Eligible candidates per category and decision date, by county. */
  candidates: Map<string, Map<string, Candidate[]>>;
}

export function buildCommendationsDataset(organization: OrganizationDataset, members: MembersDataset): CommendationsDataset {
  const seed = members.seed;
  const slices = sliceProvinces(organization, members);
  const dataset: CommendationsDataset = { seed, programs: [], categories: [], commendations: [] };
  const national = createRandom(seed, 'commendations:national');
  const { name, year, opensOn, closesOn } = NATIONAL_PROGRAM;
  const nationalProgram: CommendationProgramRow = { id: national.uuid(), name, level: 'NATIONAL', regionCode: NATIONAL_REGION, year, opensOn, closesOn };
  dataset.programs.push(nationalProgram);
  for (const [category, quota] of Object.entries(NATIONAL_QUOTA) as [CommendationCategory, number][]) {
    dataset.categories.push({ programId: nationalProgram.id, category, quota, regionCode: NATIONAL_REGION });
  }

  for (const slice of slices) {
    const b: Build = { rng: createRandom(seed, `commendations:${slice.region.code}`), slice, programs: [], categories: [], commendations: [], taken: new Map(), candidates: new Map() };
    buildProvince(b, nationalProgram);
    // push(...rows) would overflow the stack on a large dataset.
    for (const row of b.programs) dataset.programs.push(row);
    for (const row of b.categories) dataset.categories.push(row);
    for (const row of b.commendations) dataset.commendations.push(row);
  }

  for (const [category, quota] of Object.entries(NATIONAL_QUOTA) as [CommendationCategory, number][]) {
    const approved = dataset.commendations.filter((row) => row.programId === nationalProgram.id && row.category === category && row.status === 'APPROVED').length;
    if (approved > quota) throw new Error(`the national program approves ${approved} ${category}, more than its quota of ${quota}`);
  }
  return dataset;
}

function buildProvince(b: Build, nationalProgram: CommendationProgramRow): void {
  const { slice } = b;
  const scale = slice.lawFirms / LIAONING_LAW_FIRMS;
  const scaled = (value: number, minimum = 1): number => Math.max(minimum, Math.round(value * scale));
  const province = slice.region;

  // The 2016 provincial cycle.
  const cycle = addProgram(b, { name: `2016年${province.name}法律服务行业党建工作评先选优`, level: 'PROVINCIAL', regionCode: province.code, ...SCHEDULES.cycle2016 });
  const cycleAwards = new Map<CommendationCategory, CommendationRow[]>();
  for (const [category, figure] of CYCLE_2016) {
    const quota = scaled(figure);
    addCategory(b, cycle, category, quota);
    cycleAwards.set(category, award(b, cycle, SCHEDULES.cycle2016, category, quota, { reject: true }));
  }

  // Demonstration sites: the province's own, and the cities'.
  const provincialSites = addProgram(b, { name: `2017年${province.name}律师行业党建工作示范点评选`, level: 'PROVINCIAL', regionCode: province.code, ...SCHEDULES.sites2017 });
  const provincialSiteCount = scaled(PROVINCIAL_SITES);
  addCategory(b, provincialSites, 'DEMONSTRATION_SITE', provincialSiteCount);
  award(b, provincialSites, SCHEDULES.sites2017, 'DEMONSTRATION_SITE', provincialSiteCount, { reject: true });
  perRegion(b, slice.cities, scaled(CITY_SITES, 0), (city) => available(b, 'DEMONSTRATION_SITE', SCHEDULES.sites2017, city.code, null), (city, count) => {
    const program = addProgram(b, { name: `2017年${city.name}律师行业党建工作示范点评选`, level: 'CITY', regionCode: city.code, ...SCHEDULES.sites2017 });
    addCategory(b, program, 'DEMONSTRATION_SITE', count);
    award(b, program, SCHEDULES.sites2017, 'DEMONSTRATION_SITE', count);
  });

  // 2018: the province's recommendations to the Ministry, mostly among its own 2016 laureates.
  for (const [category, figure] of NATIONAL_2018) {
    const laureates = new Set((cycleAwards.get(category) ?? []).filter((row) => row.status === 'APPROVED').map((row) => row.recipientId));
    award(b, nationalProgram, { ...NATIONAL_PROGRAM }, category, scaled(figure), { prefer: { ids: laureates, share: 1 }, reason: NATIONAL_APPROVAL_REASON });
  }

  // Recommendations (两代表一委员): to the province's bodies, the cities' and the counties'.
  const recommend = (program: CommendationProgramRow, schedule: Schedule, count: number): void => {
    addCategory(b, program, 'REPRESENTATIVE_RECOMMENDATION', count);
    // Most are excellent Party-member lawyers, the rest excellent workers of the sector (优秀党员律师及优秀法律服务工作者).
    award(b, program, schedule, 'REPRESENTATIVE_RECOMMENDATION', count, { reason: RECOMMENDATION_REASON, prefer: { ids: 'fullMembers', share: RECOMMENDED_PARTY_MEMBERS } });
  };
  const provincial = addProgram(b, { name: `2017年${province.name}法律服务行业“两代表一委员”人选推荐`, level: 'PROVINCIAL', regionCode: province.code, ...SCHEDULES.recommendations2017 });
  recommend(provincial, SCHEDULES.recommendations2017, scaled(RECOMMENDATIONS.PROVINCIAL));
  const recommendationCandidates = (schedule: Schedule) => (region: RegionRow) => available(b, 'REPRESENTATIVE_RECOMMENDATION', schedule, region.code, null);
  perRegion(b, slice.cities, scaled(RECOMMENDATIONS.CITY, 0), recommendationCandidates(SCHEDULES.recommendations2017), (city, count) =>
    recommend(addProgram(b, { name: `2017年${city.name}法律服务行业“两代表一委员”人选推荐`, level: 'CITY', regionCode: city.code, ...SCHEDULES.recommendations2017 }), SCHEDULES.recommendations2017, count),
  );
  const cityName = new Map(slice.cities.map((city) => [city.code, city.name]));
  perRegion(b, slice.counties, scaled(RECOMMENDATIONS.COUNTY, 0), recommendationCandidates(SCHEDULES.recommendations2018), (county, count) => {
    const name = `2018年${cityName.get(county.parentCode ?? '') ?? ''}${county.name}法律服务行业“两代表一委员”人选推荐`;
    recommend(addProgram(b, { name, level: 'COUNTY', regionCode: county.code, ...SCHEDULES.recommendations2018 }), SCHEDULES.recommendations2018, count);
  });
}

function addProgram(b: Build, program: Omit<CommendationProgramRow, 'id'> & Partial<Schedule>): CommendationProgramRow {
  const row: CommendationProgramRow = { id: b.rng.uuid(), name: program.name, level: program.level, regionCode: program.regionCode, year: program.year, opensOn: program.opensOn, closesOn: program.closesOn };
  b.programs.push(row);
  return row;
}

function addCategory(b: Build, program: CommendationProgramRow, category: CommendationCategory, quota: number): void {
  b.categories.push({ programId: program.id, category, quota, regionCode: program.regionCode });
}

/**
 * Splits `total` awards over regions in proportion to their eligible candidates (one each first,
 * when there are enough to go round) and runs `make` for every region that gets any.
 */
function perRegion(b: Build, regions: RegionRow[], total: number, candidates: (region: RegionRow) => Candidate[], make: (region: RegionRow, count: number) => void): void {
  const sizes = regions.map((region) => candidates(region).length);
  const shares = apportion(total, sizes, total >= regions.length ? 1 : 0);
  regions.forEach((region, i) => {
    if (shares[i] > 0) make(region, shares[i]);
  });
}

/**
 * Awards `count` of a category in a program, spread over the program's cities in proportion to
 * their candidates, then a few more nominations that were turned down when `reject` is set.
 */
function award(
  b: Build,
  program: CommendationProgramRow,
  schedule: Schedule,
  category: CommendationCategory,
  count: number,
  options: { reject?: boolean; prefer?: { ids: Set<string> | 'fullMembers'; share: number }; reason?: string } = {},
): CommendationRow[] {
  const used = takenFor(b, category, program.id);
  const pool = available(b, category, schedule, program.level === 'NATIONAL' ? b.slice.region.code : program.regionCode, program.id);
  const rejected = options.reject ? Math.max(1, Math.round(count * REJECTED_SHARE)) : 0;
  const prefer = options.prefer && { share: options.prefer.share, ids: options.prefer.ids === 'fullMembers' ? new Set(pool.filter((c) => c.full).map((c) => c.id)) : options.prefer.ids };
  const chosen = choose(b, pool, count + rejected, prefer);
  if (chosen.length < count) throw new Error(`${program.name}: ${chosen.length} eligible candidates for ${count} ${category}`);
  const rows = chosen.map((candidate, i) => {
    used.add(candidate.id);
    const approved = i < count;
    const body = category === 'REPRESENTATIVE_RECOMMENDATION' ? representativeBody(b.rng, candidate) : null;
    const row: CommendationRow = {
      id: b.rng.uuid(),
      programId: program.id,
      category,
      level: program.level,
      year: program.year,
      status: approved ? 'APPROVED' : 'REJECTED',
      recipientKind: candidate.kind,
      recipientId: candidate.id,
      regionCode: candidate.regionCode,
      organizationId: candidate.organizationId,
      citation: citation(b.rng, category, candidate),
      representativeBody: body,
      nominatedOn: dateBetween(b.rng, schedule.opensOn, schedule.closesOn),
      decidedOn: schedule.decidedOn,
      decisionReason: approved ? (options.reason ?? APPROVAL_REASON) : b.rng.pick(REJECTION_REASONS),
      revokedOn: null,
      revocationReason: null,
    };
    b.commendations.push(row);
    return row;
  });
  return rows;
}

/**
 * Picks `count` candidates, the preferred ones first, the rest spread over cities in proportion to
 * the candidates each has, so that every city with candidates tends to get its share.
 */
function choose(b: Build, candidates: Candidate[], count: number, prefer?: { ids: Set<string>; share: number }): Candidate[] {
  const preferred = prefer ? sample(b.rng, candidates.filter((c) => prefer.ids.has(c.id)), Math.round(count * prefer.share)) : [];
  const chosen = new Set(preferred);
  const rest = candidates.filter((c) => !chosen.has(c));
  const wanted = Math.min(count - preferred.length, rest.length);
  const byCity = new Map<string, Candidate[]>();
  for (const candidate of rest) {
    const city = candidate.regionCode.slice(0, 4);
    const list = byCity.get(city) ?? [];
    list.push(candidate);
    byCity.set(city, list);
  }
  const cities = [...byCity.keys()].sort();
  const sizes = cities.map((city) => byCity.get(city)!.length);
  const shares = apportion(wanted, sizes, wanted >= cities.length ? 1 : 0);
  const picked = cities.flatMap((city, i) => sample(b.rng, byCity.get(city)!, shares[i]));
  return [...preferred, ...b.rng.shuffle(picked)];
}

/**
 * Who has been nominated already: once per category and program, and for sites and
 * recommendations once in all, so that no person is recommended twice and no site named twice.
 */
function takenFor(b: Build, category: CommendationCategory, programId: string | null): Set<string> {
  const key = category === 'REPRESENTATIVE_RECOMMENDATION' || category === 'DEMONSTRATION_SITE' ? category : `${category}:${programId}`;
  const set = b.taken.get(key) ?? new Set<string>();
  b.taken.set(key, set);
  return set;
}

/** The candidates of a region not yet nominated in the category (`programId` null: before the program exists). */
function available(b: Build, category: CommendationCategory, schedule: Schedule, regionCode: string, programId: string | null): Candidate[] {
  const used = takenFor(b, category, programId);
  return candidatesOf(b, category, schedule, regionCode).filter((candidate) => !used.has(candidate.id));
}

// ---------------------------------------------------------------------------------------------
// Eligibility on the decision date

interface Candidate {
  kind: RecipientKind;
  id: string;
  regionCode: string;
  organizationId: string | null;
  /** For people: whether they are full Party members on the decision date. */
  full: boolean;
  practice: MemberRow['practiceKind'];
}

/** Who may receive a category on the schedule's decision date, in the region given. */
function candidatesOf(b: Build, category: CommendationCategory, schedule: Schedule, regionCode: string): Candidate[] {
  const key = `${category}|${schedule.decidedOn}`;
  let byCounty = b.candidates.get(key);
  if (!byCounty) {
    byCounty = new Map();
    for (const candidate of provinceCandidates(b, category, schedule.decidedOn)) {
      const list = byCounty.get(candidate.regionCode) ?? [];
      list.push(candidate);
      byCounty.set(candidate.regionCode, list);
    }
    b.candidates.set(key, byCounty);
  }
  const within = regionPrefix(regionCode);
  if (within.length === 6) return byCounty.get(regionCode) ?? [];
  return [...byCounty.keys()].sort().flatMap((county) => (county.startsWith(within) ? byCounty.get(county)! : []));
}

function provinceCandidates(b: Build, category: CommendationCategory, on: string): Candidate[] {
  const { slice } = b;
  if (category === 'ADVANCED_BRANCH') {
    return slice.branches
      .filter((row) => row.foundedOn <= on)
      .map((row) => ({ kind: 'PARTY_ORGANIZATION', id: row.id, regionCode: row.regionCode, organizationId: row.id, full: false, practice: null }));
  }
  if (category === 'DEMONSTRATION_SITE') {
    return slice.lawFirmsWithOwnBranch
      .filter(({ row, branchFoundedOn }) => row.approvedOn <= on && branchFoundedOn <= on)
      .map(({ row }) => ({ kind: 'INSTITUTION', id: row.id, regionCode: row.regionCode, organizationId: row.partyOrganizationId, full: false, practice: null }));
  }
  const year = Number(on.slice(0, 4));
  const isFull = (p: Practitioner): boolean => p.row.partyStatus === 'FULL' && p.row.fullOn! <= on && p.inBranchSince !== null && p.inBranchSince <= on;
  const candidates: Candidate[] = [];
  for (const p of slice.practitioners) {
    if (p.licensedIn > year || p.practisingSince > on) continue;
    const full = isFull(p);
    const eligible =
      category === 'EXCELLENT_PARTY_MEMBER_LAWYER'
        ? full && p.row.practiceKind === 'LAWYER'
        : category === 'EXCELLENT_PARTY_WORKER'
          ? full && p.workRoles.some((role) => role.startedOn <= on && (role.endedOn === null || role.endedOn > on))
          : true;
    if (eligible) candidates.push({ kind: 'MEMBER', id: p.row.id, regionCode: p.row.regionCode, organizationId: p.row.organizationId, full, practice: p.row.practiceKind });
  }
  return candidates;
}

/** A Party congress takes full members only; people's congresses and consultative conferences anyone. */
function representativeBody(rng: Random, candidate: Candidate): RepresentativeBody {
  const body = weightedPick(rng, BODIES);
  return body === 'PARTY_CONGRESS' && !candidate.full ? 'POLITICAL_CONSULTATIVE_CONFERENCE' : body;
}

function citation(rng: Random, category: CommendationCategory, candidate: Candidate): string {
  const templates = {
    ADVANCED_BRANCH: BRANCH_DEEDS,
    EXCELLENT_PARTY_MEMBER_LAWYER: LAWYER_DEEDS,
    EXCELLENT_PARTY_WORKER: WORKER_DEEDS,
    MOST_BEAUTIFUL_PERSON: BEAUTY_DEEDS,
    DEMONSTRATION_SITE: SITE_DEEDS,
    REPRESENTATIVE_RECOMMENDATION: candidate.practice === 'LAWYER' ? [...RECOMMENDATION_DEEDS, ...LAWYER_DEEDS.slice(0, 2)] : RECOMMENDATION_DEEDS,
  }[category];
  const [first, second] = rng.shuffle([...templates]);
  const fill = (text: string): string => text.replace('{n}', String(rng.int(6, 60))).replace('{k}', String(rng.int(2, 6))).replace('{y}', String(rng.int(8, 25)));
  return second && rng.chance(0.6) ? `${fill(first)}；${fill(second)}。` : `${fill(first)}。`;
}

// ---------------------------------------------------------------------------------------------
// Look-ups

/**
 * Each province's candidates. People with a past change of branch or a transfer are left out, so
 * that the branch a commendation records was the member's branch when it was decided.
 */
function sliceProvinces(organization: OrganizationDataset, members: MembersDataset): ProvinceSlice[] {
  const moved = new Set<string>(members.transfers.map((row) => row.memberId));
  const inBranchSince = new Map<string, string>();
  for (const row of members.organizationMemberships) {
    if (row.toDate !== null) moved.add(row.memberId);
    else inBranchSince.set(row.memberId, row.fromDate);
  }
  const organizations = new Map(organization.partyOrganizations.map((row) => [row.id, row]));
  const institutions = new Map(organization.institutions.map((row) => [row.id, row]));
  const workRoles = new Map<string, RoleAssignmentRow[]>();
  for (const role of members.roleAssignments) {
    if (!WORKER_ROLES.has(role.kind) || role.organizationId === null) continue;
    const list = workRoles.get(role.memberId) ?? [];
    list.push(role);
    workRoles.set(role.memberId, list);
  }

  const slices = new Map<string, ProvinceSlice>();
  for (const region of organization.regions) {
    if (region.level === 'PROVINCE') slices.set(region.code.slice(0, 2), { region, cities: [], counties: [], lawFirms: 0, practitioners: [], branches: [], lawFirmsWithOwnBranch: [] });
  }
  const sliceOf = (code: string): ProvinceSlice | undefined => slices.get(code.slice(0, 2));
  for (const region of organization.regions) {
    if (region.level === 'CITY') sliceOf(region.code)?.cities.push(region);
    if (region.level === 'COUNTY') sliceOf(region.code)?.counties.push(region);
  }
  for (const row of organization.institutions) {
    if (row.kind !== 'LAW_FIRM') continue;
    const slice = sliceOf(row.regionCode)!;
    slice.lawFirms++;
    const branch = row.partyOrganizationId ? organizations.get(row.partyOrganizationId) : undefined;
    if (row.state === 'OPERATING' && row.headOfficeId === null && branch?.kind === 'STANDALONE_BRANCH' && branch.dissolvedOn === null) {
      slice.lawFirmsWithOwnBranch.push({ row, branchFoundedOn: branch.foundedOn });
    }
  }
  for (const row of organization.partyOrganizations) {
    // Committees sit on province and city codes; branches on counties, as every award's region must.
    if (BRANCH_KINDS.has(row.kind) && row.dissolvedOn === null && !row.regionCode.endsWith('00')) sliceOf(row.regionCode)!.branches.push(row);
  }
  for (const row of members.members) {
    if (row.practiceKind === null || row.institutionId === null || moved.has(row.id) || row.regionCode.endsWith('00')) continue;
    sliceOf(row.regionCode)!.practitioners.push({
      row,
      licensedIn: licenceYear(row),
      practisingSince: institutions.get(row.institutionId)!.approvedOn,
      inBranchSince: row.organizationId === null ? null : (inBranchSince.get(row.id) ?? null),
      workRoles: workRoles.get(row.id)?.filter((role) => role.organizationId === row.organizationId) ?? NO_ROLES,
    });
  }
  return [...slices.values()];
}

function regionPrefix(code: string): string {
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

/** The year a practice licence was first issued, which its number carries (see the members dataset). */
function licenceYear(row: MemberRow): number {
  const number = row.licenseNumber ?? '';
  return Number(row.practiceKind === 'LAWYER' ? number.slice(5, 9) : number.slice(8, 12));
}

/**
 * Splits `total` in proportion to `weights` by the highest-averages rule, each share first given
 * `minimum` and none exceeding its weight, which is the number of candidates behind it.
 */
function apportion(total: number, weights: number[], minimum: number): number[] {
  const shares = weights.map((weight) => Math.min(weight, minimum));
  let left = total - shares.reduce((sum, share) => sum + share, 0);
  while (left > 0) {
    let best = -1;
    for (let i = 0; i < weights.length; i++) {
      if (shares[i] >= weights[i]) continue;
      if (best < 0 || weights[i] / (shares[i] + 1) > weights[best] / (shares[best] + 1)) best = i;
    }
    if (best < 0) break;
    shares[best]++;
    left--;
  }
  return shares;
}

/** `count` distinct items drawn at random, in random order: a Fisher–Yates shuffle stopped after `count` steps. */
function sample<T>(rng: Random, items: readonly T[], count: number): T[] {
  const copy = [...items];
  const n = Math.min(count, copy.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng.next() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

function weightedPick<T>(rng: Random, items: readonly (readonly [T, number])[]): T {
  let r = rng.next() * items.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [item, weight] of items) {
    r -= weight;
    if (r < 0) return item;
  }
  return items[items.length - 1][0];
}

function dateBetween(rng: Random, from: string, to: string): string {
  const day = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
  return new Date(rng.int(day(from), day(to)) * 86_400_000).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Loading

/**
 * Inserts the dataset into the `commendations` schema with `INSERT … SELECT FROM unnest(…)`,
 * programs before their categories and commendations, inside the caller's transaction. The audit
 * log stays empty.
 */
export async function loadCommendationsDataset(db: ClientBase, data: CommendationsDataset): Promise<void> {
  await insertRows(db, 'commendations.commendation_program', [
    { name: 'id', type: 'uuid', value: (row: CommendationProgramRow) => row.id },
    { name: 'name', type: 'text', value: (row) => row.name },
    { name: 'level', type: 'text', value: (row) => row.level },
    { name: 'region_code', type: 'text', value: (row) => row.regionCode },
    { name: 'year', type: 'int', value: (row) => row.year },
    { name: 'opens_on', type: 'date', value: (row) => row.opensOn },
    { name: 'closes_on', type: 'date', value: (row) => row.closesOn },
  ], data.programs);

  await insertRows(db, 'commendations.program_category', [
    { name: 'program_id', type: 'uuid', value: (row: ProgramCategoryRow) => row.programId },
    { name: 'category', type: 'text', value: (row) => row.category },
    { name: 'quota', type: 'int', value: (row) => row.quota },
    { name: 'region_code', type: 'text', value: (row) => row.regionCode },
  ], data.categories);

  await insertRows(db, 'commendations.commendation', [
    { name: 'id', type: 'uuid', value: (row: CommendationRow) => row.id },
    { name: 'program_id', type: 'uuid', value: (row) => row.programId },
    { name: 'category', type: 'text', value: (row) => row.category },
    { name: 'level', type: 'text', value: (row) => row.level },
    { name: 'year', type: 'int', value: (row) => row.year },
    { name: 'status', type: 'text', value: (row) => row.status },
    { name: 'recipient_kind', type: 'text', value: (row) => row.recipientKind },
    { name: 'recipient_id', type: 'uuid', value: (row) => row.recipientId },
    { name: 'region_code', type: 'text', value: (row) => row.regionCode },
    { name: 'organization_id', type: 'uuid', value: (row) => row.organizationId },
    { name: 'citation', type: 'text', value: (row) => row.citation },
    { name: 'representative_body', type: 'text', value: (row) => row.representativeBody },
    { name: 'nominated_on', type: 'date', value: (row) => row.nominatedOn },
    { name: 'decided_on', type: 'date', value: (row) => row.decidedOn },
    { name: 'decision_reason', type: 'text', value: (row) => row.decisionReason },
    { name: 'revoked_on', type: 'date', value: (row) => row.revokedOn },
    { name: 'revocation_reason', type: 'text', value: (row) => row.revocationReason },
  ], data.commendations);
}
