import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { idNumberCheckCharacter } from '../shared/src/id-number';
import { startStack, type Stack } from './helpers/stack';
import { errorCodes, expectNoErrors, expectRefused } from './helpers/expectations';

const COMMENDATION = `id category level year status citation representativeBody nominatedOn decidedOn decisionReason revokedOn revocationReason
  region { code } program { id } recipient { __typename ... on Member { id } ... on PartyOrganization { id } ... on Institution { id } }`;
const OPEN = `mutation($input: CreateCommendationProgramInput!) { createCommendationProgram(input: $input) { id name level year region { code } opensOn closesOn categories { category quota approved } } }`;
const NOMINATE = `mutation($input: NominateForCommendationInput!) { nominateForCommendation(input: $input) { ${COMMENDATION} } }`;
const APPROVE = `mutation($id: ID!, $on: Date!, $reason: String) { approveCommendation(id: $id, decidedOn: $on, reason: $reason) { ${COMMENDATION} } }`;
const REJECT = `mutation($id: ID!, $on: Date!, $reason: String!) { rejectCommendation(id: $id, decidedOn: $on, reason: $reason) { ${COMMENDATION} } }`;
const REVOKE = `mutation($id: ID!, $on: Date!, $reason: String!) { revokeCommendation(id: $id, revokedOn: $on, reason: $reason) { ${COMMENDATION} } }`;
const STATS = `query($code: ID!, $year: Int!) { region(code: $code) { commendationStats(year: $year) { approved nominated rejected revoked byCategory { category count } byLevel { level count } } } }`;

const ALL_CATEGORIES = [
  { category: 'ADVANCED_BRANCH', quota: 5 },
  { category: 'EXCELLENT_PARTY_MEMBER_LAWYER', quota: 10 },
  { category: 'EXCELLENT_PARTY_WORKER', quota: 5 },
  { category: 'MOST_BEAUTIFUL_PERSON', quota: 2 },
  { category: 'DEMONSTRATION_SITE', quota: 2 },
  { category: 'REPRESENTATIVE_RECOMMENDATION', quota: 10 },
];

let sequence = 0;
function idNumber(birth: string): string {
  const first17 = `210302${birth.replaceAll('-', '')}${String(300 + ++sequence).slice(-3)}`;
  return first17 + idNumberCheckCharacter(first17);
}
const licence = () => `121032019101${String(70000 + ++sequence).slice(-5)}`;

