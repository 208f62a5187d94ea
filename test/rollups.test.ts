import { Client } from 'pg';
import { idNumberCheckCharacter } from '../shared/src/id-number';
import { startStack, type Stack } from './helpers/stack';

const RECOUNT = `
  SELECT region_code, practice_kind, count(*)::int AS practitioners,
         count(*) FILTER (WHERE party_status IN ('PROBATIONARY', 'FULL'))::int AS party_members,
         count(*) FILTER (WHERE party_status = 'FULL')::int AS full_members
    FROM members.member WHERE practice_kind IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`;
const COUNTERS = `
  SELECT region_code, practice_kind, practitioners, party_members, full_members
    FROM members.member_region_stats WHERE practitioners <> 0 OR party_members <> 0 OR full_members <> 0 ORDER BY 1, 2`;

describe('region roll-ups kept as counters', () => {
  let stack: Stack;
  let db: Client;

  beforeAll(async () => {
    stack = await startStack();
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  it('the member counters equal a full recount of the demo dataset', async () => {
    expect((await db.query(COUNTERS)).rows).toEqual((await db.query(RECOUNT)).rows);
  });

  it('the member counters still equal a full recount after registrations, status steps and deletions', async () => {
    const editor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'] });
    const hongyang = (await stack.request(
      `{ institutions(filter: { nameContains: "辽宁弘扬律师事务所" }, first: 1) { edges { node { id partyOrganization { id } } } } }`,
      {},
      editor,
    )).body.data.institutions.edges[0].node;
    for (let i = 0; i < 3; i++) {
      const first17 = `210302198801${String(10 + i).padStart(2, '0')}${String(700 + i)}`;
      const registered = await stack.request(
        `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`,
        { input: { name: `计数${i}`, gender: 'MALE', ethnicity: '汉族', birthDate: `1988-01-${String(10 + i).padStart(2, '0')}`, idNumber: first17 + idNumberCheckCharacter(first17), institutionId: hongyang.id, licenseNumber: `1210320190000070${i}` } },
        editor,
      );
      const id = registered.body.data.registerMember.id;
      for (const [to, on] of [['APPLICANT', '2015-03-01'], ['ACTIVIST', '2015-09-01'], ['CANDIDATE', '2016-09-01'], ['PROBATIONARY', '2017-01-10']]) {
        await stack.request(`mutation($id: ID!, $input: AdvancePartyStatusInput!) { advancePartyStatus(id: $id, input: $input) { id } }`, { id, input: { to, on, organizationId: hongyang.partyOrganization.id } }, editor);
      }
    }
    // A correction made straight in the database is counted too: the trigger sees every write.
    await db.query(`DELETE FROM members.organization_membership WHERE member_id IN (SELECT id FROM members.member WHERE name = '计数2')`);
    await db.query(`DELETE FROM members.member WHERE name = '计数2'`);
    await db.query(`UPDATE members.member SET region_code = '210303' WHERE name = '计数1'`);
    expect((await db.query(COUNTERS)).rows).toEqual((await db.query(RECOUNT)).rows);

    const { body } = await stack.request(
      `{ region(code: "210302") { memberStats(practice: LAWYER) { practitioners partyMembers fullMembers } } }`,
      {},
      await stack.token({ tier: 'PROVINCE', regionCode: '210000' }),
    );
    const recount = (await db.query(`SELECT * FROM (${RECOUNT}) r WHERE region_code = '210302' AND practice_kind = 'LAWYER'`)).rows[0];
    expect(body.data.region.memberStats).toEqual({ practitioners: recount.practitioners, partyMembers: recount.party_members, fullMembers: recount.full_members });
  });
});
