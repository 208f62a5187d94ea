import { parse } from 'graphql';
import { Client } from 'pg';
import { SubgraphClient, type EntitiesDocument } from '../shared/src/subgraph-client';
import type { AccessRole, Tier } from '../shared/src/viewer';
import { startStack, type Stack } from './helpers/stack';
import { loadConfig } from '../shared/src/config';

// ────────────────────────────────────────────────────────────────────────────────────────────────
// The write-ownership harness. Nothing here knows activities or commendations: a case names a
// mutation, the tier that owns the record it changes, how to build the request for a caller, and
// what each caller relation must get. Every refusal is checked in PostgreSQL: no row of the
// subgraph's schema changed and no audit row was written.
// ────────────────────────────────────────────────────────────────────────────────────────────────

export type Outcome = 'ALLOWED' | 'FORBIDDEN' | 'NOT_FOUND';
export type OwnerTier = Tier;

/** A caller's place: its tier, its root region and, for a BRANCH, its organization. */
export interface Place {
  tier: Tier;
  regionCode: string;
  organizationId?: string;
}

/**
 * The places the relations are drawn from, all around one record: its county, the city and
 * province above, a sibling county of the same city, another city, and three branches of the
 * county: the one the record concerns (own), one it does not (other), and one hosting a member
 * the record names as a temporary participant (host).
 */
export interface World {
  province: Place;
  city: Place;
  county: Place;
  siblingCounty: Place;
  otherCity: Place;
  ownBranch: Place;
  otherBranch: Place;
  hostBranch: Place;
}

export type RelationName =
  | 'owner’s tier'
  | 'tier above: county'
  | 'tier above: city'
  | 'tier above: province'
  | 'tier below: city'
  | 'tier below: county'
  | 'sibling county'
  | 'another city'
  | 'BRANCH: own organization'
  | 'BRANCH: other organization'
  | 'BRANCH: temporary host'
  | 'VIEWER at the owner’s tier'
  | 'EDITOR at the owner’s tier';

/** A caller relation to the record's owner, with the token it calls with. */
export interface Relation {
  name: RelationName;
  place: Place;
  role: AccessRole;
}

const OWNER_PLACE: Record<OwnerTier, keyof World> = { PROVINCE: 'province', CITY: 'city', COUNTY: 'county', BRANCH: 'ownBranch' };

/** The relations to a record owned at `owner`, in a fixed order; `role` is what the owner needs (editor, or admin). */
export function relationNames(owner: OwnerTier, role: AccessRole = 'editor'): RelationName[] {
  const above: RelationName[] = {
    BRANCH: ['tier above: county', 'tier above: city', 'tier above: province'] as RelationName[],
    COUNTY: ['tier above: city', 'tier above: province'] as RelationName[],
    CITY: ['tier above: province'] as RelationName[],
    PROVINCE: [] as RelationName[],
  }[owner];
  const below: RelationName[] = owner === 'PROVINCE' ? ['tier below: city', 'tier below: county'] : owner === 'CITY' ? ['tier below: county'] : [];
  const branches: RelationName[] = owner === 'BRANCH' ? ['BRANCH: other organization', 'BRANCH: temporary host'] : ['BRANCH: own organization', 'BRANCH: other organization', 'BRANCH: temporary host'];
  const weaker: RelationName[] = role === 'admin' ? ['EDITOR at the owner’s tier', 'VIEWER at the owner’s tier'] : ['VIEWER at the owner’s tier'];
  return ['owner’s tier', ...above, ...below, 'sibling county', 'another city', ...branches, ...weaker];
}

