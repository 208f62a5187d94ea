import { Client } from 'pg';
import { idNumberCheckCharacter } from '../shared/src/id-number';
import { expectRefused } from './helpers/expectations';
import { startStack, type Stack } from './helpers/stack';

/**
 * A county station brings its ledgers in: institutions, Party organizations and people, each as a
 * file of rows sent to one mutation, first as a dry run, then applied, then sent again.
 */

const REPORT = 'dryRun rows created updated unchanged errors { row field code message }';
const IMPORT_MEMBERS = `mutation($rows: [ImportMemberInput!]!, $dryRun: Boolean) { importMembers(rows: $rows, dryRun: $dryRun) { ${REPORT} } }`;
const IMPORT_INSTITUTIONS = `mutation($rows: [ImportInstitutionInput!]!, $dryRun: Boolean) { importInstitutions(rows: $rows, dryRun: $dryRun) { ${REPORT} } }`;
const IMPORT_ORGANIZATIONS = `mutation($rows: [ImportPartyOrganizationInput!]!, $dryRun: Boolean) { importPartyOrganizations(rows: $rows, dryRun: $dryRun) { ${REPORT} } }`;

let serial = 0;
function idNumber(birth: string, region = '210302'): string {
  const first17 = `${region}${birth.replaceAll('-', '')}${String(300 + ++serial).slice(-3)}`;
  return first17 + idNumberCheckCharacter(first17);
}
const lawyerLicence = () => `1210320199${String(2_000_000 + ++serial).slice(-7)}`;
const firmLicence = () => `91210302MA${String(++serial).padStart(7, '0')}X`;

