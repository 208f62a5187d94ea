import type { Client } from 'pg';
import { startStack, type Stack } from './helpers/stack';
import { expectNoErrors } from './helpers/expectations';

/** Counts the rows themselves; the tests narrow it to what a branch sees. */
const recountSql = (institutions = 'true', organizations = 'true') => `
  SELECT region_code, sector, sum(institutions)::int AS institutions, sum(standalone)::int AS standalone, sum(joint)::int AS joint,
         sum(party_organizations)::int AS party_organizations, sum(standalone_branches)::int AS standalone_branches,
         sum(joint_branches)::int AS joint_branches
    FROM (SELECT i.region_code, i.kind AS sector, 1 AS institutions,
                 coalesce(po.kind IN ('STANDALONE_BRANCH', 'GENERAL_BRANCH'), false)::int AS standalone,
                 coalesce(po.kind = 'JOINT_BRANCH', false)::int AS joint,
                 0 AS party_organizations, 0 AS standalone_branches, 0 AS joint_branches
            FROM organization.institution i LEFT JOIN organization.party_organization po ON po.id = i.party_organization_id
           WHERE i.state = 'OPERATING' AND ${institutions}
          UNION ALL
          SELECT o.region_code, o.sector, 0, 0, 0,
                 (o.kind <> 'INDUSTRY_COMMITTEE')::int, (o.kind = 'STANDALONE_BRANCH')::int, (o.kind = 'JOINT_BRANCH')::int
            FROM organization.party_organization o WHERE o.dissolved_on IS NULL AND ${organizations}) AS counted
   GROUP BY 1, 2
  HAVING sum(institutions) <> 0 OR sum(party_organizations) <> 0
   ORDER BY 1, 2`;
const RECOUNT = recountSql();
const COUNTERS = `
  SELECT region_code, sector, institutions, standalone, joint, party_organizations, standalone_branches, joint_branches
    FROM organization.coverage_region_stats WHERE institutions <> 0 OR party_organizations <> 0 ORDER BY 1, 2`;

const REGISTER = `mutation($input: RegisterInstitutionInput!) { registerInstitution(input: $input) { id } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateInstitutionInput!) { updateInstitution(id: $id, input: $input) { id } }`;
const ESTABLISH = `mutation($input: EstablishPartyOrganizationInput!) { establishPartyOrganization(input: $input) { id } }`;
const ADD = `mutation($org: ID!, $ids: [ID!]!) { addInstitutionsToJointBranch(organizationId: $org, institutionIds: $ids) { id } }`;
const REMOVE = `mutation($org: ID!, $ids: [ID!]!) { removeInstitutionsFromJointBranch(organizationId: $org, institutionIds: $ids) { id } }`;
const DISSOLVE = `mutation($id: ID!) { dissolvePartyOrganization(id: $id, dissolvedOn: "2019-12-31", reason: "merged") { id } }`;
const COVERAGE = `query($code: ID!, $kind: InstitutionKind) {
  region(code: $code) { coverage(kind: $kind) { institutions standalone joint partyOrganizations standaloneBranches jointBranches } }
}`;

/** The recount's rows for one region subtree, summed the way `Region.coverage` reports them. */
function coverageOf(recount: Record<string, any>[], prefix: string, sector: string | null) {
  const rows = recount.filter((r) => r.region_code.startsWith(prefix) && (sector === null || r.sector === sector));
  const sum = (column: string) => rows.reduce((total, r) => total + r[column], 0);
  return {
    institutions: sum('institutions'),
    standalone: sum('standalone'),
    joint: sum('joint'),
    partyOrganizations: sum('party_organizations'),
    standaloneBranches: sum('standalone_branches'),
    jointBranches: sum('joint_branches'),
  };
}