export function relationOf(name: RelationName, owner: OwnerTier, world: World, role: AccessRole = 'editor'): Relation {
  const places: Record<RelationName, Place> = {
    'owner’s tier': world[OWNER_PLACE[owner]],
    'tier above: county': world.county,
    'tier above: city': world.city,
    'tier above: province': world.province,
    'tier below: city': world.city,
    'tier below: county': world.county,
    'sibling county': world.siblingCounty,
    'another city': world.otherCity,
    'BRANCH: own organization': world.ownBranch,
    'BRANCH: other organization': world.otherBranch,
    'BRANCH: temporary host': world.hostBranch,
    'VIEWER at the owner’s tier': world[OWNER_PLACE[owner]],
    'EDITOR at the owner’s tier': world[OWNER_PLACE[owner]],
  };
  const roleOf: AccessRole = name === 'VIEWER at the owner’s tier' ? 'viewer' : name === 'EDITOR at the owner’s tier' ? 'editor' : role;
  return { name, place: places[name], role: roleOf };
}

/** One mutation on one kind of record, for every relation. */
export interface WriteCase {
  mutation: string;
  subgraph: 'organization' | 'members' | 'activities' | 'commendations';
  /** The record the mutation changes, in words. */
  record: string;
  owner: OwnerTier;
  /** The role the owner needs; editor unless said. */
  role?: AccessRole;
  /** Prepares a fresh record where needed (as a tier above everything) and returns the request. */
  build: (relation: Relation) => Promise<{ query: string; variables: Record<string, unknown> }>;
  expected: (relation: Relation) => Outcome;
}

/** Tables that change without any write of records: bookkeeping, skipped by the snapshot. */
const BOOKKEEPING = ['migrations', 'organization_register_cursor', 'institution_register_cursor'];

/**
 * Every table of a subgraph's schema, audit_log included, as row count and the newest row
 * version (xmin): an insert, update or delete committed anywhere in the table changes one of the
 * two, while a lock taken and released (SELECT … FOR UPDATE) changes neither.
 */
