import type { Client } from 'pg';
import { idNumberCheckCharacter } from '../shared/src/id-number';
import { todayInChina } from '../shared/src/validation';
import { expectNoErrors } from './helpers/expectations';
import { startStack, type Stack } from './helpers/stack';
import { describeWriteMatrix, type Outcome, type RelationName, type WriteCase, type World } from './helpers/write-matrix';

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

/** Expectations by kind of record; a relation a table leaves out does not exist for its records. */
type Expectations = Partial<Record<RelationName, Outcome>>;
const STRUCTURE: Expectations = {
  'owner’s tier': 'ALLOWED',
  'tier above: city': 'ALLOWED',
  'tier above: province': 'ALLOWED',
  // Below a city: the county cannot see a city's own records.
  'tier below: county': 'NOT_FOUND',
  'sibling county': 'NOT_FOUND',
  'another city': 'NOT_FOUND',
  // A branch writes no structure, whatever it can see.
  'BRANCH: own organization': 'FORBIDDEN',
  'BRANCH: other organization': 'FORBIDDEN',
  'BRANCH: temporary host': 'FORBIDDEN',
  'VIEWER at the owner’s tier': 'FORBIDDEN',
};
const MEMBER_RECORD: Expectations = {
  ...STRUCTURE,
  'BRANCH: own organization': 'ALLOWED',
  'BRANCH: other organization': 'NOT_FOUND',
  // The host sees its temporary participant but does not hold the formal relation.
  'BRANCH: temporary host': 'FORBIDDEN',
};
/** People are registered by stations. */
const REGISTRATION: Expectations = { ...MEMBER_RECORD, 'BRANCH: own organization': 'FORBIDDEN', 'BRANCH: other organization': 'FORBIDDEN', 'BRANCH: temporary host': 'FORBIDDEN' };
/** A role record belongs to the place where it is held: the host branch does not see the guest's roles. */
const ROLE_RECORD: Expectations = { ...MEMBER_RECORD, 'BRANCH: temporary host': 'NOT_FOUND' };
/** A transfer from the other city to the owner's branch: the receiving side answers it; the sender sees it and may not. */
const RECEIVING: Expectations = { ...ROLE_RECORD, 'another city': 'FORBIDDEN' };
/** A transfer from the owner's branch to the other city: the sending side cancels it; the receiver sees it and may not. */
const SENDING = RECEIVING;
/** An assignment the city station made to an institution of the county: the county sees it and may not end it. */
const CITY_ASSIGNMENT: Expectations = { ...STRUCTURE, 'tier below: county': 'FORBIDDEN' };

