import type { Client } from 'pg';
import { createProofSigner, PROOF_HEADER } from '../shared/src/internal';
import { todayInChina } from '../shared/src/validation';
import { startStack, type Stack } from './helpers/stack';
import { expectNoErrors, expectRefused } from './helpers/expectations';

/** The stories behind "who may change what": temporary hosts, guidance officers, and what a write tells about other tiers. */

const daysAgo = (days: number) => new Date(Date.parse(todayInChina()) - days * 86_400_000).toISOString().slice(0, 10);

describe('owners of member records and officer assignments', () => {
  let stack: Stack;
  let db: Client;
  let province: string;
  let tiedong: string;
  let tiedongViewer: string;
  let fushunCounty: string;
  /** A branch of 铁东区 (210302) and a member of 新抚区 in 抚顺 (210402), a city away. */
  let tiedongBranch: string;
  let tiedongFirm: string;
  let fushunMember: { id: string; idNumber: string; phone: string };
  let hostEditor: string;

  const one = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows[0];
  const audit = async (schema: string) => Number((await one(`SELECT count(*) FROM ${schema}.audit_log`)).count);
  /** A request to the members subgraph itself, proved as the gateway sends it on the caller's behalf; its answer, without errors. */
  const membersAsGateway = async (query: string, variables: Record<string, unknown>, token: string) => {
    const authorization = `Bearer ${token}`;
    const response = await fetch(stack.subgraphUrls.members, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization,
        [PROOF_HEADER]: await createProofSigner(stack.config, 'gateway')(query, variables, { authorization }),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as any;
    expectNoErrors(body);
    return body;
  };

  beforeAll(async () => {
    // The activities register does not poll: its reads would count among the organization subgraph's requests.
    stack = await startStack({ registerSyncMs: 0 });
    db = await stack.database();
    province = await stack.token({ tier: 'PROVINCE', regionCode: '210000', roles: ['editor'] });
    tiedong = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'] });
    tiedongViewer = await stack.token({ tier: 'COUNTY', regionCode: '210302' });
    fushunCounty = await stack.token({ tier: 'COUNTY', regionCode: '210402', roles: ['editor'] });
    const firm = await one(`SELECT id, party_organization_id FROM organization.institution WHERE name = '辽宁弘扬律师事务所'`);
    tiedongFirm = firm.id;
    tiedongBranch = firm.party_organization_id;
    hostEditor = await stack.token({ tier: 'BRANCH', regionCode: '210302', organizationId: tiedongBranch, roles: ['editor'] });
    // A probationary lawyer of Fushun, whose formal relation is held by a Fushun branch.
    fushunMember = await one(
      `SELECT id, id_number AS "idNumber", phone FROM members.member
        WHERE region_code = '210402' AND party_status = 'PROBATIONARY' AND organization_id IS NOT NULL AND phone IS NOT NULL ORDER BY id LIMIT 1`,
    );
  });
  afterAll(() => stack?.stop());

  it('a temporary host branch’s editor cannot update, extend or advance the guest member, and reads them masked', async () => {
    const joined = await stack.request(
      `mutation($m: ID!, $o: ID!) { joinTemporarily(memberId: $m, organizationId: $o, startedOn: "2019-09-01") { id } }`,
      { m: fushunMember.id, o: tiedongBranch },
      province,
    );
    expectNoErrors(joined);

    // The host reads its temporary participant, masked as any reader who does not own the record.
    const read = await stack.request(`query($id: ID!) { member(id: $id) { id idNumber phone } }`, { id: fushunMember.id }, hostEditor);
    expect(read.body.data.member.id).toBe(fushunMember.id);
    expect(read.body.data.member.idNumber).not.toBe(fushunMember.idNumber);
    expect(read.body.data.member.idNumber).toContain('*');
    expect(read.body.data.member.phone).not.toBe(fushunMember.phone);
    // The county holding the formal relation reads it in full; the host branch in another city is not its to see.
    const owner = await stack.request(`query($id: ID!) { member(id: $id) { idNumber phone temporaryOrganizations { id name } } }`, { id: fushunMember.id }, fushunCounty);
    expectNoErrors(owner);
    expect(owner.body.data.member).toEqual({ idNumber: fushunMember.idNumber, phone: fushunMember.phone, temporaryOrganizations: [] });
    const above = await stack.request(`query($id: ID!) { member(id: $id) { temporaryOrganizations { id name } } }`, { id: fushunMember.id }, province);
    expect(above.body.data.member.temporaryOrganizations.map((o: { id: string }) => o.id)).toContain(tiedongBranch);

    const before = await one(`SELECT to_jsonb(m) AS row FROM members.member m WHERE id = $1`, [fushunMember.id]);
    const auditBefore = await audit('members');
    const attempts = [
      stack.request(`mutation($id: ID!) { updateMember(id: $id, input: { name: "改名" }) { id } }`, { id: fushunMember.id }, hostEditor),
      stack.request(`mutation($id: ID!, $i: ID!) { updateMember(id: $id, input: { institutionId: $i }) { id } }`, { id: fushunMember.id, i: tiedongFirm }, hostEditor),
      stack.request(`mutation($id: ID!, $u: Date!) { extendProbation(id: $id, until: $u, reason: "考察") { id } }`, { id: fushunMember.id, u: daysAgo(-300) }, hostEditor),
      stack.request(`mutation($id: ID!) { advancePartyStatus(id: $id, input: { to: FULL, on: "2019-12-01" }) { id } }`, { id: fushunMember.id }, hostEditor),
      stack.request(`mutation($id: ID!, $o: ID!) { leaveTemporary(memberId: $id, organizationId: $o, endedOn: "2019-12-01") { id } }`, { id: fushunMember.id, o: tiedongBranch }, hostEditor),
    ];
    for (const { body } of await Promise.all(attempts)) expectRefused(body, 'FORBIDDEN');
    expect(await one(`SELECT to_jsonb(m) AS row FROM members.member m WHERE id = $1`, [fushunMember.id])).toEqual(before);
    expect(await audit('members')).toBe(auditBefore);
  });

  it('moving a member to another institution keeps the record in the caller’s tier', async () => {
    const member = await one(`SELECT id FROM members.member WHERE region_code = '210302' AND practice_kind = 'LAWYER' AND organization_id IS NULL ORDER BY id LIMIT 1`);
    const elsewhere = await one(`SELECT id FROM organization.institution WHERE region_code = '210303' AND kind = 'LAW_FIRM' AND state = 'OPERATING' ORDER BY id LIMIT 1`);
    const moved = await stack.request(`mutation($id: ID!, $i: ID!) { updateMember(id: $id, input: { institutionId: $i }) { id } }`, { id: member.id, i: elsewhere.id }, tiedong);
    expectRefused(moved, 'NOT_FOUND', { field: 'institutionId' });
    expect((await one(`SELECT region_code FROM members.member WHERE id = $1`, [member.id])).region_code).toBe('210302');
  });

  describe('a branch in another tier tells nothing more than a missing one', () => {
    let dissolvedElsewhere: string;
    let tiedongMember: string;
    const missing = '00000000-0000-4000-8000-000000000000';

    beforeAll(async () => {
      dissolvedElsewhere = (await one(
        `INSERT INTO organization.party_organization (name, kind, sector, region_code, founded_on, dissolved_on, dissolution_reason)
         VALUES ('中共抚顺某律师事务所支部委员会', 'STANDALONE_BRANCH', 'LAW_FIRM', '210402', '2012-01-01', '2019-01-09', '注销') RETURNING id`,
      )).id;
      tiedongMember = (await one(
        `SELECT id FROM members.member WHERE region_code = '210302' AND party_status = 'FULL' AND organization_id = $1 ORDER BY id LIMIT 1`,
        [tiedongBranch],
      )).id;
      stack.forgetCachedReads();
    });

    const initiate = (memberId: string, to: string, token = tiedong) =>
      stack.request(
        `mutation($input: InitiateTransferInput!) { initiateTransfer(input: $input) { id } }`,
        { input: { memberId, toOrganizationId: to, letterNumber: '辽转字001号', initiatedOn: daysAgo(3) } },
        token,
      );
    const join = (memberId: string, to: string, token = tiedong) =>
      stack.request(`mutation($m: ID!, $o: ID!) { joinTemporarily(memberId: $m, organizationId: $o, startedOn: "2019-09-01") { id } }`, { m: memberId, o: to }, token);

    it('a dissolved branch of another city reads as missing, with the same message', async () => {
      for (const write of [initiate, join]) {
        const absent = expectRefused(await write(tiedongMember, missing), 'NOT_FOUND');
        const dissolved = expectRefused(await write(tiedongMember, dissolvedElsewhere), 'NOT_FOUND', { field: absent.extensions?.field });
        expect(dissolved.message.replace(dissolvedElsewhere, '<id>')).toBe(absent.message.replace(missing, '<id>'));
        expect(dissolved.message).not.toContain('2019-01-09');
      }
    });

    it('the member is checked first: a member outside the tier is missing whatever the branch', async () => {
      for (const write of [initiate, join]) {
        const { body } = await write(fushunMember.id, dissolvedElsewhere);
        expectRefused(body, 'NOT_FOUND', { messageIncludes: fushunMember.id });
      }
    });

    it('inside the tier the reason is given', async () => {
      const own = (await one(`INSERT INTO organization.party_organization (name, kind, sector, region_code, founded_on, dissolved_on, dissolution_reason)
         VALUES ('中共铁东某律师事务所支部委员会', 'STANDALONE_BRANCH', 'LAW_FIRM', '210302', '2012-01-01', '2019-01-09', '注销') RETURNING id`)).id;
      stack.forgetCachedReads();
      const { body } = await initiate(tiedongMember, own);
      expectRefused(body, 'CONFLICT');
    });
  });

  describe('guidance-officer assignments', () => {
    const ASSIGN = `mutation($input: AssignGuidanceOfficerInput!) { assignGuidanceOfficer(input: $input) { id officer { id } institution { id } } }`;
    let station: string;
    let officer: string;
    let uncovered: string;

    beforeAll(async () => {
      station = (await one(`SELECT id FROM organization.guidance_station WHERE region_code = '210302' AND NOT functional`)).id;
      officer = (await one(`SELECT member_id AS id FROM members.role_assignment WHERE station_id = $1 AND kind = 'GUIDANCE_OFFICER' AND ended_on IS NULL ORDER BY id LIMIT 1`, [station])).id;
      uncovered = (await one(`SELECT id FROM organization.institution i WHERE region_code = '210302' AND party_organization_id IS NULL AND state = 'OPERATING'
          AND NOT EXISTS (SELECT 1 FROM organization.guidance_officer_assignment a WHERE a.institution_id = i.id) ORDER BY id LIMIT 1`)).id;
    });

    it('an officer assignment names a guidance officer of the station’s tier', async () => {
      const auditBefore = await audit('organization');
      const assign = (officerId: string, token = tiedong) => stack.request(ASSIGN, { input: { officerId, stationId: station, institutionId: uncovered, startedOn: '2019-05-01' } }, token);
      // A Fushun member, for a Tiedong institution: the county cannot see them; the province can, and they hold no such role here.
      expectRefused(await assign(fushunMember.id), 'NOT_FOUND', { field: 'officerId' });
      expectRefused(await assign(fushunMember.id, province), 'BAD_USER_INPUT', { field: 'officerId' });
      // A Tiedong member who is no guidance officer.
      const plain = (await one(`SELECT id FROM members.member m WHERE region_code = '210302' AND party_status = 'FULL'
          AND NOT EXISTS (SELECT 1 FROM members.role_assignment r WHERE r.member_id = m.id AND r.kind = 'GUIDANCE_OFFICER') ORDER BY id LIMIT 1`)).id;
      expectRefused(await assign(plain), 'BAD_USER_INPUT', { field: 'officerId' });
      expectRefused(await assign('00000000-0000-4000-8000-000000000000'), 'NOT_FOUND', { field: 'officerId' });
      expect(await audit('organization')).toBe(auditBefore);

      const { body } = await assign(officer);
      expectNoErrors(body);
      expect(body.data.assignGuidanceOfficer).toMatchObject({ officer: { id: officer }, institution: { id: uncovered } });
    });

    it('an assignment from the city station leaves the institution readable where the officer is not', async () => {
      const city = await stack.token({ tier: 'CITY', regionCode: '210300', roles: ['editor'] });
      const cityStation = (await one(`SELECT id FROM organization.guidance_station WHERE region_code = '210300' AND NOT functional`)).id;
      const cityOfficer = (await one(
        `SELECT r.member_id AS id FROM members.role_assignment r JOIN organization.guidance_station s ON s.id = r.station_id JOIN members.member m ON m.id = r.member_id
          WHERE s.region_code = '210300' AND r.kind = 'GUIDANCE_OFFICER' AND r.ended_on IS NULL AND m.region_code NOT LIKE '210302%' ORDER BY r.id LIMIT 1`,
      )).id;
      const firm = (await one(`SELECT id FROM organization.institution i WHERE region_code = '210302' AND party_organization_id IS NULL AND state = 'OPERATING'
          AND NOT EXISTS (SELECT 1 FROM organization.guidance_officer_assignment a WHERE a.institution_id = i.id) ORDER BY id OFFSET 1 LIMIT 1`)).id;
      const { body } = await stack.request(ASSIGN, { input: { officerId: cityOfficer, stationId: cityStation, institutionId: firm, startedOn: '2019-05-01' } }, city);
      expectNoErrors(body);

      const read = await stack.request(
        `query($id: ID!) { institution(id: $id) { id name guidanceOfficerAssignments { id officer { id name } station { id } } } }`,
        { id: firm },
        tiedongViewer,
      );
      expect(read.body.data.institution).toMatchObject({ id: firm, guidanceOfficerAssignments: [{ id: body.data.assignGuidanceOfficer.id, officer: null }] });
      // The county sees the city's assignment but does not own it.
      const end = await stack.request(`mutation($id: ID!) { endGuidanceOfficerAssignment(id: $id, endedOn: "2019-11-30") { id } }`, { id: body.data.assignGuidanceOfficer.id }, tiedong);
      expectRefused(end, 'FORBIDDEN');
    });
  });

  it('the members subgraph answers institutions, organizations and stations outside the tier with null, even with a valid proof', async () => {
    const fushun = await one(`SELECT i.id AS institution, i.party_organization_id AS organization, s.id AS station
        FROM organization.institution i, organization.guidance_station s
       WHERE i.region_code = '210402' AND i.party_organization_id IS NOT NULL AND s.region_code = '210402' AND NOT s.functional LIMIT 1`);
    const own = await one(`SELECT id AS station FROM organization.guidance_station WHERE region_code = '210302' AND NOT functional`);
    const query = `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Institution { id practitionerCount } ... on PartyOrganization { id memberCount } ... on GuidanceStation { id } } }`;
    const variables = {
      r: [
        { __typename: 'Institution', id: fushun.institution },
        { __typename: 'PartyOrganization', id: fushun.organization },
        { __typename: 'GuidanceStation', id: fushun.station },
        { __typename: 'Institution', id: tiedongFirm },
        { __typename: 'PartyOrganization', id: tiedongBranch },
        { __typename: 'GuidanceStation', id: own.station },
      ],
    };
    const body = await membersAsGateway(query, variables, tiedongViewer);
    const [institution, organization, guidanceStation, ownFirm, ownBranch, ownStation] = body.data._entities;
    expect([institution, organization, guidanceStation]).toEqual([null, null, null]);
    expect(ownFirm).toMatchObject({ id: tiedongFirm });
    expect(ownFirm.practitionerCount).toBeGreaterThan(0);
    expect(ownBranch.memberCount).toBeGreaterThan(0);
    expect(ownStation).toEqual({ id: own.station });
  });

  it('the members subgraph judges a station by the region of its current roles, and asks the organization subgraph only of a station with none', async () => {
    const stationOf = async (regionCode: string) => (await one(`SELECT id FROM organization.guidance_station WHERE region_code = $1 AND NOT functional`, [regionCode])).id as string;
    const [fushun, own, lishan] = [await stationOf('210402'), await stationOf('210302'), await stationOf('210304')];
    const anshanCity = await stack.token({ tier: 'CITY', regionCode: '210300' });
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on GuidanceStation { id head { id } } } }`;
    /** The members subgraph's answer for each station, and how many requests the organization subgraph had meanwhile. */
    const ask = async (ids: string[], token: string) => {
      const variables = { r: ids.map((id) => ({ __typename: 'GuidanceStation', id })) };
      const before = stack.subgraphRequests().organization;
      stack.forgetCachedReads();
      const body = await membersAsGateway(query, variables, token);
      return { stations: body.data._entities, organizationRequests: stack.subgraphRequests().organization - before };
    };

    // Stations with current roles: judged here, no question to the organization subgraph.
    const withRoles = await ask([fushun, own], tiedongViewer);
    expect(withRoles.stations[0]).toBeNull();
    expect(withRoles.stations[1]).toEqual({ id: own, head: { id: expect.any(String) } });
    expect(withRoles.organizationRequests).toBe(0);

    // A station whose roles have all ended: the organization subgraph decides, for the tier that sees it and for one that does not.
    const ended: { id: string }[] = (await db.query(`UPDATE members.role_assignment SET ended_on = current_date WHERE station_id = $1 AND ended_on IS NULL RETURNING id`, [lishan])).rows;
    expect(ended.length).toBeGreaterThan(0);
    try {
      const inTier = await ask([lishan], anshanCity);
      expect(inTier.stations).toEqual([{ id: lishan, head: null }]);
      expect(inTier.organizationRequests).toBe(1);
      const outside = await ask([lishan], tiedongViewer);
      expect(outside.stations).toEqual([null]);
      expect(outside.organizationRequests).toBe(1);
    } finally {
      await db.query(`UPDATE members.role_assignment SET ended_on = NULL WHERE id = ANY($1::uuid[])`, [ended.map((row) => row.id)]);
    }

    // A station that does not exist is missing for every tier, the province's too.
    const missing = await ask(['00000000-0000-4000-8000-000000000000', 'not-a-station'], province);
    expect(missing.stations).toEqual([null, null]);
  });
});