describe('region coverage kept as counters', () => {
  let stack: Stack;
  let db: Client;

  beforeAll(async () => {
    stack = await startStack();
    db = await stack.database();
  });
  afterAll(() => stack?.stop());

  it('the province sees the same coverage of the demo dataset as a full recount', async () => {
    expect((await db.query(COUNTERS)).rows).toEqual((await db.query(RECOUNT)).rows);
  });

  it('a county station registers firms, sets up, changes and dissolves joint branches, and corrections are made in the database: coverage still equals a full recount', async () => {
    const editor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'] });
    const firms: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { registerInstitution } = expectNoErrors(await stack.request(
        REGISTER,
        { input: { name: `覆盖计数${i}律师事务所`, kind: 'LAW_FIRM', licenseNumber: `31210302MD${String(900 + i).padStart(7, '0')}X`, regionCode: '210302', approvedOn: '2019-03-01' } },
        editor,
      )) as any;
      firms.push(registerInstitution.id);
    }
    const establish = async (name: string, ids: string[]) =>
      ((expectNoErrors(await stack.request(
        ESTABLISH,
        { input: { name, kind: 'JOINT_BRANCH', sector: 'LAW_FIRM', regionCode: '210302', institutionIds: ids, foundedOn: '2019-07-01' } },
        editor,
      )) as any).establishPartyOrganization.id as string);
    const kept = await establish('中共铁东区覆盖计数第一联合支部委员会', firms.slice(0, 2));
    expectNoErrors(await stack.request(ADD, { org: kept, ids: [firms[2]] }, editor));
    expectNoErrors(await stack.request(REMOVE, { org: kept, ids: [firms[0]] }, editor));
    // Closing a covered firm takes it out of its joint branch and out of the operating count.
    expectNoErrors(await stack.request(UPDATE, { id: firms[1], input: { state: 'CLOSED' } }, editor));
    const dissolved = await establish('中共铁东区覆盖计数第二联合支部委员会', [firms[3], firms[4]]);
    expectNoErrors(await stack.request(DISSOLVE, { id: dissolved }, editor));
    const regrouped = await establish('中共铁东区覆盖计数第三联合支部委员会', [firms[4], firms[5]]);
    expect((await db.query(COUNTERS)).rows).toEqual((await db.query(RECOUNT)).rows);

    // Corrections made straight in the database are counted too: the triggers see every write.
    // A new kind changes how every institution linked to the organization is covered.
    await db.query(`UPDATE organization.party_organization SET kind = 'GENERAL_BRANCH' WHERE id = $1`, [regrouped]);
    await db.query(
      `UPDATE organization.party_organization SET kind = 'JOINT_BRANCH'
        WHERE id = (SELECT party_organization_id FROM organization.institution WHERE name = '辽宁弘扬律师事务所')`,
    );
    await db.query(`UPDATE organization.institution SET region_code = '210303' WHERE id = $1`, [firms[2]]);
    await db.query(`UPDATE organization.institution SET state = 'OPERATING' WHERE id = $1`, [firms[1]]);
    await db.query(`UPDATE organization.institution SET kind = 'NOTARY_OFFICE' WHERE id = $1`, [firms[0]]);
    await db.query(`UPDATE organization.party_organization SET region_code = '210303', sector = 'NOTARY_OFFICE' WHERE id = $1`, [kept]);
    await db.query(`UPDATE organization.party_organization SET dissolved_on = NULL, dissolution_reason = NULL WHERE id = $1`, [dissolved]);
    await db.query(`UPDATE organization.institution SET party_organization_id = $2 WHERE id = $1`, [firms[3], regrouped]);
    await db.query(`DELETE FROM organization.institution WHERE id = $1`, [firms[5]]);
    await db.query(`UPDATE organization.institution SET party_organization_id = NULL WHERE id = $1`, [firms[4]]);
    await db.query(`UPDATE organization.institution SET party_organization_id = NULL WHERE party_organization_id = $1`, [regrouped]);
    await db.query(`DELETE FROM organization.party_organization WHERE id = $1`, [regrouped]);
    expect((await db.query(COUNTERS)).rows).toEqual((await db.query(RECOUNT)).rows);
  });

  it('every tier reads a region’s coverage as a full recount gives it: a station from the counters, a branch for its own organization', async () => {
    const recount = (await db.query(RECOUNT)).rows;
    const coverage = async (token: string, code: string, kind: string | null) =>
      (expectNoErrors(await stack.request(COVERAGE, { code, kind }, token)) as any).region.coverage;

    const province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
    expect(await coverage(province, '210302', 'LAW_FIRM')).toEqual(coverageOf(recount, '210302', 'LAW_FIRM'));
    expect(await coverage(province, '210300', null)).toEqual(coverageOf(recount, '2103', null));
    expect(await coverage(province, '210000', 'LAW_FIRM')).toEqual(coverageOf(recount, '21', 'LAW_FIRM'));

    const city = await stack.token({ tier: 'CITY', regionCode: '210300' });
    expect(await coverage(city, '210300', 'LAW_FIRM')).toEqual(coverageOf(recount, '2103', 'LAW_FIRM'));
    const county = await stack.token({ tier: 'COUNTY', regionCode: '210303' });
    expect(await coverage(county, '210303', 'NOTARY_OFFICE')).toEqual(coverageOf(recount, '210303', 'NOTARY_OFFICE'));

    // A branch sees its own organization and the institutions it covers, which no region counter holds.
    const hongyang = (await db.query(
      `SELECT party_organization_id AS id, region_code FROM organization.institution WHERE name = '辽宁弘扬律师事务所'`,
    )).rows[0];
    const ownRecount = (await db.query(recountSql('i.party_organization_id = $1', 'o.id = $1'), [hongyang.id])).rows;
    const branch = await stack.token({ tier: 'BRANCH', regionCode: hongyang.region_code, organizationId: hongyang.id });
    const own = await coverage(branch, hongyang.region_code, 'LAW_FIRM');
    expect(own).toEqual(coverageOf(ownRecount, hongyang.region_code, 'LAW_FIRM'));
    expect(own.partyOrganizations).toBe(1);
  });

  it('a page that shows several sectors, by name, by variable, in fragments or all summed, reads each as a full recount gives it', async () => {
    const recount = (await db.query(RECOUNT)).rows;
    const province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
    const counts = 'fragment counts on Coverage { institutions standalone joint partyOrganizations standaloneBranches jointBranches }';
    const several = `query($code: ID!, $kind: InstitutionKind) {
      region(code: $code) {
        law: coverage(kind: LAW_FIRM) { ...counts }
        byVariable: coverage(kind: $kind) { ...counts }
        children { code ...notary ... on Region { appraisal: coverage(kind: JUDICIAL_APPRAISAL) { ...counts } } }
      }
    }
    fragment notary on Region { notary: coverage(kind: NOTARY_OFFICE) { ...counts } }
    ${counts}`;
    for (const [code, prefix] of [['210000', '21'], ['210300', '2103']]) {
      const { region } = expectNoErrors(await stack.request(several, { code, kind: 'GRASSROOTS_LEGAL_SERVICE' }, province)) as any;
      expect(region.law).toEqual(coverageOf(recount, prefix, 'LAW_FIRM'));
      expect(region.byVariable).toEqual(coverageOf(recount, prefix, 'GRASSROOTS_LEGAL_SERVICE'));
      expect(region.children.length).toBeGreaterThan(1);
      for (const child of region.children) {
        const childPrefix = code === '210000' ? child.code.slice(0, 4) : child.code;
        expect([child.code, child.notary, child.appraisal]).toEqual([
          child.code,
          coverageOf(recount, childPrefix, 'NOTARY_OFFICE'),
          coverageOf(recount, childPrefix, 'JUDICIAL_APPRAISAL'),
        ]);
      }
    }

    // A coverage without a sector anywhere on the page sums every sector, next to one that names a sector.
    const summed = `query { region(code: "210000") { coverage(kind: LAW_FIRM) { ...counts } children { code coverage { ...counts } } } } ${counts}`;
    const { region } = expectNoErrors(await stack.request(summed, {}, province)) as any;
    expect(region.coverage).toEqual(coverageOf(recount, '21', 'LAW_FIRM'));
    for (const child of region.children) expect(child.coverage).toEqual(coverageOf(recount, child.code.slice(0, 4), null));

    // A page that shows no coverage, then one that does: the second is not answered from the first's reading.
    const noCoverage = expectNoErrors(await stack.request(`query { region(code: "210300") { children { code } } }`, {}, province)) as any;
    expect(noCoverage.region.children.length).toBeGreaterThan(1);
    const { region: city } = expectNoErrors(await stack.request(`query { region(code: "210300") { coverage { ...counts } } } ${counts}`, {}, province)) as any;
    expect(city.coverage).toEqual(coverageOf(recount, '2103', null));
  });
});