describe('nominating and deciding commendations', () => {
  let stack: Stack;
  let db: Client;
  const tokens: Record<string, string> = {};
  let hongyang: { id: string; partyOrganization: { id: string } };
  /** Full lawyers of 辽宁弘扬律师事务所 (铁东区), made full before 2019. */
  let lawyers: string[];
  /** The provincial program of 2019 that most tests nominate for. */
  let program: any;

  const open = (input: Record<string, unknown>, token = tokens.provinceAdmin) =>
    stack.request(OPEN, { input: { name: '2019年辽宁省法律服务行业党建工作评先选优（测试）', regionCode: '210000', year: 2019, opensOn: '2019-01-01', closesOn: '2019-12-31', categories: ALL_CATEGORIES, ...input } }, token);

  const nominate = (input: Record<string, unknown>, token = tokens.tiedongEditor) =>
    stack.request(NOMINATE, { input: { programId: program.id, category: 'EXCELLENT_PARTY_MEMBER_LAWYER', citation: '坚持党建引领业务发展，办理法律援助案件20件。', nominatedOn: '2019-05-01', ...input } }, token);

  const nominated = async (input: Record<string, unknown>, token = tokens.tiedongEditor) => {
    return expectNoErrors(await nominate(input, token)).nominateForCommendation;
  };

  /** Full lawyers of a county, made full before a day, whose formal relation is held by a branch of the sector. */
  const fullLawyers = async (regionCode: string, before: string) => {
    const { body } = await stack.request(
      `query($f: MemberFilter, $first: Int) { members(filter: $f, first: $first) { edges { node { id fullOn partyOrganization { id } } } } }`,
      { f: { regionCode, partyStatus: 'FULL', practice: 'LAWYER' }, first: 100 },
      tokens.province,
    );
    return body.data.members.edges
      .map((e: any) => e.node)
      .filter((m: any) => m.fullOn < before && m.partyOrganization)
      .map((m: any) => m.id as string);
  };

  /** A new lawyer of 辽宁弘扬律师事务所, advanced through the given Party steps. */
  const newLawyer = async (steps: [string, string][]) => {
    const birthDate = '1985-06-15';
    const registered = await stack.request(
      `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`,
      { input: { name: '测试律师', gender: 'FEMALE', ethnicity: '汉族', birthDate, idNumber: idNumber(birthDate), institutionId: hongyang.id, licenseNumber: licence() } },
      tokens.tiedongEditor,
    );
    expectNoErrors(registered);
    const id = expectNoErrors(registered).registerMember.id as string;
    for (const [to, on] of steps) {
      const step = await stack.request(
        `mutation($id: ID!, $input: AdvancePartyStatusInput!) { advancePartyStatus(id: $id, input: $input) { id } }`,
        { id, input: { to, on, organizationId: to === 'PROBATIONARY' ? hongyang.partyOrganization.id : null } },
        tokens.tiedongEditor,
      );
      expectNoErrors(step);
    }
    return id;
  };
  const TO_PROBATION: [string, string][] = [['APPLICANT', '2016-03-01'], ['ACTIVIST', '2016-09-01'], ['CANDIDATE', '2017-09-01'], ['PROBATIONARY', '2019-01-10']];
  const TO_FULL_IN_2018: [string, string][] = [['APPLICANT', '2015-03-01'], ['ACTIVIST', '2015-09-01'], ['CANDIDATE', '2016-09-01'], ['PROBATIONARY', '2017-01-10'], ['FULL', '2018-01-10']];

  beforeAll(async () => {
    stack = await startStack();
    db = await stack.database();
    const token = (name: string, tier: string, regionCode: string, roles: string[], organizationId?: string) =>
      stack.token({ tier: tier as any, regionCode, roles: roles as any, organizationId, subject: name }).then((t) => (tokens[name] = t));
    await token('province', 'PROVINCE', '210000', ['viewer']);
    await token('provinceAdmin', 'PROVINCE', '210000', ['admin']);
    await token('provinceEditor', 'PROVINCE', '210000', ['editor']);
    await token('anshanAdmin', 'CITY', '210300', ['admin']);
    await token('anshanEditor', 'CITY', '210300', ['editor']);
    await token('dalianEditor', 'CITY', '210200', ['editor']);
    await token('tiedongAdmin', 'COUNTY', '210302', ['admin']);
    await token('tiedongEditor', 'COUNTY', '210302', ['editor']);
    await token('tiedongViewer', 'COUNTY', '210302', ['viewer']);
    await token('tiexiAdmin', 'COUNTY', '210303', ['admin']);

    const found = await stack.request(
      `{ institutions(filter: { nameContains: "辽宁弘扬律师事务所" }, first: 5) { edges { node { id name partyOrganization { id } } } } }`,
      {},
      tokens.province,
    );
    hongyang = found.body.data.institutions.edges.map((e: any) => e.node).find((n: any) => n.name === '辽宁弘扬律师事务所');
    await token('hongyangBranch', 'BRANCH', '210302', ['editor'], hongyang.partyOrganization.id);
    lawyers = (await fullLawyers('210302', '2019-01-01')).slice(0, 8);
    expect(lawyers.length).toBeGreaterThanOrEqual(6);
    program = expectNoErrors(await open({})).createCommendationProgram;
  });
  afterAll(() => stack?.stop());

  describe('programs', () => {
    it('an admin opens a program for a region of its tier, with its quotas and an audit row', async () => {
      expect(program).toMatchObject({ level: 'PROVINCIAL', year: 2019, region: { code: '210000' }, opensOn: '2019-01-01', closesOn: '2019-12-31' });
      expect(program.categories).toEqual(ALL_CATEGORIES.map((c) => ({ ...c, approved: 0 })));
      const audit = await db.query(`SELECT actor, action, region_code FROM commendations.audit_log WHERE entity_id = $1`, [program.id]);
      expect(audit.rows).toEqual([{ actor: 'provinceAdmin', action: 'createCommendationProgram', region_code: '210000' }]);

      const city = await open({ regionCode: '210300', name: '2019年鞍山市律师行业评先' }, tokens.anshanAdmin);
      expect(city.body.data.createCommendationProgram).toMatchObject({ level: 'CITY', region: { code: '210300' } });
    });

    it('refuses editors and branches, regions outside the tier, and bad quotas or dates', async () => {
      expectRefused(await open({}, tokens.provinceEditor), 'FORBIDDEN');
      expectRefused(await open({ regionCode: '210302' }, tokens.hongyangBranch), 'FORBIDDEN');
      expectRefused(await open({ regionCode: '210200' }, tokens.anshanAdmin), 'NOT_FOUND', { field: 'regionCode' });
      expectRefused(await open({ regionCode: '219999' }), 'NOT_FOUND', { field: 'regionCode' });
      const twice = [{ category: 'ADVANCED_BRANCH', quota: 1 }, { category: 'ADVANCED_BRANCH', quota: 2 }];
      expectRefused(await open({ categories: twice }), 'BAD_USER_INPUT', { field: 'categories' });
      expectRefused(await open({ categories: [{ category: 'ADVANCED_BRANCH', quota: 0 }] }), 'BAD_USER_INPUT', { field: 'categories' });
      expectRefused(await open({ categories: [] }), 'BAD_USER_INPUT', { field: 'categories' });
      expectRefused(await open({ closesOn: '2018-12-31' }), 'BAD_USER_INPUT', { field: 'closesOn' });
      expectRefused(await open({ opensOn: '2999-01-01', closesOn: '2999-12-31' }), 'BAD_USER_INPUT', { field: 'opensOn' });
      expectRefused(await open({ year: 1900 }), 'BAD_USER_INPUT', { field: 'year' });
      expectRefused(await open({ name: '  ' }), 'BAD_USER_INPUT', { field: 'name' });
    });
  });

  it('the life cycle: a county station nominates, the province approves, then revokes the award, each with its reason', async () => {
    const nomination = await nominated({ recipientId: lawyers[0] });
    expect(nomination).toMatchObject({
      category: 'EXCELLENT_PARTY_MEMBER_LAWYER', level: 'PROVINCIAL', year: 2019, status: 'NOMINATED', nominatedOn: '2019-05-01', decidedOn: null,
      region: { code: '210302' }, program: { id: program.id }, recipient: { __typename: 'Member', id: lawyers[0] },
    });
    const { id } = nomination;

    // The county nominated, but a provincial program is decided by the province.
    expectRefused(await stack.request(APPROVE, { id, on: '2019-06-28' }, tokens.tiedongEditor), 'FORBIDDEN');
    expectRefused(await stack.request(APPROVE, { id, on: '2019-06-28' }, tokens.anshanEditor), 'FORBIDDEN');
    expectRefused(await stack.request(APPROVE, { id, on: '2019-06-28' }, tokens.province), 'FORBIDDEN');
    expectRefused(await stack.request(APPROVE, { id, on: '2019-04-30' }, tokens.provinceEditor), 'BAD_USER_INPUT', { field: 'decidedOn' });

    const approved = await stack.request(APPROVE, { id, on: '2019-06-28', reason: '经评审委员会审议，公示期满无异议' }, tokens.provinceEditor);
    expect(approved.body.data.approveCommendation).toMatchObject({ status: 'APPROVED', decidedOn: '2019-06-28', decisionReason: '经评审委员会审议，公示期满无异议' });
    const profile = await stack.request(`query($id: ID!) { member(id: $id) { commendations { id category level year status } } }`, { id: lawyers[0] }, tokens.tiedongViewer);
    expect(profile.body.data.member.commendations).toContainEqual({ id, category: 'EXCELLENT_PARTY_MEMBER_LAWYER', level: 'PROVINCIAL', year: 2019, status: 'APPROVED' });

    expectRefused(await stack.request(REJECT, { id, on: '2019-06-29', reason: '重复审定' }, tokens.provinceEditor), 'CONFLICT');
    expectRefused(await stack.request(REVOKE, { id, on: '2019-06-01', reason: '违规执业' }, tokens.provinceEditor), 'BAD_USER_INPUT', { field: 'revokedOn' });
    const revoked = await stack.request(REVOKE, { id, on: '2019-09-02', reason: '受到行业处分，撤销表彰' }, tokens.provinceEditor);
    expect(revoked.body.data.revokeCommendation).toMatchObject({ status: 'REVOKED', revokedOn: '2019-09-02', revocationReason: '受到行业处分，撤销表彰', decidedOn: '2019-06-28' });

    expectRefused(await stack.request(REVOKE, { id, on: '2019-09-03', reason: '再次撤销' }, tokens.provinceEditor), 'CONFLICT');
    expectRefused(await stack.request(APPROVE, { id, on: '2019-09-03' }, tokens.provinceEditor), 'CONFLICT');
    // One award per recipient, category and program: a revoked one is not given again.
    expectRefused(await nominate({ recipientId: lawyers[0] }), 'CONFLICT');

    const audit = await db.query(`SELECT actor, action, before->>'status' AS before, after->>'status' AS after FROM commendations.audit_log WHERE entity_id = $1 ORDER BY id`, [id]);
    expect(audit.rows).toEqual([
      { actor: 'tiedongEditor', action: 'nominateForCommendation', before: null, after: 'NOMINATED' },
      { actor: 'provinceEditor', action: 'approveCommendation', before: 'NOMINATED', after: 'APPROVED' },
      { actor: 'provinceEditor', action: 'revokeCommendation', before: 'APPROVED', after: 'REVOKED' },
    ]);
  });

  it('shows admins the commendation writes of their tier in the audit trail, and nobody else', async () => {
    const { id } = await nominated({ recipientId: lawyers[3], category: 'MOST_BEAUTIFUL_PERSON' });
    expectNoErrors(await stack.request(APPROVE, { id, on: '2019-12-20', reason: '事迹感人' }, tokens.provinceEditor));
    const trail = `query($f: AuditFilter, $first: Int) { auditTrail { commendationRecords(filter: $f, first: $first) { totalCount edges { node { actor actorTier action entity regionCode before after } } } } }`;
    const { body } = await stack.request(trail, { f: { entityId: id }, first: 10 }, tokens.anshanAdmin);
    expectNoErrors(body);
    const entries = body.data.auditTrail.commendationRecords.edges.map((e: any) => e.node);
    expect(entries.map((e: any) => [e.action, e.actor])).toEqual([['approveCommendation', 'provinceEditor'], ['nominateForCommendation', 'tiedongEditor']]);
    expect(entries[0]).toMatchObject({ actorTier: 'PROVINCE', entity: 'Commendation', regionCode: '210302', before: { status: 'NOMINATED' }, after: { status: 'APPROVED', decisionReason: '事迹感人' } });
    const dalian = await stack.token({ tier: 'CITY', regionCode: '210200', roles: ['admin'] });
    expect(expectNoErrors(await stack.request(trail, { f: { entityId: id }, first: 10 }, dalian)).auditTrail.commendationRecords.totalCount).toBe(0);
    expectRefused(await stack.request(trail, { f: { entityId: id }, first: 10 }, tokens.provinceEditor), 'FORBIDDEN');
  });

  it('a rejected nomination carries its reason and leaves room for a new one; a pending one does not', async () => {
    const { id } = await nominated({ recipientId: lawyers[1] });
    expectRefused(await nominate({ recipientId: lawyers[1] }), 'CONFLICT');
    expectRefused(await stack.request(REJECT, { id, on: '2019-06-28', reason: '   ' }, tokens.provinceEditor), 'BAD_USER_INPUT', { field: 'reason' });
    const rejected = await stack.request(REJECT, { id, on: '2019-06-28', reason: '事迹材料不够突出' }, tokens.provinceEditor);
    expect(rejected.body.data.rejectCommendation).toMatchObject({ status: 'REJECTED', decidedOn: '2019-06-28', decisionReason: '事迹材料不够突出' });
    expectRefused(await stack.request(APPROVE, { id, on: '2019-06-29' }, tokens.provinceEditor), 'CONFLICT');
    const again = await nominated({ recipientId: lawyers[1], nominatedOn: '2019-07-01' });
    expect(again.id).not.toBe(id);
    expect(again.status).toBe('NOMINATED');
  });

  describe('eligibility', () => {
    it('a Party-member award needs a full member on the day it is decided', async () => {
      const probationary = await newLawyer(TO_PROBATION);
      const pending = await nominated({ recipientId: probationary });
      expectRefused(await stack.request(APPROVE, { id: pending.id, on: '2019-12-20' }, tokens.provinceEditor), 'BAD_USER_INPUT', { field: 'id' });

      const notMember = await newLawyer([]);
      expectRefused(await nominate({ recipientId: notMember }), 'BAD_USER_INPUT', { field: 'recipientId' });

      // Made full on 2018-01-10: not yet full at the end of 2017, full in 2018.
      const madeFull = await newLawyer(TO_FULL_IN_2018);
      const earlier = expectNoErrors(await open({ year: 2017, opensOn: '2017-01-01', closesOn: '2017-12-31', categories: [{ category: 'EXCELLENT_PARTY_MEMBER_LAWYER', quota: 3 }] })).createCommendationProgram;
      const nomination = await nominated({ programId: earlier.id, recipientId: madeFull, nominatedOn: '2017-06-01' });
      const tooEarly = await stack.request(APPROVE, { id: nomination.id, on: '2017-12-28' }, tokens.provinceEditor);
      expectRefused(tooEarly, 'BAD_USER_INPUT', { field: 'decidedOn', message: /2018-01-10/ });
      const inTime = await stack.request(APPROVE, { id: nomination.id, on: '2018-01-15' }, tokens.provinceEditor);
      expect(inTime.body.data.approveCommendation.status).toBe('APPROVED');
    });

    it('a lawyer’s award needs a lawyer; a Party worker’s award any full member', async () => {
      const { body } = await stack.request(
        `query($f: MemberFilter) { members(filter: $f, first: 1) { edges { node { id } } } }`,
        { f: { partyStatus: 'FULL', practice: 'NOTARY' } },
        tokens.province,
      );
      const notary = body.data.members.edges[0].node.id;
      const asLawyer = await nominate({ recipientId: notary }, tokens.provinceEditor);
      expectRefused(asLawyer, 'BAD_USER_INPUT', { field: 'recipientId', message: /NOTARY/ });
      const asWorker = await nominated({ recipientId: notary, category: 'EXCELLENT_PARTY_WORKER' }, tokens.provinceEditor);
      expect(asWorker.status).toBe('NOMINATED');
    });

    it('a branch award needs an existing, undissolved branch', async () => {
      const dissolved = await db.query(`SELECT id FROM organization.party_organization WHERE dissolved_on IS NOT NULL LIMIT 1`);
      const committee = await db.query(`SELECT id FROM organization.party_organization WHERE kind = 'INDUSTRY_COMMITTEE' AND region_code = '210300'`);
      const branch = (recipientId: string) => nominate({ category: 'ADVANCED_BRANCH', recipientId }, tokens.provinceEditor);
      expectRefused(await branch(dissolved.rows[0].id), 'CONFLICT');
      expectRefused(await branch(committee.rows[0].id), 'BAD_USER_INPUT', { field: 'recipientId' });
      expectRefused(await branch(randomUUID()), 'NOT_FOUND', { field: 'recipientId' });
      // A member is no branch.
      expectRefused(await branch(lawyers[2]), 'NOT_FOUND', { field: 'recipientId' });
      expectRefused(await nominate({ recipientId: randomUUID() }), 'NOT_FOUND', { field: 'recipientId' });
      const own = await nominated({ category: 'ADVANCED_BRANCH', recipientId: hongyang.partyOrganization.id, nominatedOn: '2019-09-01' });
      expect(own.recipient).toEqual({ __typename: 'PartyOrganization', id: hongyang.partyOrganization.id });
    });

    it('a demonstration site is an operating institution, and shows on the institution', async () => {
      const site = await nominated({ category: 'DEMONSTRATION_SITE', recipientId: hongyang.id });
      expect(site.recipient).toEqual({ __typename: 'Institution', id: hongyang.id });
      expectNoErrors(await stack.request(APPROVE, { id: site.id, on: '2019-12-20' }, tokens.provinceEditor));
      const { body } = await stack.request(`query($id: ID!) { institution(id: $id) { commendations { id category status } } }`, { id: hongyang.id }, tokens.tiedongViewer);
      expect(body.data.institution.commendations).toContainEqual({ id: site.id, category: 'DEMONSTRATION_SITE', status: 'APPROVED' });
    });

    it('a recommendation names its body, and a Party congress takes full members only', async () => {
      const recommend = (recipientId: string, representativeBody?: string) =>
        nominate({ category: 'REPRESENTATIVE_RECOMMENDATION', recipientId, representativeBody, citation: '热心社会公益，具备参政议政能力。' });
      expectRefused(await recommend(lawyers[3]), 'BAD_USER_INPUT', { field: 'representativeBody' });
      expectRefused(await nominate({ recipientId: lawyers[3], representativeBody: 'PEOPLES_CONGRESS' }), 'BAD_USER_INPUT', { field: 'representativeBody' });
      const probationary = await newLawyer(TO_PROBATION);
      const party = expectNoErrors(await recommend(probationary, 'PARTY_CONGRESS')).nominateForCommendation;
      expectRefused(await stack.request(APPROVE, { id: party.id, on: '2019-12-20' }, tokens.provinceEditor), 'BAD_USER_INPUT', { field: 'id' });
      const notMember = await newLawyer([]);
      const people = expectNoErrors(await recommend(notMember, 'PEOPLES_CONGRESS')).nominateForCommendation;
      const approved = await stack.request(APPROVE, { id: people.id, on: '2019-12-20' }, tokens.provinceEditor);
      expect(approved.body.data.approveCommendation).toMatchObject({ status: 'APPROVED', level: 'PROVINCIAL', representativeBody: 'PEOPLES_CONGRESS' });
    });

    it('a nomination keeps to its program: dates, categories, and recipients in the region and the tier', async () => {
      expectRefused(await nominate({ recipientId: lawyers[4], nominatedOn: '2018-12-31' }), 'BAD_USER_INPUT', { field: 'nominatedOn' });
      expectRefused(await nominate({ recipientId: lawyers[4], nominatedOn: '2999-01-01' }), 'BAD_USER_INPUT', { field: 'nominatedOn' });
      expectRefused(await nominate({ recipientId: lawyers[4], programId: randomUUID() }), 'NOT_FOUND', { field: 'programId' });
      expectRefused(await nominate({ recipientId: lawyers[4], citation: '' }), 'BAD_USER_INPUT', { field: 'citation' });
      const lawyerOnly = expectNoErrors(await open({ categories: [{ category: 'EXCELLENT_PARTY_MEMBER_LAWYER', quota: 1 }] })).createCommendationProgram;
      expectRefused(await nominate({ programId: lawyerOnly.id, category: 'ADVANCED_BRANCH', recipientId: hongyang.partyOrganization.id }), 'BAD_USER_INPUT', { field: 'category' });

      // 辽宁宸瀚律师事务所 lies in 和平区 (Shenyang): outside Tiedong's tier, so not found at all.
      const heping = await fullLawyers('210102', '2019-01-01');
      expectRefused(await nominate({ recipientId: heping[0] }), 'NOT_FOUND', { field: 'recipientId' });
      // Inside the province's tier, but outside Anshan's program.
      const anshanProgram = expectNoErrors(await open({ regionCode: '210300', name: '2019年鞍山市评先' }, tokens.anshanAdmin)).createCommendationProgram;
      expectRefused(await nominate({ programId: anshanProgram.id, recipientId: heping[0] }, tokens.provinceEditor), 'BAD_USER_INPUT', { field: 'recipientId' });
    });
  });

  it('holds the quota when approvals arrive at once: exactly the quota succeed, the rest are told it is used up', async () => {
    const city = expectNoErrors(await open({ regionCode: '210300', name: '2019年鞍山市先进党支部评选', categories: [{ category: 'ADVANCED_BRANCH', quota: 2 }] }, tokens.anshanAdmin)).createCommendationProgram;
    const branches = await db.query(
      `SELECT id FROM organization.party_organization
        WHERE region_code LIKE '2103%' AND kind = 'STANDALONE_BRANCH' AND dissolved_on IS NULL AND founded_on <= '2019-01-01' ORDER BY id LIMIT 5`,
    );
    expect(branches.rows).toHaveLength(5);
    const nominations = [];
    for (const row of branches.rows) nominations.push(await nominated({ programId: city.id, category: 'ADVANCED_BRANCH', recipientId: row.id }, tokens.anshanEditor));

    const results = await Promise.all(nominations.map((n) => stack.request(APPROVE, { id: n.id, on: '2019-12-20' }, tokens.anshanEditor)));
    const approved = results.filter((r) => r.body.data?.approveCommendation?.status === 'APPROVED');
    const refused = results.filter((r) => r.body.errors);
    expect(approved).toHaveLength(2);
    expect(refused).toHaveLength(3);
    for (const r of refused) {
      expectRefused(r, 'CONFLICT', { message: /quota of 2/ });
    }
    const stored = await db.query(`SELECT status, count(*)::int AS n FROM commendations.commendation WHERE program_id = $1 GROUP BY status ORDER BY status`, [city.id]);
    expect(stored.rows).toEqual([{ status: 'APPROVED', n: 2 }, { status: 'NOMINATED', n: 3 }]);
    const { body } = await stack.request(`query($id: ID!) { commendationProgram(id: $id) { categories { category quota approved } } }`, { id: city.id }, tokens.anshanEditor);
    expect(body.data.commendationProgram.categories).toEqual([{ category: 'ADVANCED_BRANCH', quota: 2, approved: 2 }]);

    // A revoked award gives its place back.
    const winner = approved[0].body.data.approveCommendation.id;
    expectNoErrors(await stack.request(REVOKE, { id: winner, on: '2019-12-25', reason: '党支部班子严重违纪' }, tokens.anshanEditor));
    const waiting = nominations.filter((n) => !approved.some((a) => a.body.data.approveCommendation.id === n.id));
    expect(expectNoErrors(await stack.request(APPROVE, { id: waiting[0].id, on: '2019-12-26' }, tokens.anshanEditor)).approveCommendation.status).toBe('APPROVED');
    expectRefused(await stack.request(APPROVE, { id: waiting[1].id, on: '2019-12-26' }, tokens.anshanEditor), 'CONFLICT');

  });

  it('decides a nomination once, even when two decisions arrive at once', async () => {
    const { id } = await nominated({ recipientId: lawyers[4] });
    const [approve, reject] = await Promise.all([
      stack.request(APPROVE, { id, on: '2019-12-27' }, tokens.provinceEditor),
      stack.request(REJECT, { id, on: '2019-12-27', reason: '事迹材料不够突出' }, tokens.provinceEditor),
    ]);
    const outcomes = [approve, reject].map((r) => errorCodes(r)[0] ?? 'DONE').sort();
    expect(outcomes).toEqual(['CONFLICT', 'DONE']);
    const audit = await db.query(`SELECT action FROM commendations.audit_log WHERE entity_id = $1 AND action <> 'nominateForCommendation'`, [id]);
    expect(audit.rows).toHaveLength(1);
  });

  describe('tiers', () => {
    it('a station outside the program’s region cannot find the nomination; branches and viewers cannot nominate', async () => {
      const anshanProgram = expectNoErrors(await open({ regionCode: '210300', name: '2019年鞍山市优秀党员律师评选' }, tokens.anshanAdmin)).createCommendationProgram;
      const nomination = await nominated({ programId: anshanProgram.id, recipientId: lawyers[5] });
      expectRefused(await stack.request(APPROVE, { id: nomination.id, on: '2019-12-20' }, tokens.dalianEditor), 'NOT_FOUND', { field: 'id' });
      const { body } = await stack.request(`query($id: ID!) { commendation(id: $id) { id } }`, { id: nomination.id }, tokens.dalianEditor);
      expect(body.data.commendation).toBeNull();
      expectRefused(await nominate({ programId: anshanProgram.id, recipientId: lawyers[5] }, tokens.dalianEditor), 'NOT_FOUND', { field: 'programId' });
      expectRefused(await nominate({ recipientId: lawyers[6] }, tokens.hongyangBranch), 'FORBIDDEN');
      expectRefused(await nominate({ recipientId: lawyers[6] }, tokens.tiedongViewer), 'FORBIDDEN');
      // The city decides its own program.
      expect(expectNoErrors(await stack.request(APPROVE, { id: nomination.id, on: '2019-12-20' }, tokens.anshanEditor)).approveCommendation.status).toBe('APPROVED');
    });

    it('a county station decides its own county’s program, and the stations above it may too', async () => {
      const county = expectNoErrors(await open({ regionCode: '210302', name: '2019年铁东区律师行业评先', categories: [{ category: 'EXCELLENT_PARTY_MEMBER_LAWYER', quota: 3 }] }, tokens.tiedongAdmin)).createCommendationProgram;
      expect(county).toMatchObject({ level: 'COUNTY', region: { code: '210302' } });
      const first = await nominated({ programId: county.id, recipientId: lawyers[6] });
      const second = await nominated({ programId: county.id, recipientId: lawyers[7] });
      expect(expectNoErrors(await stack.request(APPROVE, { id: first.id, on: '2019-12-20' }, tokens.tiedongEditor)).approveCommendation.status).toBe('APPROVED');
      expect(expectNoErrors(await stack.request(APPROVE, { id: second.id, on: '2019-12-20' }, tokens.anshanEditor)).approveCommendation.status).toBe('APPROVED');
      // The member's branch sees its member's award; another branch does not.
      const member = await stack.request(`query($id: ID!) { member(id: $id) { partyOrganization { id } } }`, { id: lawyers[6] }, tokens.province);
      const own = member.body.data.member.partyOrganization.id;
      const ownBranch = await stack.token({ tier: 'BRANCH', regionCode: '210302', organizationId: own });
      const seen = await stack.request(`query($id: ID!) { commendation(id: $id) { id status } }`, { id: first.id }, ownBranch);
      expect(seen.body.data.commendation).toEqual({ id: first.id, status: 'APPROVED' });
      const other = await db.query(`SELECT id FROM organization.party_organization WHERE region_code = '210302' AND kind = 'STANDALONE_BRANCH' AND id <> $1 LIMIT 1`, [own]);
      const otherBranch = await stack.token({ tier: 'BRANCH', regionCode: '210302', organizationId: other.rows[0].id });
      const unseen = await stack.request(`query($id: ID!) { commendation(id: $id) { id status } }`, { id: first.id }, otherBranch);
      expect(unseen.body.data.commendation).toBeNull();
    });

    it('the provincial center recommends to a national program and records the Ministry of Justice’s decisions; the stations below it do neither', async () => {
      const programs = await stack.request(`{ commendationPrograms(filter: { level: NATIONAL, year: 2018 }, first: 5) { edges { node { id opensOn closesOn } } } }`, {}, tokens.province);
      const [national] = programs.body.data.commendationPrograms.edges.map((e: any) => e.node);
      expect(national).toMatchObject({ opensOn: '2018-03-01', closesOn: '2018-04-30' });
      const [first, second] = await fullLawyers('210302', '2018-03-01');
      const recommend = (recipientId: string) =>
        nominated({ programId: national.id, recipientId, nominatedOn: '2018-04-10', citation: '推荐参评全国优秀党员律师。' }, tokens.provinceEditor);

      // The stations below recommend through the province.
      const byCounty = await nominate({ programId: national.id, recipientId: first, nominatedOn: '2018-04-10' }, tokens.tiedongEditor);
      expectRefused(byCounty, 'FORBIDDEN');

      const approvedOne = await recommend(first);
      expect(approvedOne).toMatchObject({ level: 'NATIONAL', year: 2018, status: 'NOMINATED', region: { code: '210302' } });
      expectRefused(await stack.request(APPROVE, { id: approvedOne.id, on: '2018-06-26' }, tokens.anshanEditor), 'FORBIDDEN');
      expectRefused(await stack.request(APPROVE, { id: approvedOne.id, on: '2018-06-26' }, tokens.tiedongEditor), 'FORBIDDEN');
      expectRefused(await stack.request(APPROVE, { id: approvedOne.id, on: '2018-06-26' }, tokens.province), 'FORBIDDEN');
      const approved = await stack.request(APPROVE, { id: approvedOne.id, on: '2018-06-26', reason: '经司法部审定表彰' }, tokens.provinceEditor);
      expect(approved.body.data.approveCommendation).toMatchObject({ status: 'APPROVED', decidedOn: '2018-06-26', decisionReason: '经司法部审定表彰' });

      const rejectedOne = await recommend(second);
      const rejected = await stack.request(REJECT, { id: rejectedOne.id, on: '2018-06-26', reason: '未获司法部表彰' }, tokens.provinceEditor);
      expect(rejected.body.data.rejectCommendation).toMatchObject({ status: 'REJECTED', decisionReason: '未获司法部表彰' });

      const profile = await stack.request(`query($id: ID!) { member(id: $id) { commendations { id level status } } }`, { id: first }, tokens.tiedongViewer);
      expect(profile.body.data.member.commendations).toContainEqual({ id: approvedOne.id, level: 'NATIONAL', status: 'APPROVED' });
      const audit = await db.query(`SELECT actor, action FROM commendations.audit_log WHERE entity_id = ANY($1) ORDER BY id`, [[approvedOne.id, rejectedOne.id]]);
      expect(audit.rows).toEqual([
        { actor: 'provinceEditor', action: 'nominateForCommendation' },
        { actor: 'provinceEditor', action: 'approveCommendation' },
        { actor: 'provinceEditor', action: 'nominateForCommendation' },
        { actor: 'provinceEditor', action: 'rejectCommendation' },
      ]);
    });
  });

  it('a decision that fails halfway leaves nothing behind', async () => {
    const nomination = await nominated({ recipientId: lawyers[2], nominatedOn: '2019-08-01' });
    const audits = Number((await db.query('SELECT count(*) FROM commendations.audit_log')).rows[0].count);
    await db.query(`CREATE FUNCTION commendations.refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'storage failure'; END $$`);
    await db.query(`CREATE TRIGGER refuse_audit BEFORE INSERT ON commendations.audit_log FOR EACH ROW EXECUTE FUNCTION commendations.refuse_audit()`);
    try {
      const failed = await stack.request(APPROVE, { id: nomination.id, on: '2019-12-20' }, tokens.provinceEditor);
      expectRefused(failed, 'INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(failed.body)).not.toMatch(/storage failure|INSERT|audit_log/);
    } finally {
      await db.query('DROP TRIGGER refuse_audit ON commendations.audit_log');
      await db.query('DROP FUNCTION commendations.refuse_audit()');
    }
    const row = await db.query('SELECT status, decided_on FROM commendations.commendation WHERE id = $1', [nomination.id]);
    expect(row.rows).toEqual([{ status: 'NOMINATED', decided_on: null }]);
    expect(Number((await db.query('SELECT count(*) FROM commendations.audit_log')).rows[0].count)).toBe(audits);
    expect(expectNoErrors(await stack.request(APPROVE, { id: nomination.id, on: '2019-12-20' }, tokens.provinceEditor)).approveCommendation.status).toBe('APPROVED');
  });

  it('counts a hand-made year exactly, in the county, its city and the province', async () => {
    // 2015 has no commendations in the demo dataset: whatever is counted here was made here.
    const county = expectNoErrors(await open({
      regionCode: '210303', name: '2015年铁西区律师行业评先', year: 2015, opensOn: '2015-01-01', closesOn: '2015-12-31',
      categories: [{ category: 'EXCELLENT_PARTY_MEMBER_LAWYER', quota: 3 }, { category: 'MOST_BEAUTIFUL_PERSON', quota: 1 }],
    }, tokens.tiexiAdmin)).createCommendationProgram;
    const people = await fullLawyers('210303', '2015-01-01');
    expect(people.length).toBeGreaterThanOrEqual(4);
    const [kept, revoked, rejected, pending] = people;
    const make = (recipientId: string, category = 'EXCELLENT_PARTY_MEMBER_LAWYER') =>
      nominated({ programId: county.id, recipientId, category, nominatedOn: '2015-03-01' }, tokens.anshanEditor);
    const a = await make(kept);
    const b = await make(revoked);
    const c = await make(rejected);
    await make(pending, 'MOST_BEAUTIFUL_PERSON');
    expectNoErrors(await stack.request(APPROVE, { id: a.id, on: '2015-06-30' }, tokens.anshanEditor));
    expectNoErrors(await stack.request(APPROVE, { id: b.id, on: '2015-06-30' }, tokens.anshanEditor));
    expectNoErrors(await stack.request(REVOKE, { id: b.id, on: '2015-10-01', reason: '受到行政处罚' }, tokens.anshanEditor));
    expectNoErrors(await stack.request(REJECT, { id: c.id, on: '2015-06-30', reason: '事迹不够突出' }, tokens.anshanEditor));

    const expected = {
      approved: 1, nominated: 1, rejected: 1, revoked: 1,
      byCategory: [{ category: 'EXCELLENT_PARTY_MEMBER_LAWYER', count: 1 }],
      byLevel: [{ level: 'COUNTY', count: 1 }],
    };
    for (const code of ['210303', '210300', '210000']) {
      const { body } = await stack.request(STATS, { code, year: 2015 }, tokens.province);
      expect(body.data.region.commendationStats).toEqual(expected);
    }
    const next = await stack.request(STATS, { code: '210302', year: 2015 }, tokens.province);
    expect(next.body.data.region.commendationStats).toEqual({ approved: 0, nominated: 0, rejected: 0, revoked: 0, byCategory: [], byLevel: [] });
  });
});