export async function snapshot(db: Client, schema: string): Promise<Record<string, string>> {
  const { rows: tables } = await db.query(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND NOT (table_name = ANY($2)) ORDER BY 1`,
    [schema, BOOKKEEPING],
  );
  const parts = tables.map((t) => `SELECT '${t.name}' AS name, count(*) || '/' || coalesce(max(xmin::text::bigint), 0) AS state FROM "${schema}"."${t.name}"`);
  const { rows } = await db.query(parts.join(' UNION ALL '));
  return Object.fromEntries(rows.map((row) => [row.name, row.state]));
}

export async function auditRows(db: Client, schema: string): Promise<number> {
  return (await db.query(`SELECT count(*)::int AS n FROM "${schema}".audit_log`)).rows[0].n;
}

/** Runs one cell of the matrix and checks its outcome, and for a refusal that nothing was written. */
export async function checkWrite(stack: Stack, db: Client, c: WriteCase, relation: Relation, token: string): Promise<void> {
  const { query, variables } = await c.build(relation);
  const expected = c.expected(relation);
  const before = await snapshot(db, c.subgraph);
  const auditBefore = await auditRows(db, c.subgraph);
  const { body } = await stack.request(query, variables, token);
  const after = await snapshot(db, c.subgraph);
  const auditAfter = await auditRows(db, c.subgraph);
  if (expected === 'ALLOWED') {
    expect(body.errors).toBeUndefined();
    expect(body.data[c.mutation]).toBeTruthy();
    expect(auditAfter).toBeGreaterThan(auditBefore);
  } else {
    expect({ code: body.errors?.[0]?.extensions?.code, data: body.data?.[c.mutation] ?? null }).toEqual({ code: expected, data: null });
    // A record outside the tier reads exactly like a missing one: the message names what was asked for, nothing more.
    if (expected === 'NOT_FOUND') expect(body.errors[0].message).toMatch(/^[\w ]+ \S+ was not found\.$/);
    expect(auditAfter).toBe(auditBefore);
    expect(after).toEqual(before);
  }
}

/** Tokens per place and role, signed once. */
export function tokenCache(stack: () => Stack) {
  const tokens = new Map<string, Promise<string>>();
  return (relation: Relation) => {
    const { place, role } = relation;
    const key = `${place.tier}|${place.regionCode}|${place.organizationId ?? ''}|${role}`;
    if (!tokens.has(key)) {
      tokens.set(key, stack().token({ tier: place.tier, regionCode: place.regionCode, organizationId: place.organizationId ?? null, roles: [role], subject: `matrix-${key}` }));
    }
    return tokens.get(key)!;
  };
}

/** Defines one test per case and relation, named after both and the outcome. */
export function describeMatrix(title: string, cases: () => WriteCase[], caseList: Pick<WriteCase, 'mutation' | 'record' | 'owner' | 'role'>[], env: () => { stack: Stack; db: Client; world: World }) {
  describe(title, () => {
    const token = tokenCache(() => env().stack);
    describe.each(caseList.map((c, i) => ({ ...c, i })))('$mutation on $record (owned by $owner)', (shape) => {
      it.each(relationNames(shape.owner, shape.role))('%s', async (name) => {
        const c = cases()[shape.i];
        const relation = relationOf(name, c.owner, env().world, c.role);
        await checkWrite(env().stack, env().db, c, relation, await token(relation));
      });
    });
  });
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Activities and commendations: the cases, and the stories behind them.
// ────────────────────────────────────────────────────────────────────────────────────────────────

const RECORD = `mutation($input: RecordActivityInput!) { recordActivity(input: $input) { id } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateActivityInput!) { updateActivity(id: $id, input: $input) { id } }`;
const CANCEL = `mutation($id: ID!, $reason: String!) { cancelActivity(id: $id, reason: $reason) { id status } }`;
const ENROL = `mutation($a: ID!, $m: [ID!]!) { enrolInTrainingClass(activityId: $a, memberIds: $m, enrolledOn: "2019-11-01") { id } }`;
const COMPLETE = `mutation($a: ID!, $m: ID!) { recordTrainingCompletion(activityId: $a, memberId: $m, completedOn: "2019-11-12") { completedOn hours } }`;
const CHECKPOINT = `mutation($input: RecordCheckpointInput!) { recordCheckpoint(input: $input) { id } }`;
const REQUIREMENT = `mutation($input: SetOrganizationalLifeRequirementInput!) { setOrganizationalLifeRequirement(input: $input) { kind frequency } }`;
const OPEN = `mutation($input: CreateCommendationProgramInput!) { createCommendationProgram(input: $input) { id } }`;
const NOMINATE = `mutation($input: NominateForCommendationInput!) { nominateForCommendation(input: $input) { id } }`;
const APPROVE = `mutation($id: ID!) { approveCommendation(id: $id, decidedOn: "2019-06-01") { id status } }`;
const REJECT = `mutation($id: ID!) { rejectCommendation(id: $id, decidedOn: "2019-06-01", reason: "事迹材料不实") { id status } }`;
const REVOKE = `mutation($id: ID!) { revokeCommendation(id: $id, revokedOn: "2019-07-01", reason: "受到行业处分") { id status } }`;

/** Who gets what, by relation: `allowed` lists the relations that may write, `notFound` those the record is invisible to. */
function outcomes(allowed: RelationName[], notFound: RelationName[]): (relation: Relation) => Outcome {
  return ({ name }) => (allowed.includes(name) ? 'ALLOWED' : notFound.includes(name) ? 'NOT_FOUND' : 'FORBIDDEN');
}

const CASES: Pick<WriteCase, 'mutation' | 'record' | 'owner' | 'role'>[] = [
  { mutation: 'recordActivity', record: 'a meeting of a branch', owner: 'BRANCH' },
  { mutation: 'updateActivity', record: 'a meeting of a branch', owner: 'BRANCH' },
  { mutation: 'cancelActivity', record: 'a meeting of a branch', owner: 'BRANCH' },
  { mutation: 'updateActivity', record: 'a city station’s class held in a county', owner: 'CITY' },
  { mutation: 'cancelActivity', record: 'a city station’s class held in a county', owner: 'CITY' },
  { mutation: 'enrolInTrainingClass', record: 'a city station’s class held in a county', owner: 'CITY' },
  { mutation: 'recordTrainingCompletion', record: 'a city station’s class held in a county', owner: 'CITY' },
  { mutation: 'recordCheckpoint', record: 'an institution of a county', owner: 'COUNTY' },
  { mutation: 'setOrganizationalLifeRequirement', record: 'the province’s rules', owner: 'PROVINCE' },
  { mutation: 'createCommendationProgram', record: 'a city’s program', owner: 'CITY', role: 'admin' },
  { mutation: 'nominateForCommendation', record: 'a county member in a city’s program', owner: 'COUNTY' },
  { mutation: 'approveCommendation', record: 'a nomination in a city’s program', owner: 'CITY' },
  { mutation: 'rejectCommendation', record: 'a nomination in a city’s program', owner: 'CITY' },
  { mutation: 'revokeCommendation', record: 'an award of a city’s program', owner: 'CITY' },
];

let stack: Stack;
let db: Client;
let world: World;
/** Province tokens that prepare the records. */
let provinceViewer: string;
let provinceEditor: string;
let provinceAdmin: string;
let anshanStation: string;
let hongyang: { institutionId: string; branchId: string };
/** A full member of 辽宁弘扬律师事务所's branch who also takes part, temporarily, in the host branch. */
let member: string;
let cases: WriteCase[];

async function created(query: string, variables: Record<string, unknown>, token: string): Promise<string> {
  const { body } = await stack.request(query, variables, token);
  expect(body.errors).toBeUndefined();
  return (Object.values(body.data)[0] as { id: string }).id;
}

const meeting = () =>
  created(
    RECORD,
    { input: { kind: 'PARTY_GROUP_MEETING', title: '党小组会：学习《支部工作条例》', date: '2019-12-10', organizerOrganizationId: hongyang.branchId, attendance: [{ memberId: member, status: 'PRESENT' }] } },
    provinceEditor,
  );

const cityClass = async (enrolled: boolean) => {
  const id = await created(
    RECORD,
    {
      input: {
        kind: 'TRAINING_CLASS', title: '鞍山市党组织书记培训班（铁东教学点）', date: '2019-11-11', endDate: '2019-11-12', classHours: 16, durationHours: 14,
        organizerStationId: anshanStation, regionCode: '210302',
      },
    },
    provinceEditor,
  );
  if (enrolled) await created(ENROL, { a: id, m: [member] }, provinceEditor);
  return id;
};

let programs = 0;
const cityProgramInput = () => ({
  name: `2019年鞍山市“最美法律服务人”评选（${++programs}）`, regionCode: '210300', year: 2019, opensOn: '2019-01-01', closesOn: '2019-12-31',
  categories: [{ category: 'MOST_BEAUTIFUL_PERSON', quota: 20 }],
});
const nominationInput = (programId: string) => ({ programId, category: 'MOST_BEAUTIFUL_PERSON', recipientId: member, citation: '扎根基层，义务调解纠纷百余件。', nominatedOn: '2019-05-01' });
const nomination = async () => created(NOMINATE, { input: nominationInput(await created(OPEN, { input: cityProgramInput() }, provinceAdmin)) }, provinceEditor);
const award = async () => {
  const id = await nomination();
  await created(APPROVE, { id }, provinceEditor);
  return id;
};

let checkpointSlot = 0;
/** A stage and year not yet checked for the institution: the demo data checks 2016 to 2019. */
const nextCheckpoint = () => {
  const slot = checkpointSlot++;
  return { stage: slot % 2 === 0 ? 'ANNUAL_ASSESSMENT' : 'ANNUAL_INSPECTION', checkedOn: `${2020 + Math.floor(slot / 2)}-12-20` };
};

function buildCases(): WriteCase[] {
  // The branch's meeting: its branch, and the county, city and province above it, own it.
  const branchOwners: RelationName[] = ['owner’s tier', 'tier above: county', 'tier above: city', 'tier above: province'];
  const outsideBranch: RelationName[] = ['sibling county', 'another city', 'BRANCH: other organization', 'BRANCH: temporary host'];
  // The city station's class: the city and the province own it; the county where it was held reads it.
  const classOwners: RelationName[] = ['owner’s tier', 'tier above: province'];
  const outsideClass: RelationName[] = ['sibling county', 'another city', 'BRANCH: own organization', 'BRANCH: other organization', 'BRANCH: temporary host'];
  const stationsOutside: RelationName[] = ['sibling county', 'another city'];

  const table: Omit<WriteCase, 'subgraph'>[] = [
    {
      ...CASES[0],
      build: async () => ({
        query: RECORD,
        variables: { input: { kind: 'PARTY_GROUP_MEETING', title: '党小组会', date: '2019-12-10', organizerOrganizationId: hongyang.branchId, attendance: [{ memberId: member, status: 'PRESENT' }] } },
      }),
      expected: outcomes(branchOwners, outsideBranch),
    },
    { ...CASES[1], build: async () => ({ query: UPDATE, variables: { id: await meeting(), input: { title: '党小组会：学习党章' } } }), expected: outcomes(branchOwners, outsideBranch) },
    { ...CASES[2], build: async () => ({ query: CANCEL, variables: { id: await meeting(), reason: '误录' } }), expected: outcomes(branchOwners, outsideBranch) },
    { ...CASES[3], build: async () => ({ query: UPDATE, variables: { id: await cityClass(true), input: { location: '铁东区司法局会议室' } } }), expected: outcomes(classOwners, outsideClass) },
    { ...CASES[4], build: async () => ({ query: CANCEL, variables: { id: await cityClass(true), reason: '误录' } }), expected: outcomes(classOwners, outsideClass) },
    // Branches never enrol: refused before the class is looked up, the same for every branch.
    { ...CASES[5], build: async () => ({ query: ENROL, variables: { a: await cityClass(false), m: [member] } }), expected: outcomes(classOwners, stationsOutside) },
    { ...CASES[6], build: async () => ({ query: COMPLETE, variables: { a: await cityClass(true), m: member } }), expected: outcomes(classOwners, stationsOutside) },
    {
      ...CASES[7],
      build: async () => ({ query: CHECKPOINT, variables: { input: { institutionId: hongyang.institutionId, result: 'PASSED', ...nextCheckpoint() } } }),
      expected: outcomes(['owner’s tier', 'tier above: city', 'tier above: province'], stationsOutside),
    },
    {
      ...CASES[8],
      build: async () => ({ query: REQUIREMENT, variables: { input: { provinceCode: '210000', kind: 'PARTY_LECTURE', frequency: 'MONTHLY', fromYear: 2026 } } }),
      expected: outcomes(['owner’s tier'], []),
    },
    // A county does not see its city as a region of its own: the city's program is not its to open.
    { ...CASES[9], build: async () => ({ query: OPEN, variables: { input: cityProgramInput() } }), expected: outcomes(['owner’s tier', 'tier above: province'], ['tier below: county', ...stationsOutside]) },
    {
      ...CASES[10],
      build: async () => ({ query: NOMINATE, variables: { input: nominationInput(await created(OPEN, { input: cityProgramInput() }, provinceAdmin)) } }),
      expected: outcomes(['owner’s tier', 'tier above: city', 'tier above: province'], stationsOutside),
    },
    { ...CASES[11], build: async () => ({ query: APPROVE, variables: { id: await nomination() } }), expected: outcomes(classOwners, stationsOutside) },
    { ...CASES[12], build: async () => ({ query: REJECT, variables: { id: await nomination() } }), expected: outcomes(classOwners, stationsOutside) },
    { ...CASES[13], build: async () => ({ query: REVOKE, variables: { id: await award() } }), expected: outcomes(classOwners, stationsOutside) },
  ];
  return table.map((c) => ({ ...c, subgraph: c.mutation.match(/Commendation/) ? 'commendations' : 'activities' }));
}

beforeAll(async () => {
  // Some stories read a member's activities through every enrolment of a class, a deeper answer
  // than the cost limit lets one request hold; the limit has its own tests (test/limits.test.ts).
  stack = await startStack({ limits: { ...loadConfig().limits, maxCost: 0 } });
  db = new Client({ connectionString: stack.databaseUrl });
  await db.connect();
  provinceViewer = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
  provinceEditor = await stack.token({ tier: 'PROVINCE', regionCode: '210000', roles: ['editor'], subject: 'province-editor' });
  provinceAdmin = await stack.token({ tier: 'PROVINCE', regionCode: '210000', roles: ['admin'], subject: 'province-admin' });

  const { body } = await stack.request(
    `{ institutions(filter: { nameContains: "辽宁弘扬律师事务所" }, first: 5) { edges { node { id name partyOrganization { id members { id partyStatus } } } } }
       region(code: "210300") { guidanceStation { id } } }`,
    {},
    provinceViewer,
  );
  const firm = body.data.institutions.edges.map((e: any) => e.node).find((n: any) => n.name === '辽宁弘扬律师事务所');
  hongyang = { institutionId: firm.id, branchId: firm.partyOrganization.id };
  member = firm.partyOrganization.members.find((m: any) => m.partyStatus === 'FULL').id;
  anshanStation = body.data.region.guidanceStation.id;

  const { rows: branches } = await db.query(
    `SELECT id FROM organization.party_organization WHERE region_code = '210302' AND kind = 'STANDALONE_BRANCH' AND dissolved_on IS NULL AND id <> $1 ORDER BY id LIMIT 2`,
    [hongyang.branchId],
  );
  const [host, other] = branches.map((row) => row.id as string);
  const joined = await stack.request(`mutation($m: ID!, $o: ID!) { joinTemporarily(memberId: $m, organizationId: $o, startedOn: "2019-01-01") { id } }`, { m: member, o: host }, provinceEditor);
  expect(joined.body.errors).toBeUndefined();

  world = {
    province: { tier: 'PROVINCE', regionCode: '210000' },
    city: { tier: 'CITY', regionCode: '210300' },
    county: { tier: 'COUNTY', regionCode: '210302' },
    siblingCounty: { tier: 'COUNTY', regionCode: '210303' },
    otherCity: { tier: 'CITY', regionCode: '210400' },
    ownBranch: { tier: 'BRANCH', regionCode: '210302', organizationId: hongyang.branchId },
    otherBranch: { tier: 'BRANCH', regionCode: '210302', organizationId: other },
    hostBranch: { tier: 'BRANCH', regionCode: '210302', organizationId: host },
  };
  cases = buildCases();
});
afterAll(async () => {
  await db?.end();
  await stack?.stop();
});

describeMatrix('who may change what: activities and commendations', () => cases, CASES, () => ({ stack, db, world }));

describe('a county editor cannot cancel the city station’s training class', () => {
  const HOURS = `query($id: ID!) { member(id: $id) { trainingHours(year: 2019) } }`;

  it('and its attendees keep their class hours', async () => {
    const { rows: seeded } = await db.query(
      `SELECT id FROM activities.activity WHERE organizer_station_id = $1 AND region_code = '210302' AND title = '鞍山市法律服务行业党组织书记培训班（2019年）'`,
      [anshanStation],
    );
    const found = await stack.request(`query($id: ID!) { activity(id: $id) { id status enrolments { member { id } completedOn hours } } }`, { id: seeded[0].id }, provinceViewer);
    const trainingClass = found.body.data.activity;
    expect(trainingClass.status).toBe('HELD');
    const attendees: string[] = trainingClass.enrolments.filter((e: any) => e.completedOn).map((e: any) => e.member.id);
    const { rows } = await db.query(`SELECT count(DISTINCT region_code)::int AS counties FROM activities.enrolment WHERE activity_id = $1 AND region_code <> '210302'`, [trainingClass.id]);
    expect(rows[0].counties).toBeGreaterThanOrEqual(7);
    const hoursOf = async () => Promise.all(attendees.map(async (id) => (await stack.request(HOURS, { id }, provinceViewer)).body.data.member.trainingHours as number));
    const hoursBefore = await hoursOf();
    expect(hoursBefore.every((h) => h >= 16)).toBe(true);

    const tiedongEditor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'], subject: 'tiedong-editor' });
    // The county reads the class, held in its region...
    const seen = await stack.request(`query($id: ID!) { activity(id: $id) { id status } }`, { id: trainingClass.id }, tiedongEditor);
    expect(seen.body.data.activity).toEqual({ id: trainingClass.id, status: 'HELD' });
    // ...but every write to it gets the same answer: not the county's to change.
    const audit = await auditRows(db, 'activities');
    const cancel = await stack.request(CANCEL, { id: trainingClass.id, reason: '误录' }, tiedongEditor);
    const update = await stack.request(UPDATE, { id: trainingClass.id, input: { title: '改' } }, tiedongEditor);
    const complete = await stack.request(COMPLETE, { a: trainingClass.id, m: attendees[0] }, tiedongEditor);
    for (const refused of [cancel, update, complete]) expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(cancel.body.errors[0].message).toBe(update.body.errors[0].message);
    expect(await auditRows(db, 'activities')).toBe(audit);
    expect(await hoursOf()).toEqual(hoursBefore);
    expect((await stack.request(`query($id: ID!) { activity(id: $id) { status } }`, { id: trainingClass.id }, provinceViewer)).body.data.activity.status).toBe('HELD');

    // The city station, which organized it, may.
    const anshanEditor = await stack.token({ tier: 'CITY', regionCode: '210300', roles: ['editor'], subject: 'anshan-editor' });
    const byOwner = await stack.request(CANCEL, { id: trainingClass.id, reason: '培训班改期，另行录入' }, anshanEditor);
    expect(byOwner.body.data.cancelActivity).toEqual({ id: trainingClass.id, status: 'CANCELLED' });
    const after = await hoursOf();
    expect(after.map((h, i) => hoursBefore[i] - h)).toEqual(attendees.map((id) => trainingClass.enrolments.find((e: any) => e.member.id === id).hours));
  });
});

describe('nothing outside the tier through any path', () => {
  it('a county reads its member’s activities only where it reads the activity itself', async () => {
    // A member of 铁西区 who completed the city's 2018 class held in 铁东区.
    const { rows } = await db.query(
      `SELECT e.member_id AS member, e.activity_id AS activity FROM activities.enrolment e JOIN activities.activity a ON a.id = e.activity_id
        WHERE e.region_code = '210303' AND a.region_code = '210302' AND a.status = 'HELD' AND e.completed_on IS NOT NULL AND a.held_on >= '2018-01-01' AND a.held_on < '2019-01-01' LIMIT 1`,
    );
    const [{ member: tiexiMember, activity: elsewhere }] = rows;
    const tiexi = await stack.token({ tier: 'COUNTY', regionCode: '210303' });
    const { body } = await stack.request(
      `query($m: ID!, $a: ID!) { member(id: $m) { id activities(year: 2018) { id title location minutes } trainingHours(year: 2018) } activity(id: $a) { id } }`,
      { m: tiexiMember, a: elsewhere },
      tiexi,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.activity).toBeNull();
    expect(body.data.member.activities.map((a: any) => a.id)).not.toContain(elsewhere);
    // Every activity listed is one the county reads by id.
    for (const listed of body.data.member.activities) {
      expect((await stack.request(`query($a: ID!) { activity(id: $a) { id } }`, { a: listed.id }, tiexi)).body.data.activity).toEqual({ id: listed.id });
    }
    // The hours are the member's own record, earned wherever the class was held.
    expect(body.data.member.trainingHours).toBeGreaterThan(0);

    // The province, which reads the class, sees it among the member's activities.
    const province = await stack.request(`query($m: ID!) { member(id: $m) { activities(year: 2018) { id } } }`, { m: tiexiMember }, provinceViewer);
    expect(province.body.data.member.activities.map((a: any) => a.id)).toContain(elsewhere);
  });

  it('a county reading a class held in its region gets null, not empty lists or zeros, for what lies outside its tier', async () => {
    const tiedong = await stack.token({ tier: 'COUNTY', regionCode: '210302' });
    const classId = await cityClass(true);
    const { rows } = await db.query(
      `SELECT e.member_id AS id FROM activities.enrolment e JOIN activities.activity a ON a.id = e.activity_id
        WHERE a.organizer_station_id = $1 AND a.region_code = '210302' AND e.region_code <> '210302' LIMIT 1`,
      [anshanStation],
    );
    await created(ENROL, { a: classId, m: [rows[0].id] }, provinceEditor);
    const { body } = await stack.request(
      `query($a: ID!) { activity(id: $a) { id region { code activityStats(year: 2019) { total } }
         station { id activities(year: 2019) { id } } enrolments { member { id trainingHours(year: 2019) activities(year: 2019) { id } } } } }`,
      { a: classId },
      tiedong,
    );
    const activity = body.data.activity;
    expect(activity.region.activityStats.total).toBeGreaterThan(0);
    // The city station organized it: the county neither lists the station's activities nor gets an empty list.
    expect(activity.station?.activities ?? null).toBeNull();
    const byMember = new Map(activity.enrolments.map((e: any) => [e.member?.id, e.member]));
    expect(byMember.get(member)).toMatchObject({ trainingHours: expect.any(Number), activities: expect.any(Array) });
    const outsider: any = activity.enrolments.find((e: any) => e.member?.id !== member)?.member ?? null;
    expect(outsider?.trainingHours ?? null).toBeNull();
    expect(outsider?.activities ?? null).toBeNull();
  });

  it('every entity the two subgraphs extend answers null outside the caller’s tier, also when asked for by reference', async () => {
    const tiexi = `Bearer ${await stack.token({ tier: 'COUNTY', regionCode: '210303' })}`;
    const tiedong = `Bearer ${await stack.token({ tier: 'COUNTY', regionCode: '210302' })}`;
    const document = (typename: string, selection: string) =>
      parse(`query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { ${selection} } } }`) as EntitiesDocument<{ _entities: any[] }>;
    const ask = (subgraph: 'activities' | 'commendations', typename: string, key: Record<string, string>, selection: string, authorization: string) =>
      new SubgraphClient(stack.config, 'organization', subgraph).entities(document(typename, selection), typename, [key], { authorization }).then(([found]) => found);
    const tiedongStation = (await stack.request(`{ region(code: "210302") { guidanceStation { id } } }`, {}, provinceViewer)).body.data.region.guidanceStation.id;
    const probes: [('activities' | 'commendations'), string, Record<string, string>, string][] = [
      ['activities', 'Region', { code: '210302' }, 'activityStats(year: 2019) { total }'],
      ['activities', 'Member', { id: member }, 'activities(year: 2019) { id } trainingHours(year: 2019) serviceHours(year: 2019)'],
      ['activities', 'PartyOrganization', { id: hongyang.branchId }, 'activities(year: 2019) { id } organizationalLife(year: 2019) { kind }'],
      ['activities', 'Institution', { id: hongyang.institutionId }, 'checkpoints { id }'],
      ['activities', 'GuidanceStation', { id: tiedongStation }, 'activities(year: 2019) { id }'],
      ['commendations', 'Region', { code: '210302' }, 'commendationStats(year: 2016) { approved }'],
      ['commendations', 'Member', { id: member }, 'commendations { id }'],
      ['commendations', 'PartyOrganization', { id: hongyang.branchId }, 'commendations { id }'],
      ['commendations', 'Institution', { id: hongyang.institutionId }, 'commendations { id }'],
    ];
    for (const [subgraph, typename, key, selection] of probes) {
      expect([subgraph, typename, await ask(subgraph, typename, key, selection, tiexi)]).toEqual([subgraph, typename, null]);
      const own = await ask(subgraph, typename, key, selection, tiedong);
      expect([subgraph, typename, Object.values(own).every((value) => value !== null)]).toEqual([subgraph, typename, true]);
    }
  });
});
