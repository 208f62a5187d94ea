import { Client } from 'pg';
import { idNumberCheckCharacter } from '../shared/src/id-number';
import { todayInChina } from '../shared/src/validation';
import { startStack, type Stack } from './helpers/stack';
import { attempt, expectOutcome, relationsFor, type Geography, type Outcome, type Relation, type RelationName, type WriteCase } from './helpers/write-matrix';

/**
 * Who may change what, for the organization structure and member records: every mutation of the
 * two subgraphs, tried by a caller in each relation to the record it changes.
 */

const daysAgo = (days: number) => new Date(Date.parse(todayInChina()) - days * 86_400_000).toISOString().slice(0, 10);

let serial = 0;
const next = () => ++serial;
const lawyerLicence = () => `1210320191${String(1_000_000 + next()).slice(-7)}`;
const firmLicence = () => `31210302MX${String(next()).padStart(7, '0')}Y`;
function idNumber(birth = '1980-05-05', region = '210302'): string {
  const first17 = `${region}${birth.replaceAll('-', '')}${String(500 + next()).slice(-3)}`;
  return first17 + idNumberCheckCharacter(first17);
}

/** Expectations by kind of record. */
const STRUCTURE: Record<RelationName, Outcome> = {
  'owner editor': 'ALLOWED',
  'city above': 'ALLOWED',
  'province above': 'ALLOWED',
  // Below a city: the county cannot see a city's own records.
  'county below': 'NOT_FOUND',
  'sibling county': 'NOT_FOUND',
  'other city': 'NOT_FOUND',
  // A branch writes no structure, whatever it can see.
  'branch own': 'FORBIDDEN',
  'branch other': 'FORBIDDEN',
  'branch temporary host': 'FORBIDDEN',
  'owner viewer': 'FORBIDDEN',
};
const MEMBER_RECORD: Record<RelationName, Outcome> = {
  ...STRUCTURE,
  'branch own': 'ALLOWED',
  'branch other': 'NOT_FOUND',
  // The host sees its temporary participant but does not hold the formal relation.
  'branch temporary host': 'FORBIDDEN',
};
/** People are registered by stations. */
const REGISTRATION: Record<RelationName, Outcome> = { ...MEMBER_RECORD, 'branch own': 'FORBIDDEN', 'branch other': 'FORBIDDEN', 'branch temporary host': 'FORBIDDEN' };
/** A role record belongs to the place where it is held: the host branch does not see the guest's roles. */
const ROLE_RECORD: Record<RelationName, Outcome> = { ...MEMBER_RECORD, 'branch temporary host': 'NOT_FOUND' };
/** A transfer from the other city to the owner's branch: the receiving side answers it; the sender sees it and may not. */
const RECEIVING: Record<RelationName, Outcome> = { ...ROLE_RECORD, 'other city': 'FORBIDDEN' };
/** A transfer from the owner's branch to the other city: the sending side cancels it; the receiver sees it and may not. */
const SENDING = RECEIVING;
/** An assignment the city station made to an institution of the county: the county sees it and may not end it. */
const CITY_ASSIGNMENT: Record<RelationName, Outcome> = { ...STRUCTURE, 'county below': 'FORBIDDEN' };

/** Only the relations' names are needed to list the cells; their tokens are made from the real geography. */
const PLACEHOLDER: Geography = {
  county: '210302',
  siblingCounty: '210303',
  city: '210300',
  otherCity: '210400',
  ownOrganizationId: '',
  otherOrganizationId: '',
  hostOrganizationId: '',
};