describe('who may change what: organization and members', () => {
  let stack: Stack;
  let db: Client;
  let world: World;
  /** Branches of 铁东区: the one holding the members' formal relation, another, and one they take part in temporarily. */
  let ownBranch: string;
  let hostBranch: string;
  /** 鞍山市铁东区 (210302): its station and a guidance officer of it; the Anshan city station and one of its officers. */
  let countyStation: string;
  let countyOfficer: string;
  let cityStation: string;
  let cityOfficer: string;
  /** A branch in 抚顺市新抚区 (210402), in the other city. */
  let fushunBranch: string;
  /** The institution whose standalone branch holds the members' formal relation. */
  let ownInstitution: string;
  /** The own branch's democratic appraisal of 2019, in the activities subgraph. */
  let appraisalMeeting: string;
  let ownLicence: string;

  const one = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows[0];

  beforeAll(async () => {
    stack = await startStack();
    db = await stack.database();
    const orgByName = async (name: string) => (await one(`SELECT id FROM organization.party_organization WHERE name = $1`, [name])).id as string;
    ownInstitution = (await one(`SELECT id FROM organization.institution WHERE name = '辽宁弘扬律师事务所'`)).id;
    ownLicence = (await one(`SELECT license_number FROM organization.institution WHERE id = $1`, [ownInstitution])).license_number;
    ownBranch = (await one(`SELECT party_organization_id AS id FROM organization.institution WHERE id = $1`, [ownInstitution])).id;
    hostBranch = await orgByName('中共鞍山市铁东区律师行业第1联合支部委员会');
    const branch = (organizationId: string) => ({ tier: 'BRANCH' as const, regionCode: '210302', organizationId });
    world = {
      province: { tier: 'PROVINCE', regionCode: '210000' },
      city: { tier: 'CITY', regionCode: '210300' },
      county: { tier: 'COUNTY', regionCode: '210302' },
      siblingCounty: { tier: 'COUNTY', regionCode: '210303' },
      otherCity: { tier: 'CITY', regionCode: '210400' },
      ownBranch: branch(ownBranch),
      otherBranch: branch(await orgByName('中共鞍山市公证处支部委员会')),
      hostBranch: branch(hostBranch),
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
    appraisalMeeting = (await one(
      `INSERT INTO activities.activity (kind, title, held_on, duration_hours, organizer_organization_id, region_code)
       VALUES ('DEMOCRATIC_APPRAISAL', '矩阵民主评议党员', '2019-12-10', 2.5, $1, '210302') RETURNING id`,
      [ownBranch],
    )).id;
  });
  afterAll(() => stack?.stop());

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
    member: async (status: 'FULL' | 'PROBATIONARY' = 'FULL', organizationId = ownBranch, region = '210302', institutionId: string | null = ownInstitution) => {
      const joinedOn = status === 'FULL' ? '2015-01-10' : daysAgo(200);
      const { id } = await one(
        `INSERT INTO members.member (name, gender, ethnicity, birth_date, id_number, phone, practice_kind, license_number, institution_id, region_code,
                                     party_status, applied_on, activist_on, candidate_on, joined_on, full_on, organization_id)
         VALUES ($1, 'FEMALE', '汉族', '1980-05-05', $2, '13912345678', 'LAWYER', $3, $4, $5, $6, '2012-01-01', '2012-06-01', '2013-06-01', $7, $8, $9)
         RETURNING id`,
        [`矩阵党员${next()}`, idNumber('1980-05-05', region), lawyerLicence(), institutionId, region, status, joinedOn, status === 'FULL' ? '2016-01-10' : null, organizationId],
      );
      await db.query(`INSERT INTO members.organization_membership (member_id, organization_id, from_date) VALUES ($1, $2, $3)`, [id, organizationId, joinedOn]);
      if (organizationId === ownBranch) {
        await db.query(`INSERT INTO members.temporary_participation (member_id, organization_id, started_on) VALUES ($1, $2, '2019-03-01')`, [id, hostBranch]);
      }
      return id as string;
    },
    role: async (memberId: string) =>
      (await one(
        `INSERT INTO members.role_assignment (member_id, kind, organization_id, region_code, started_on) VALUES ($1, 'PARTY_WORKER', $2, '210302', '2019-01-01') RETURNING id`,
        [memberId, ownBranch],
      )).id as string,
    vanguardPost: async (memberId: string) =>
      (await one(
        `INSERT INTO members.vanguard_post (member_id, kind, title, institution_id, organization_id, started_on)
         VALUES ($1, 'VANGUARD_POST', '法律援助先锋岗', $2, $3, '2019-03-01') RETURNING id`,
        [memberId, ownInstitution, ownBranch],
      )).id as string,
    pledge: async (memberId: string) =>
      (await one(
        `INSERT INTO members.member_pledge (member_id, year, institution_id, organization_id, commitment, pledged_on)
         VALUES ($1, 2019, $2, $3, '带头参加公益法律服务', '2019-04-01') RETURNING id`,
        [memberId, ownInstitution, ownBranch],
      )).id as string,
    /** Dues of 120 yuan a month (an 8,000-yuan base at 1.5%), owed from January 2019. */
    dues: async (memberId: string) => {
      await db.query(
        `INSERT INTO members.member_dues (member_id, category, base_fen, rate_bp, monthly_fen, from_month, owed_from)
         VALUES ($1, 'EMPLOYED', 800000, 150, 12000, '2019-01-01', '2019-01-01')`,
        [memberId],
      );
      return memberId;
    },
    transfer: async (direction: 'in' | 'out') => {
      const [from, to, fromRegion, toRegion] =
        direction === 'out' ? [ownBranch, fushunBranch, '210302', '210402'] : [fushunBranch, ownBranch, '210402', '210302'];
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
      record: 'a new institution of a county',
      subgraph: 'organization',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($input: RegisterInstitutionInput!) { registerInstitution(input: $input) { id } }`,
        variables: { input: { name: `矩阵新所${next()}`, kind: 'LAW_FIRM', licenseNumber: firmLicence(), regionCode: '210302', approvedOn: '2019-03-01' } },
      }),
      expected: (r) => STRUCTURE[r],
    },
    {
      mutation: 'updateInstitution',
      record: 'an institution of a county',
      subgraph: 'organization',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($id: ID!) { updateInstitution(id: $id, input: { name: "改名律师事务所" }) { id name } }`,
        variables: { id: await fixtures.institution() },
      }),
      expected: (r) => STRUCTURE[r],
    },
    {
      mutation: 'establishPartyOrganization',
      record: 'a joint branch of a county',
      subgraph: 'organization',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($input: EstablishPartyOrganizationInput!) { establishPartyOrganization(input: $input) { id } }`,
        variables: {
          input: { name: `矩阵新支部${next()}`, kind: 'JOINT_BRANCH', sector: 'LAW_FIRM', regionCode: '210302', institutionIds: [await fixtures.institution()], foundedOn: '2019-05-01' },
        },
      }),
      expected: (r) => STRUCTURE[r],
    },
    {
      mutation: 'establishPartyOrganization (city joint branch)',
      record: 'a joint branch across two counties of a city',
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
      expected: (r) => STRUCTURE[r],
    },
    {
      mutation: 'addInstitutionsToJointBranch',
      record: 'a joint branch of a county',
      subgraph: 'organization',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($org: ID!, $ids: [ID!]!) { addInstitutionsToJointBranch(organizationId: $org, institutionIds: $ids) { id } }`,
        variables: { org: await fixtures.jointBranch([await fixtures.institution()]), ids: [await fixtures.institution()] },
      }),
      expected: (r) => STRUCTURE[r],
    },
    {
      mutation: 'removeInstitutionsFromJointBranch',
      record: 'a joint branch of a county',
      subgraph: 'organization',
      owner: 'COUNTY',
      build: async () => {
        const [a, b] = [await fixtures.institution(), await fixtures.institution()];
        return {
          query: `mutation($org: ID!, $ids: [ID!]!) { removeInstitutionsFromJointBranch(organizationId: $org, institutionIds: $ids) { id } }`,
          variables: { org: await fixtures.jointBranch([a, b]), ids: [b] },
        };
      },
      expected: (r) => STRUCTURE[r],
    },
    {
      mutation: 'dissolvePartyOrganization',
      record: 'a joint branch of a county',
      subgraph: 'organization',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($id: ID!) { dissolvePartyOrganization(id: $id, dissolvedOn: "2019-12-01", reason: "合并") { id } }`,
        variables: { id: await fixtures.jointBranch([await fixtures.institution()]) },
      }),
      expected: (r) => STRUCTURE[r],
    },
    {
      mutation: 'dissolvePartyOrganization (city joint branch)',
      record: 'a joint branch across two counties of a city',
      subgraph: 'organization',
      owner: 'CITY',
      build: async () => ({
        query: `mutation($id: ID!) { dissolvePartyOrganization(id: $id, dissolvedOn: "2019-12-01", reason: "合并") { id } }`,
        variables: { id: await fixtures.jointBranch([await fixtures.institution('210302'), await fixtures.institution('210303')], '210300') },
      }),
      expected: (r) => STRUCTURE[r],
    },
    {
      mutation: 'assignGuidanceOfficer',
      record: 'an institution of a county, by the county station',
      subgraph: 'organization',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($input: AssignGuidanceOfficerInput!) { assignGuidanceOfficer(input: $input) { id } }`,
        variables: { input: { officerId: countyOfficer, stationId: countyStation, institutionId: await fixtures.institution(), startedOn: '2019-05-01' } },
      }),
      expected: (r) => STRUCTURE[r],
    },
    {
      mutation: 'assignGuidanceOfficer (from the city station)',
      record: 'an institution of a county, by the city station',
      subgraph: 'organization',
      owner: 'CITY',
      build: async () => ({
        query: `mutation($input: AssignGuidanceOfficerInput!) { assignGuidanceOfficer(input: $input) { id } }`,
        variables: { input: { officerId: cityOfficer, stationId: cityStation, institutionId: await fixtures.institution(), startedOn: '2019-05-01' } },
      }),
      expected: (r) => STRUCTURE[r],
    },
    {
      mutation: 'endGuidanceOfficerAssignment',
      record: 'the county station’s assignment',
      subgraph: 'organization',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($id: ID!) { endGuidanceOfficerAssignment(id: $id, endedOn: "2019-11-30") { id endedOn } }`,
        variables: { id: await fixtures.assignment(countyStation, countyOfficer) },
      }),
      expected: (r) => STRUCTURE[r],
    },
    {
      mutation: 'endGuidanceOfficerAssignment (made by the city station)',
      record: 'the city station’s assignment to an institution of a county',
      subgraph: 'organization',
      owner: 'CITY',
      build: async () => ({
        query: `mutation($id: ID!) { endGuidanceOfficerAssignment(id: $id, endedOn: "2019-11-30") { id endedOn } }`,
        variables: { id: await fixtures.assignment(cityStation, cityOfficer) },
      }),
      expected: (r) => CITY_ASSIGNMENT[r],
    },
    {
      mutation: 'importInstitutions',
      record: 'a new institution of a county, by import',
      subgraph: 'organization',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($rows: [ImportInstitutionInput!]!) { importInstitutions(rows: $rows, dryRun: false) { created errors { row field code message } } }`,
        variables: { rows: [{ name: `矩阵导入所${next()}`, kind: 'LAW_FIRM', licenseNumber: firmLicence(), regionCode: '210302', approvedOn: '2019-03-01' }] },
      }),
      expected: (r) => STRUCTURE[r],
    },
    {
      mutation: 'importInstitutions (a known institution renamed)',
      record: 'an institution of a county, by import',
      subgraph: 'organization',
      owner: 'COUNTY',
      build: async () => {
        const institution = await one(`SELECT license_number FROM organization.institution WHERE id = $1`, [await fixtures.institution()]);
        return {
          query: `mutation($rows: [ImportInstitutionInput!]!) { importInstitutions(rows: $rows, dryRun: false) { updated errors { row field code message } } }`,
          variables: { rows: [{ name: `矩阵改名所${next()}`, kind: 'LAW_FIRM', licenseNumber: institution.license_number, regionCode: '210302' }] },
        };
      },
      expected: (r) => STRUCTURE[r],
    },
    {
      mutation: 'importPartyOrganizations',
      record: 'a joint branch of a county, by import',
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
      expected: (r) => STRUCTURE[r],
    },

    // members: a member record belongs to the tier holding the formal relation.
    {
      mutation: 'registerMember',
      record: 'a new member of a county institution',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`,
        variables: {
          input: { name: '矩阵新人', gender: 'MALE', ethnicity: '汉族', birthDate: '1990-02-02', idNumber: idNumber('1990-02-02'), institutionId: ownInstitution, licenseNumber: lawyerLicence() },
        },
      }),
      expected: (r) => REGISTRATION[r],
    },
    {
      mutation: 'importMembers (a new person)',
      record: 'a new member of a county institution, by import',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($rows: [ImportMemberInput!]!) { importMembers(rows: $rows, dryRun: false) { created errors { row field code message } } }`,
        variables: {
          rows: [{ name: '矩阵导入', gender: 'MALE', ethnicity: '汉族', birthDate: '1990-02-02', idNumber: idNumber('1990-02-02'), institutionLicenseNumber: ownLicence, licenseNumber: lawyerLicence() }],
        },
      }),
      expected: (r) => REGISTRATION[r],
    },
    {
      mutation: 'importMembers (a known person)',
      record: 'a member whose branch is in a county, by import',
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
      expected: (r) => MEMBER_RECORD[r],
    },
    {
      mutation: 'updateMember',
      record: 'a member whose branch is in a county',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($id: ID!) { updateMember(id: $id, input: { name: "改名", phone: "13700000000" }) { id } }`,
        variables: { id: await fixtures.member() },
      }),
      expected: (r) => MEMBER_RECORD[r],
    },
    {
      mutation: 'advancePartyStatus',
      record: 'a probationary member whose branch is in a county',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => {
        const id = await fixtures.member('PROBATIONARY');
        await db.query(`UPDATE members.member SET joined_on = '2018-01-10' WHERE id = $1`, [id]);
        return { query: `mutation($id: ID!) { advancePartyStatus(id: $id, input: { to: FULL, on: "2019-01-10" }) { id } }`, variables: { id } };
      },
      expected: (r) => MEMBER_RECORD[r],
    },
    {
      mutation: 'extendProbation',
      record: 'a probationary member whose branch is in a county',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($id: ID!, $until: Date!) { extendProbation(id: $id, until: $until, reason: "考察") { id } }`,
        variables: { id: await fixtures.member('PROBATIONARY'), until: daysAgo(-365) },
      }),
      expected: (r) => MEMBER_RECORD[r],
    },
    {
      mutation: 'joinTemporarily',
      record: 'a member whose branch is in a county',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($m: ID!, $o: ID!) { joinTemporarily(memberId: $m, organizationId: $o, startedOn: "2019-09-01") { id } }`,
        variables: { m: await fixtures.member(), o: fushunBranch },
      }),
      expected: (r) => MEMBER_RECORD[r],
    },
    {
      mutation: 'leaveTemporary',
      record: 'a member’s temporary participation',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($m: ID!, $o: ID!) { leaveTemporary(memberId: $m, organizationId: $o, endedOn: "2019-10-01") { id } }`,
        variables: { m: await fixtures.member(), o: hostBranch },
      }),
      expected: (r) => MEMBER_RECORD[r],
    },
    {
      mutation: 'assignRole',
      record: 'a member whose branch is in a county',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($input: AssignRoleInput!) { assignRole(input: $input) { id } }`,
        variables: { input: { memberId: await fixtures.member(), kind: 'PARTY_WORKER', organizationId: ownBranch, startedOn: '2019-05-01' } },
      }),
      expected: (r) => MEMBER_RECORD[r],
    },
    {
      mutation: 'endRole',
      record: 'a role held in a county branch',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($id: ID!) { endRole(id: $id, endedOn: "2019-10-01") { id } }`,
        variables: { id: await fixtures.role(await fixtures.member()) },
      }),
      expected: (r) => ROLE_RECORD[r],
    },
    {
      mutation: 'initiateTransfer',
      record: 'a member whose branch is in a county',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($input: InitiateTransferInput!) { initiateTransfer(input: $input) { id } }`,
        variables: { input: { memberId: await fixtures.member(), toOrganizationId: fushunBranch, letterNumber: `矩阵${next()}`, initiatedOn: daysAgo(3) } },
      }),
      expected: (r) => MEMBER_RECORD[r],
    },
    {
      mutation: 'confirmTransfer',
      record: 'a transfer into a county branch',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($id: ID!, $on: Date!) { confirmTransfer(id: $id, receivedOn: $on) { id status } }`,
        variables: { id: await fixtures.transfer('in'), on: daysAgo(1) },
      }),
      expected: (r) => RECEIVING[r],
    },
    {
      mutation: 'returnTransfer',
      record: 'a transfer into a county branch',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($id: ID!) { returnTransfer(id: $id, reason: "材料不全") { id status } }`,
        variables: { id: await fixtures.transfer('in') },
      }),
      expected: (r) => RECEIVING[r],
    },
    {
      mutation: 'cancelTransfer',
      record: 'a transfer out of a county branch',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($id: ID!) { cancelTransfer(id: $id, reason: "撤回") { id status } }`,
        variables: { id: await fixtures.transfer('out') },
      }),
      expected: (r) => SENDING[r],
    },

    // member facts: written to the member record, so they belong to its owner.
    {
      mutation: 'recordAppraisal',
      record: 'a grade of a member whose branch is in a county',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($input: RecordAppraisalInput!) { recordAppraisal(input: $input) { id grade } }`,
        variables: { input: { memberId: await fixtures.member(), year: 2019, grade: 'QUALIFIED', activityId: appraisalMeeting } },
      }),
      expected: (r) => MEMBER_RECORD[r],
    },
    {
      mutation: 'recordVanguardPost',
      record: 'a vanguard post of a member whose branch is in a county',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($input: RecordVanguardPostInput!) { recordVanguardPost(input: $input) { id } }`,
        variables: { input: { memberId: await fixtures.member(), kind: 'VANGUARD_POST', title: '法律援助先锋岗', startedOn: '2019-03-01' } },
      }),
      expected: (r) => MEMBER_RECORD[r],
    },
    {
      mutation: 'closeVanguardPost',
      record: 'a vanguard post of a member whose branch is in a county',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($id: ID!) { closeVanguardPost(id: $id, endedOn: "2019-12-31") { id endedOn } }`,
        variables: { id: await fixtures.vanguardPost(await fixtures.member()) },
      }),
      expected: (r) => MEMBER_RECORD[r],
    },
    {
      mutation: 'recordPledge',
      record: 'a pledge of a member whose branch is in a county',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($input: RecordPledgeInput!) { recordPledge(input: $input) { id } }`,
        variables: { input: { memberId: await fixtures.member(), year: 2019, commitment: '带头参加公益法律服务', pledgedOn: '2019-04-01' } },
      }),
      expected: (r) => MEMBER_RECORD[r],
    },
    {
      mutation: 'closePledge',
      record: 'a pledge of a member whose branch is in a county',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($id: ID!) { closePledge(id: $id, closedOn: "2019-12-31") { id closedOn } }`,
        variables: { id: await fixtures.pledge(await fixtures.member()) },
      }),
      expected: (r) => MEMBER_RECORD[r],
    },
    {
      mutation: 'setDuesBase',
      record: 'the dues of a member whose branch is in a county',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($m: ID!) { setDuesBase(memberId: $m, input: { category: EMPLOYED, base: 8000, fromMonth: "2019-01" }) { monthlyAmount } }`,
        variables: { m: await fixtures.member() },
      }),
      expected: (r) => MEMBER_RECORD[r],
    },
    {
      mutation: 'recordDuesPayment',
      record: 'the dues of a member whose branch is in a county',
      subgraph: 'members',
      owner: 'COUNTY',
      build: async () => ({
        query: `mutation($m: ID!) { recordDuesPayment(memberId: $m, month: "2019-01", amount: 120) { paidThrough } }`,
        variables: { m: await fixtures.dues(await fixtures.member()) },
      }),
      expected: (r) => MEMBER_RECORD[r],
    },
  ];

  describeWriteMatrix('each mutation, by each caller', cases, () => ({ stack, db, world }));

  it('covers every mutation of the two subgraphs', async () => {
    const schema = expectNoErrors(
      await stack.request<{ __schema: { mutationType: { fields: { name: string }[] } } }>(
        `{ __schema { mutationType { fields { name } } } }`,
        {},
        await stack.token({ tier: 'PROVINCE', regionCode: '210000' }),
      ),
    );
    const tested = new Set(cases.map((c) => c.mutation.split(' ')[0]));
    const organizationAndMembers = [
      'registerInstitution', 'updateInstitution', 'establishPartyOrganization', 'addInstitutionsToJointBranch', 'removeInstitutionsFromJointBranch',
      'dissolvePartyOrganization', 'assignGuidanceOfficer', 'endGuidanceOfficerAssignment', 'registerMember', 'updateMember', 'advancePartyStatus',
      'extendProbation', 'joinTemporarily', 'leaveTemporary', 'assignRole', 'endRole', 'initiateTransfer', 'confirmTransfer', 'returnTransfer', 'cancelTransfer',
      'recordAppraisal', 'recordVanguardPost', 'closeVanguardPost', 'recordPledge', 'closePledge', 'setDuesBase', 'recordDuesPayment',
      'importInstitutions', 'importPartyOrganizations', 'importMembers',
    ];
    const offered = schema.__schema.mutationType.fields.map((f) => f.name);
    for (const mutation of organizationAndMembers) {
      expect(offered).toContain(mutation);
      expect(tested).toContain(mutation);
    }
  });
});