describe('importing ledgers through the gateway', () => {
  let stack: Stack;
  let db: Client;
  let tiedong: string;
  /** 辽宁弘扬律师事务所, a law firm of 铁东区 (210302), and a law firm of 铁西区 (210303). */
  let hongyangLicence: string;
  let tiexiFirmLicence: string;

  const one = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows[0];
  const count = async (sql: string, params: unknown[] = []) => Number((await one(sql, params)).count);

  const lawyer = (overrides: Record<string, unknown> = {}) => {
    const birthDate = (overrides.birthDate as string) ?? '1988-04-12';
    return {
      name: '导入律师', gender: 'FEMALE', ethnicity: '汉族', birthDate, idNumber: idNumber(birthDate), education: 'MASTER',
      phone: '13812340000', institutionLicenseNumber: hongyangLicence, practice: 'LAWYER', licenseNumber: lawyerLicence(), ...overrides,
    };
  };

  beforeAll(async () => {
    stack = await startStack();
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    tiedong = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'], subject: 'tiedong-clerk' });
    hongyangLicence = (await one(`SELECT license_number FROM organization.institution WHERE name = '辽宁弘扬律师事务所'`)).license_number;
    tiexiFirmLicence = (await one(`SELECT license_number FROM organization.institution WHERE region_code = '210303' AND kind = 'LAW_FIRM' ORDER BY name LIMIT 1`))
      .license_number;
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  describe('a ledger of people', () => {
    const rows = () => [
      lawyer({ name: '王晓燕' }),
      lawyer({ name: '李建国', gender: 'MALE', birthDate: '1979-11-02' }),
      { name: '赵站员', gender: 'MALE', ethnicity: '满族', birthDate: '1990-01-20', idNumber: idNumber('1990-01-20'), regionCode: '210302' },
    ];
    let ledger: ReturnType<typeof rows>;
    beforeAll(() => {
      ledger = rows();
    });
    const stored = () => count(`SELECT count(*) FROM members.member WHERE id_number = ANY($1)`, [ledger.map((r) => r.idNumber)]);

    it('a dry run reports what would happen and writes nothing', async () => {
      const audit = await count(`SELECT count(*) FROM members.audit_log`);
      const { body } = await stack.request(IMPORT_MEMBERS, { rows: ledger }, tiedong);
      expect(body.errors).toBeUndefined();
      expect(body.data.importMembers).toEqual({ dryRun: true, rows: 3, created: 3, updated: 0, unchanged: 0, errors: [] });
      expect(await stored()).toBe(0);
      expect(await count(`SELECT count(*) FROM members.audit_log`)).toBe(audit);
    });

    it('applied, it registers every person in one transaction, with an audit row for each and one for the import', async () => {
      const { body } = await stack.request(IMPORT_MEMBERS, { rows: ledger, dryRun: false }, tiedong);
      expect(body.data.importMembers).toEqual({ dryRun: false, rows: 3, created: 3, updated: 0, unchanged: 0, errors: [] });
      const people = await db.query(
        `SELECT name, practice_kind, region_code, institution_id IS NOT NULL AS practising FROM members.member WHERE id_number = ANY($1) ORDER BY name`,
        [ledger.map((r) => r.idNumber)],
      );
      expect(people.rows).toEqual([
        { name: '李建国', practice_kind: 'LAWYER', region_code: '210302', practising: true },
        { name: '王晓燕', practice_kind: 'LAWYER', region_code: '210302', practising: true },
        { name: '赵站员', practice_kind: null, region_code: '210302', practising: false },
      ]);
      const trail = await db.query(`SELECT action, entity FROM members.audit_log WHERE actor = 'tiedong-clerk' ORDER BY id`);
      expect(trail.rows.map((r) => `${r.action} ${r.entity}`)).toEqual([
        'registerMember Member', 'registerMember Member', 'registerMember Member', 'importMembers Import',
      ]);
      const { after } = await one(`SELECT after FROM members.audit_log WHERE action = 'importMembers'`);
      expect(after).toEqual({ rows: 3, created: 3, updated: 0, unchanged: 0 });
    });

    it('the same rows again change nothing', async () => {
      const audit = await count(`SELECT count(*) FROM members.audit_log`);
      const { body } = await stack.request(IMPORT_MEMBERS, { rows: ledger, dryRun: false }, tiedong);
      expect(body.data.importMembers).toEqual({ dryRun: false, rows: 3, created: 0, updated: 0, unchanged: 3, errors: [] });
      expect(await count(`SELECT count(*) FROM members.audit_log`)).toBe(audit);
    });

    it('a row that differs updates its record, under updateMember’s rules', async () => {
      const changed = ledger.map((row, i) => (i === 0 ? { ...row, phone: '13999990000', education: 'DOCTORATE' } : row));
      const { body } = await stack.request(IMPORT_MEMBERS, { rows: changed, dryRun: false }, tiedong);
      expect(body.data.importMembers).toMatchObject({ created: 0, updated: 1, unchanged: 2, errors: [] });
      expect(await one(`SELECT phone, education FROM members.member WHERE id_number = $1`, [ledger[0].idNumber])).toEqual({ phone: '13999990000', education: 'DOCTORATE' });
      const { before, after } = await one(`SELECT before, after FROM members.audit_log WHERE action = 'updateMember' AND entity_id = (SELECT id::text FROM members.member WHERE id_number = $1)`, [ledger[0].idNumber]);
      expect([before.phone, after.phone]).toEqual(['13812340000', '13999990000']);
      const gender = ledger.map((row, i) => (i === 1 ? { ...row, gender: 'FEMALE' } : row));
      const refused = await stack.request(IMPORT_MEMBERS, { rows: gender }, tiedong);
      expect(refused.body.data.importMembers.errors).toEqual([{ row: 2, field: 'gender', code: 'BAD_USER_INPUT', message: expect.stringMatching(/does not change/) }]);
    });

    it('a practitioner whose row names another firm of the sector moves there; a notary office is refused', async () => {
      const other = await one(
        `SELECT id, license_number FROM organization.institution WHERE region_code = '210302' AND kind = 'LAW_FIRM' AND state = 'OPERATING' AND license_number <> $1 ORDER BY name LIMIT 1`,
        [hongyangLicence],
      );
      const notary = await one(`SELECT license_number FROM organization.institution WHERE region_code LIKE '2103%' AND kind = 'NOTARY_OFFICE' LIMIT 1`);
      const refused = await stack.request(IMPORT_MEMBERS, { rows: [{ ...ledger[1], institutionLicenseNumber: notary.license_number }] }, await stack.token({ tier: 'CITY', regionCode: '210300', roles: ['editor'] }));
      expect(refused.body.data.importMembers.errors).toEqual([
        { row: 1, field: 'institutionLicenseNumber', code: 'BAD_USER_INPUT', message: 'a LAWYER cannot practise in a NOTARY_OFFICE.' },
      ]);
      const { body } = await stack.request(IMPORT_MEMBERS, { rows: [{ ...ledger[1], institutionLicenseNumber: other.license_number }], dryRun: false }, tiedong);
      expect(body.data.importMembers).toMatchObject({ updated: 1, errors: [] });
      expect((await one(`SELECT institution_id FROM members.member WHERE id_number = $1`, [ledger[1].idNumber])).institution_id).toBe(other.id);
      ledger[1] = { ...ledger[1], institutionLicenseNumber: other.license_number };
    });

    it('a file with one bad row applies nothing, and says which row and which field', async () => {
      const file = [lawyer({ name: '甲' }), lawyer({ name: '乙' }), lawyer({ name: '丙', idNumber: '210302198804120000' }), lawyer({ name: '丁', phone: '12345' })];
      const { body } = await stack.request(IMPORT_MEMBERS, { rows: file, dryRun: false }, tiedong);
      expect(body.data.importMembers).toEqual({
        dryRun: false,
        rows: 4,
        created: 2,
        updated: 0,
        unchanged: 0,
        errors: [
          { row: 3, field: 'idNumber', code: 'BAD_USER_INPUT', message: 'idNumber is not a valid resident ID number (GB 11643).' },
          { row: 4, field: 'phone', code: 'BAD_USER_INPUT', message: 'phone must be an 11-digit mobile number.' },
        ],
      });
      expect(await count(`SELECT count(*) FROM members.member WHERE name = ANY($1)`, [['甲', '乙']])).toBe(0);
    });

    it('a row of a repeated ID number or licence is an error of the later row', async () => {
      const first = lawyer();
      const { body } = await stack.request(IMPORT_MEMBERS, { rows: [first, { ...lawyer(), idNumber: first.idNumber }, lawyer({ licenseNumber: first.licenseNumber })] }, tiedong);
      expect(body.data.importMembers.errors).toEqual([
        { row: 2, field: 'idNumber', code: 'BAD_USER_INPUT', message: 'the ID number repeats row 1.' },
        { row: 3, field: 'licenseNumber', code: 'BAD_USER_INPUT', message: 'the licence number repeats row 1.' },
      ]);
    });

    it('a county importing a row of another county gets a row error that reads like a missing record', async () => {
      const tiexi = await stack.token({ tier: 'COUNTY', regionCode: '210303', roles: ['editor'] });
      const { body } = await stack.request(
        IMPORT_MEMBERS,
        { rows: [lawyer({ institutionLicenseNumber: tiexiFirmLicence }), { ...ledger[2] }, lawyer({ institutionLicenseNumber: 'NOSUCHLICENCE00000' })], dryRun: false },
        tiedong,
      );
      expect(body.data.importMembers.errors).toEqual([
        { row: 1, field: 'institutionLicenseNumber', code: 'NOT_FOUND', message: `Institution ${tiexiFirmLicence} was not found.` },
        { row: 3, field: 'institutionLicenseNumber', code: 'NOT_FOUND', message: 'Institution NOSUCHLICENCE00000 was not found.' },
      ]);
      // 铁西区 cannot touch a person of 铁东区 either: the record reads as missing.
      const other = await stack.request(IMPORT_MEMBERS, { rows: [ledger[2]] }, tiexi);
      expect(other.body.data.importMembers.errors).toEqual([{ row: 1, field: 'idNumber', code: 'NOT_FOUND', message: `Member ${ledger[2].idNumber} was not found.` }]);
    });

    it('a viewer may not import, and a file of more than 5,000 rows is refused whole', async () => {
      const viewer = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['viewer'] });
      const refused = await stack.request(IMPORT_MEMBERS, { rows: [lawyer()] }, viewer);
      expectRefused(refused, 'FORBIDDEN');
      const big = Array.from({ length: 5001 }, () => ledger[2]);
      const tooMany = await stack.request(IMPORT_MEMBERS, { rows: big }, tiedong);
      expectRefused(tooMany, 'BAD_USER_INPUT', { field: 'rows', message: /at most 5000/ });
    });
  });

  describe('ledgers of institutions and Party organizations', () => {
    const firms = [
      { name: '辽宁导入一律师事务所', kind: 'LAW_FIRM', licenseNumber: firmLicence(), regionCode: '210302', approvedOn: '2017-05-01' },
      { name: '辽宁导入二律师事务所', kind: 'LAW_FIRM', licenseNumber: firmLicence(), regionCode: '210302', approvedOn: '2018-09-10' },
    ];
    const branch = () => ({
      name: '中共铁东区律师行业导入联合支部委员会', kind: 'JOINT_BRANCH', sector: 'LAW_FIRM', regionCode: '210302',
      institutionLicenseNumbers: firms.map((f) => f.licenseNumber), foundedOn: '2019-07-01',
    });

    it('registers institutions, then a joint branch covering them; the same files again change nothing', async () => {
      const dry = await stack.request(IMPORT_INSTITUTIONS, { rows: firms }, tiedong);
      expect(dry.body.data.importInstitutions).toEqual({ dryRun: true, rows: 2, created: 2, updated: 0, unchanged: 0, errors: [] });
      const applied = await stack.request(IMPORT_INSTITUTIONS, { rows: firms, dryRun: false }, tiedong);
      expect(applied.body.data.importInstitutions).toMatchObject({ created: 2, errors: [] });
      const organizations = await stack.request(IMPORT_ORGANIZATIONS, { rows: [branch()], dryRun: false }, tiedong);
      expect(organizations.body.data.importPartyOrganizations).toEqual({ dryRun: false, rows: 1, created: 1, updated: 0, unchanged: 0, errors: [] });
      const covered = await db.query(
        `SELECT i.name, o.kind, p.name AS parent FROM organization.institution i JOIN organization.party_organization o ON o.id = i.party_organization_id
           LEFT JOIN organization.party_organization p ON p.id = o.parent_id WHERE i.license_number = ANY($1) ORDER BY i.name`,
        [firms.map((f) => f.licenseNumber)],
      );
      expect(covered.rows.map((r) => [r.name, r.kind])).toEqual([['辽宁导入一律师事务所', 'JOINT_BRANCH'], ['辽宁导入二律师事务所', 'JOINT_BRANCH']]);
      // Without a parent named, the branch reports to its city's industry committee (行业党委).
      expect(covered.rows[0].parent).toBe('鞍山市律师行业党委');

      const again = await stack.request(IMPORT_INSTITUTIONS, { rows: firms, dryRun: false }, tiedong);
      expect(again.body.data.importInstitutions).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
      const branchAgain = await stack.request(IMPORT_ORGANIZATIONS, { rows: [branch()], dryRun: false }, tiedong);
      expect(branchAgain.body.data.importPartyOrganizations).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
      const trail = await db.query(`SELECT action FROM organization.audit_log WHERE actor = 'tiedong-clerk' ORDER BY id`);
      expect(trail.rows.map((r) => r.action)).toEqual([
        'registerInstitution', 'registerInstitution', 'importInstitutions', 'establishPartyOrganization', 'importPartyOrganizations',
      ]);
    });

    it('renaming or closing a known institution updates it; a row of another county is missing', async () => {
      const renamed = [{ ...firms[0], name: '辽宁导入壹律师事务所' }, { ...firms[1], regionCode: '210303' }];
      const { body } = await stack.request(IMPORT_INSTITUTIONS, { rows: renamed }, tiedong);
      expect(body.data.importInstitutions).toMatchObject({ updated: 1, errors: [{ row: 2, field: 'regionCode', code: 'NOT_FOUND', message: 'Region 210303 was not found.' }] });
      const closed = await stack.request(IMPORT_INSTITUTIONS, { rows: [{ ...firms[1], state: 'CLOSED' }], dryRun: false }, tiedong);
      expect(closed.body.data.importInstitutions).toMatchObject({ updated: 1, errors: [] });
      // A closed institution leaves its joint branch, as updateInstitution has it.
      expect(await one(`SELECT state, party_organization_id FROM organization.institution WHERE license_number = $1`, [firms[1].licenseNumber])).toEqual({
        state: 'CLOSED',
        party_organization_id: null,
      });
      const tiexi = await stack.token({ tier: 'COUNTY', regionCode: '210303', roles: ['editor'] });
      const other = await stack.request(IMPORT_INSTITUTIONS, { rows: [firms[0]] }, tiexi);
      expect(other.body.data.importInstitutions.errors).toEqual([
        { row: 1, field: 'regionCode', code: 'NOT_FOUND', message: 'Region 210302 was not found.' },
      ]);
    });

    it('a known joint branch takes on a newly listed institution, as addInstitutionsToJointBranch would', async () => {
      const third = { name: '辽宁导入三律师事务所', kind: 'LAW_FIRM', licenseNumber: firmLicence(), regionCode: '210302', approvedOn: '2019-01-02' };
      await stack.request(IMPORT_INSTITUTIONS, { rows: [third], dryRun: false }, tiedong);
      const grown = { ...branch(), institutionLicenseNumbers: [firms[0].licenseNumber, third.licenseNumber] };
      const { body } = await stack.request(IMPORT_ORGANIZATIONS, { rows: [grown], dryRun: false }, tiedong);
      expect(body.data.importPartyOrganizations).toEqual({ dryRun: false, rows: 1, created: 0, updated: 1, unchanged: 0, errors: [] });
      const covered = await db.query(
        `SELECT i.name FROM organization.institution i JOIN organization.party_organization o ON o.id = i.party_organization_id WHERE o.name = $1 ORDER BY i.name`,
        [branch().name],
      );
      expect(covered.rows.map((r) => r.name)).toEqual(['辽宁导入一律师事务所', '辽宁导入三律师事务所']);
      const { before, after } = await one(`SELECT before, after FROM organization.audit_log WHERE action = 'addInstitutionsToJointBranch' ORDER BY id DESC LIMIT 1`);
      expect([before.institutionIds.length, after.institutionIds.length]).toEqual([1, 2]);
    });

    it('an organization row breaking establishPartyOrganization’s rules is a row error', async () => {
      const { body } = await stack.request(
        IMPORT_ORGANIZATIONS,
        {
          rows: [
            { ...branch(), name: '独立支部', kind: 'STANDALONE_BRANCH', institutionLicenseNumbers: [firms[0].licenseNumber] },
            { ...branch(), name: '县行业党委', kind: 'INDUSTRY_COMMITTEE', institutionLicenseNumbers: [] },
            { ...branch(), name: '别县支部', institutionLicenseNumbers: [tiexiFirmLicence] },
          ],
        },
        tiedong,
      );
      expect(body.data.importPartyOrganizations.errors).toEqual([
        // Each broken rule of a row is an error of its own.
        { row: 1, field: 'institutionLicenseNumbers', code: 'CONFLICT', message: expect.stringMatching(/already covered/) },
        { row: 1, field: 'institutionLicenseNumbers', code: 'BAD_USER_INPUT', message: 'a standalone branch needs at least 3 full Party members in its institution; it has 0.' },
        { row: 2, field: 'regionCode', code: 'BAD_USER_INPUT', message: 'an industry committee is set up for a province or a city.' },
        { row: 3, field: 'institutionLicenseNumbers', code: 'NOT_FOUND', message: `Institution ${tiexiFirmLicence} was not found.` },
      ]);
    });
  });
});