describe('who may change what: organization and members', () => {
  let stack: Stack;
  let db: Client;
  let g: Geography;
  /** 鞍山市铁东区 (210302): its station and a guidance officer of it; the Anshan city station and one of its officers. */
  let countyStation: string;
  let countyOfficer: string;
  let cityStation: string;
  let cityOfficer: string;
  /** A branch in 抚顺市新抚区 (210402), in the other city. */
  let fushunBranch: string;
  /** The institution whose standalone branch holds the members' formal relation. */
  let ownInstitution: string;
  let ownLicence: string;

  const one = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows[0];

  beforeAll(async () => {
    stack = await startStack();
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    const orgByName = async (name: string) => (await one(`SELECT id FROM organization.party_organization WHERE name = $1`, [name])).id as string;
    ownInstitution = (await one(`SELECT id FROM organization.institution WHERE name = '辽宁弘扬律师事务所'`)).id;
    ownLicence = (await one(`SELECT license_number FROM organization.institution WHERE id = $1`, [ownInstitution])).license_number;
    g = {
      county: '210302',
      siblingCounty: '210303',
      city: '210300',
      otherCity: '210400',
      ownOrganizationId: (await one(`SELECT party_organization_id AS id FROM organization.institution WHERE id = $1`, [ownInstitution])).id,
      otherOrganizationId: await orgByName('中共鞍山市公证处支部委员会'),
      hostOrganizationId: await orgByName('中共鞍山市铁东区律师行业第1联合支部委员会'),
    };
    fushunBranch = await orgByName('中共辽宁益辰律师事务所支部委员会');
    const station = async (region: string) => (await one(`SELECT id FROM organization.guidance_station WHERE region_code = $1 AND NOT functional`, [region])).id as string;
    // A guidance officer of a station of the region (the Anshan city's officers sit at its functional station).
    const officer = async (region: string) =>
      (await one(
        `SELECT r.member_id AS id FROM members.role_assignment r JOIN organization.guidance_station s ON s.id = r.station_id
          WHERE s.region_code = $1 AND r.kind = 'GUIDANCE_OFFICER' AND r.ended_on IS NULL ORDER BY r.id LIMIT 1`,
        [region],
      )).id as string;
    countyStation = await station('210302');
    cityStation = await station('210300');
    countyOfficer = await officer('210302');
    cityOfficer = await officer('210300');
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  /** Fresh records, written as an operator would with psql, so no case changes another's. */
  const fixtures = {
    institution: async (region = '210302') =>
      (await one(
        `INSERT INTO organization.institution (name, kind, license_number, region_code, state, approved_on)
         VALUES ($1, 'LAW_FIRM', $2, $3, 'OPERATING', '2018-03-01') RETURNING id`,
        [`矩阵律师事务所${next()}`, firmLicence(), region],
      )).id as string,
    jointBranch: async (institutionIds: string[], region = '210302') => {
      const { id } = await one(
        `INSERT INTO organization.party_organization (name, kind, sector, region_code, founded_on) VALUES ($1, 'JOINT_BRANCH', 'LAW_FIRM', $2, '2018-06-01') RETURNING id`,
        [`矩阵联合支部${next()}`, region],
      );
      await db.query(`UPDATE organization.institution SET party_organization_id = $1 WHERE id = ANY($2::uuid[])`, [id, institutionIds]);
      return id as string;
    },
    assignment: async (stationId: string, officerId: string) => {
      const institution = await fixtures.institution();
      return (await one(
        `INSERT INTO organization.guidance_officer_assignment (officer_member_id, station_id, institution_id, region_code, started_on)
         VALUES ($1, $2, $3, '210302', '2019-01-01') RETURNING id`,
        [officerId, stationId, institution],
      )).id as string;
    },
    /** A lawyer of 辽宁弘扬律师事务所 whose formal relation is in its branch, taking part in the host branch's life. */
    member: async (status: 'FULL' | 'PROBATIONARY' = 'FULL', organizationId = g.ownOrganizationId, region = '210302', institutionId: string | null = ownInstitution) => {
      const joinedOn = status === 'FULL' ? '2015-01-10' : daysAgo(200);
      const { id } = await one(
        `INSERT INTO members.member (name, gender, ethnicity, birth_date, id_number, phone, practice_kind, license_number, institution_id, region_code,
                                     party_status, applied_on, activist_on, candidate_on, joined_on, full_on, organization_id)
         VALUES ($1, 'FEMALE', '汉族', '1980-05-05', $2, '13912345678', 'LAWYER', $3, $4, $5, $6, '2012-01-01', '2012-06-01', '2013-06-01', $7, $8, $9)
         RETURNING id`,
        [`矩阵党员${next()}`, idNumber('1980-05-05', region), lawyerLicence(), institutionId, region, status, joinedOn, status === 'FULL' ? '2016-01-10' : null, organizationId],
      );
      await db.query(`INSERT INTO members.organization_membership (member_id, organization_id, from_date) VALUES ($1, $2, $3)`, [id, organizationId, joinedOn]);
      if (organizationId === g.ownOrganizationId) {
        await db.query(`INSERT INTO members.temporary_participation (member_id, organization_id, started_on) VALUES ($1, $2, '2019-03-01')`, [id, g.hostOrganizationId]);
      }
      return id as string;
    },
    role: async (memberId: string) =>
      (await one(
        `INSERT INTO members.role_assignment (member_id, kind, organization_id, region_code, started_on) VALUES ($1, 'PARTY_WORKER', $2, '210302', '2019-01-01') RETURNING id`,
        [memberId, g.ownOrganizationId],
      )).id as string,
    transfer: async (direction: 'in' | 'out') => {
      const [from, to, fromRegion, toRegion] =
        direction === 'out' ? [g.ownOrganizationId, fushunBranch, '210302', '210402'] : [fushunBranch, g.ownOrganizationId, '210402', '210302'];
      const member = direction === 'out' ? await fixtures.member() : await fixtures.member('FULL', fushunBranch, '210402', null);
      return (await one(
        `INSERT INTO members.transfer (member_id, from_organization_id, to_organization_id, from_region_code, to_region_code, letter_number, status, initiated_on, expires_on)
         VALUES ($1, $2, $3, $4, $5, $6, 'PENDING', $7, $8) RETURNING id`,
        [member, from, to, fromRegion, toRegion, `矩阵转字${next()}号`, daysAgo(10), daysAgo(-60)],
      )).id as string;
    },
  };

  const cases: WriteCase[] = [
    // organization: institutions and Party organizations belong to the tier of their region.
    {
      mutation: 'registerInstitution',
      subgraph: 'organization',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($input: RegisterInstitutionInput!) { registerInstitution(input: $input) { id } }`,
        variables: { input: { name: `矩阵新所${next()}`, kind: 'LAW_FIRM', licenseNumber: firmLicence(), regionCode: '210302', approvedOn: '2019-03-01' } },
      }),
      expected: (r) => STRUCTURE[r.name],
    },
    {
      mutation: 'updateInstitution',
      subgraph: 'organization',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($id: ID!) { updateInstitution(id: $id, input: { name: "改名律师事务所" }) { id name } }`,
        variables: { id: await fixtures.institution() },
      }),
      expected: (r) => STRUCTURE[r.name],
    },
    {
      mutation: 'establishPartyOrganization',
      subgraph: 'organization',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($input: EstablishPartyOrganizationInput!) { establishPartyOrganization(input: $input) { id } }`,
        variables: {
          input: { name: `矩阵新支部${next()}`, kind: 'JOINT_BRANCH', sector: 'LAW_FIRM', regionCode: '210302', institutionIds: [await fixtures.institution()], foundedOn: '2019-05-01' },
        },
      }),
      expected: (r) => STRUCTURE[r.name],
    },
    {
      mutation: 'establishPartyOrganization (city joint branch)',
      subgraph: 'organization',
      owner: 'CITY',
      build: async () => ({
        query: `mutation($input: EstablishPartyOrganizationInput!) { establishPartyOrganization(input: $input) { id } }`,
        variables: {
          input: {
            name: `矩阵市联合支部${next()}`, kind: 'JOINT_BRANCH', sector: 'LAW_FIRM', regionCode: '210300',
            institutionIds: [await fixtures.institution('210302'), await fixtures.institution('210303')], foundedOn: '2019-05-01',
          },
        },
      }),
      expected: (r) => STRUCTURE[r.name],
    },
    {
      mutation: 'addInstitutionsToJointBranch',
      subgraph: 'organization',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($org: ID!, $ids: [ID!]!) { addInstitutionsToJointBranch(organizationId: $org, institutionIds: $ids) { id } }`,
        variables: { org: await fixtures.jointBranch([await fixtures.institution()]), ids: [await fixtures.institution()] },
      }),
      expected: (r) => STRUCTURE[r.name],
    },
    {
      mutation: 'removeInstitutionsFromJointBranch',
      subgraph: 'organization',
      owner: 'COUNTY',
      build: async () => {
        const [a, b] = [await fixtures.institution(), await fixtures.institution()];
        return {
          query: `mutation($org: ID!, $ids: [ID!]!) { removeInstitutionsFromJointBranch(organizationId: $org, institutionIds: $ids) { id } }`,
          variables: { org: await fixtures.jointBranch([a, b]), ids: [b] },
        };
      },
      expected: (r) => STRUCTURE[r.name],
    },
    {
      mutation: 'dissolvePartyOrganization',
      subgraph: 'organization',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($id: ID!) { dissolvePartyOrganization(id: $id, dissolvedOn: "2019-12-01", reason: "合并") { id } }`,
        variables: { id: await fixtures.jointBranch([await fixtures.institution()]) },
      }),
      expected: (r) => STRUCTURE[r.name],
    },
    {
      mutation: 'dissolvePartyOrganization (city joint branch)',
      subgraph: 'organization',
      owner: 'CITY',
      build: async () => ({
        query: `mutation($id: ID!) { dissolvePartyOrganization(id: $id, dissolvedOn: "2019-12-01", reason: "合并") { id } }`,
        variables: { id: await fixtures.jointBranch([await fixtures.institution('210302'), await fixtures.institution('210303')], '210300') },
      }),
      expected: (r) => STRUCTURE[r.name],
    },
    {
      mutation: 'assignGuidanceOfficer',
      subgraph: 'organization',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($input: AssignGuidanceOfficerInput!) { assignGuidanceOfficer(input: $input) { id } }`,
        variables: { input: { officerId: countyOfficer, stationId: countyStation, institutionId: await fixtures.institution(), startedOn: '2019-05-01' } },
      }),
      expected: (r) => STRUCTURE[r.name],
    },
    {
      mutation: 'assignGuidanceOfficer (from the city station)',
      subgraph: 'organization',
      owner: 'CITY',
      build: async () => ({
        query: `mutation($input: AssignGuidanceOfficerInput!) { assignGuidanceOfficer(input: $input) { id } }`,
        variables: { input: { officerId: cityOfficer, stationId: cityStation, institutionId: await fixtures.institution(), startedOn: '2019-05-01' } },
      }),
      expected: (r) => STRUCTURE[r.name],
    },
    {
      mutation: 'endGuidanceOfficerAssignment',
      subgraph: 'organization',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($id: ID!) { endGuidanceOfficerAssignment(id: $id, endedOn: "2019-11-30") { id endedOn } }`,
        variables: { id: await fixtures.assignment(countyStation, countyOfficer) },
      }),
      expected: (r) => STRUCTURE[r.name],
    },
    {
      mutation: 'endGuidanceOfficerAssignment (made by the city station)',
      subgraph: 'organization',
      owner: 'CITY',
      build: async () => ({
        query: `mutation($id: ID!) { endGuidanceOfficerAssignment(id: $id, endedOn: "2019-11-30") { id endedOn } }`,
        variables: { id: await fixtures.assignment(cityStation, cityOfficer) },
      }),
      expected: (r) => CITY_ASSIGNMENT[r.name],
    },
    {
      mutation: 'importInstitutions',
      subgraph: 'organization',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($rows: [ImportInstitutionInput!]!) { importInstitutions(rows: $rows, dryRun: false) { created errors { row field code message } } }`,
        variables: { rows: [{ name: `矩阵导入所${next()}`, kind: 'LAW_FIRM', licenseNumber: firmLicence(), regionCode: '210302', approvedOn: '2019-03-01' }] },
      }),
      expected: (r) => STRUCTURE[r.name],
    },
    {
      mutation: 'importInstitutions (a known institution renamed)',
      subgraph: 'organization',
      owner: 'COUNTY',
      build: async () => {
        const institution = await one(`SELECT license_number FROM organization.institution WHERE id = $1`, [await fixtures.institution()]);
        return {
          query: `mutation($rows: [ImportInstitutionInput!]!) { importInstitutions(rows: $rows, dryRun: false) { updated errors { row field code message } } }`,
          variables: { rows: [{ name: `矩阵改名所${next()}`, kind: 'LAW_FIRM', licenseNumber: institution.license_number, regionCode: '210302' }] },
        };
      },
      expected: (r) => STRUCTURE[r.name],
    },
    {
      mutation: 'importPartyOrganizations',
      subgraph: 'organization',
      owner: 'COUNTY',
      build: async () => {
        const institution = await one(`SELECT license_number FROM organization.institution WHERE id = $1`, [await fixtures.institution()]);
        return {
          query: `mutation($rows: [ImportPartyOrganizationInput!]!) { importPartyOrganizations(rows: $rows, dryRun: false) { created errors { row field code message } } }`,
          variables: {
            rows: [{ name: `矩阵导入支部${next()}`, kind: 'JOINT_BRANCH', sector: 'LAW_FIRM', regionCode: '210302', institutionLicenseNumbers: [institution.license_number], foundedOn: '2019-05-01' }],
          },
        };
      },
      expected: (r) => STRUCTURE[r.name],
    },

    // members: a member record belongs to the tier holding the formal relation.
    {
      mutation: 'registerMember',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`,
        variables: {
          input: { name: '矩阵新人', gender: 'MALE', ethnicity: '汉族', birthDate: '1990-02-02', idNumber: idNumber('1990-02-02'), institutionId: ownInstitution, licenseNumber: lawyerLicence() },
        },
      }),
      expected: (r) => REGISTRATION[r.name],
    },
    {
      mutation: 'importMembers (a new person)',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($rows: [ImportMemberInput!]!) { importMembers(rows: $rows, dryRun: false) { created errors { row field code message } } }`,
        variables: {
          rows: [{ name: '矩阵导入', gender: 'MALE', ethnicity: '汉族', birthDate: '1990-02-02', idNumber: idNumber('1990-02-02'), institutionLicenseNumber: ownLicence, licenseNumber: lawyerLicence() }],
        },
      }),
      expected: (r) => REGISTRATION[r.name],
    },
    {
      mutation: 'importMembers (a known person)',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => {
        const person = await one(
          `SELECT name, gender, ethnicity, to_char(birth_date, 'YYYY-MM-DD') AS "birthDate", id_number AS "idNumber", license_number AS "licenseNumber"
             FROM members.member WHERE id = $1`,
          [await fixtures.member()],
        );
        return {
          query: `mutation($rows: [ImportMemberInput!]!) { importMembers(rows: $rows, dryRun: false) { updated errors { row field code message } } }`,
          variables: { rows: [{ ...person, name: '改名', phone: '13700000000', institutionLicenseNumber: ownLicence }] },
        };
      },
      expected: (r) => MEMBER_RECORD[r.name],
    },
    {
      mutation: 'updateMember',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($id: ID!) { updateMember(id: $id, input: { name: "改名", phone: "13700000000" }) { id } }`,
        variables: { id: await fixtures.member() },
      }),
      expected: (r) => MEMBER_RECORD[r.name],
    },
    {
      mutation: 'advancePartyStatus',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => {
        const id = await fixtures.member('PROBATIONARY');
        await db.query(`UPDATE members.member SET joined_on = '2018-01-10' WHERE id = $1`, [id]);
        return { query: `mutation($id: ID!) { advancePartyStatus(id: $id, input: { to: FULL, on: "2019-01-10" }) { id } }`, variables: { id } };
      },
      expected: (r) => MEMBER_RECORD[r.name],
    },
    {
      mutation: 'extendProbation',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($id: ID!, $until: Date!) { extendProbation(id: $id, until: $until, reason: "考察") { id } }`,
        variables: { id: await fixtures.member('PROBATIONARY'), until: daysAgo(-365) },
      }),
      expected: (r) => MEMBER_RECORD[r.name],
    },
    {
      mutation: 'joinTemporarily',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($m: ID!, $o: ID!) { joinTemporarily(memberId: $m, organizationId: $o, startedOn: "2019-09-01") { id } }`,
        variables: { m: await fixtures.member(), o: fushunBranch },
      }),
      expected: (r) => MEMBER_RECORD[r.name],
    },
    {
      mutation: 'leaveTemporary',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($m: ID!, $o: ID!) { leaveTemporary(memberId: $m, organizationId: $o, endedOn: "2019-10-01") { id } }`,
        variables: { m: await fixtures.member(), o: g.hostOrganizationId },
      }),
      expected: (r) => MEMBER_RECORD[r.name],
    },
    {
      mutation: 'assignRole',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($input: AssignRoleInput!) { assignRole(input: $input) { id } }`,
        variables: { input: { memberId: await fixtures.member(), kind: 'PARTY_WORKER', organizationId: g.ownOrganizationId, startedOn: '2019-05-01' } },
      }),
      expected: (r) => MEMBER_RECORD[r.name],
    },
    {
      mutation: 'endRole',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($id: ID!) { endRole(id: $id, endedOn: "2019-10-01") { id } }`,
        variables: { id: await fixtures.role(await fixtures.member()) },
      }),
      expected: (r) => ROLE_RECORD[r.name],
    },
    {
      mutation: 'initiateTransfer',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($input: InitiateTransferInput!) { initiateTransfer(input: $input) { id } }`,
        variables: { input: { memberId: await fixtures.member(), toOrganizationId: fushunBranch, letterNumber: `矩阵${next()}`, initiatedOn: daysAgo(3) } },
      }),
      expected: (r) => MEMBER_RECORD[r.name],
    },
    {
      mutation: 'confirmTransfer',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($id: ID!, $on: Date!) { confirmTransfer(id: $id, receivedOn: $on) { id status } }`,
        variables: { id: await fixtures.transfer('in'), on: daysAgo(1) },
      }),
      expected: (r) => RECEIVING[r.name],
    },
    {
      mutation: 'returnTransfer',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($id: ID!) { returnTransfer(id: $id, reason: "材料不全") { id status } }`,
        variables: { id: await fixtures.transfer('in') },
      }),
      expected: (r) => RECEIVING[r.name],
    },
    {
      mutation: 'cancelTransfer',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($id: ID!) { cancelTransfer(id: $id, reason: "撤回") { id status } }`,
        variables: { id: await fixtures.transfer('out') },
      }),
      expected: (r) => SENDING[r.name],
    },
  ];

  // The geography is read from the database, so the table of cells is made from the names alone.
  const cells = cases.flatMap((writeCase) =>
    relationsFor(writeCase.owner, PLACEHOLDER)
      .filter((relation) => writeCase.expected(relation) !== undefined)
      .map((relation) => [writeCase.mutation, relation.name, writeCase.expected(relation)!, writeCase, relation.name] as const),
  );

  it.each(cells)('%s by the %s: %s', async (_mutation, _name, expected, writeCase, relationName) => {
    const relation = relationsFor(writeCase.owner, g).find((r) => r.name === relationName) as Relation;
    const result = await attempt(stack, db, writeCase, relation);
    expectOutcome(result, expected);
  });

  it('covers every mutation of the two subgraphs', async () => {
    const { body } = await stack.request(`{ __schema { mutationType { fields { name } } } }`, {}, await stack.token({ tier: 'PROVINCE', regionCode: '210000' }));
    const tested = new Set(cases.map((c) => c.mutation.split(' ')[0]));
    const organizationAndMembers = [
      'registerInstitution', 'updateInstitution', 'establishPartyOrganization', 'addInstitutionsToJointBranch', 'removeInstitutionsFromJointBranch',
      'dissolvePartyOrganization', 'assignGuidanceOfficer', 'endGuidanceOfficerAssignment', 'registerMember', 'updateMember', 'advancePartyStatus',
      'extendProbation', 'joinTemporarily', 'leaveTemporary', 'assignRole', 'endRole', 'initiateTransfer', 'confirmTransfer', 'returnTransfer', 'cancelTransfer',
      'importInstitutions', 'importPartyOrganizations', 'importMembers',
    ];
    const offered = body.data.__schema.mutationType.fields.map((f: { name: string }) => f.name);
    for (const mutation of organizationAndMembers) {
      expect(offered).toContain(mutation);
      expect(tested).toContain(mutation);
    }
  });
});
