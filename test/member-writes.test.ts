import type { Client } from 'pg';
import { idNumberCheckCharacter } from '../shared/src/id-number';
import { todayInChina } from '../shared/src/validation';
import { addMonths } from '../subgraphs/members/src/rules';
import { startStack, type Stack } from './helpers/stack';
import { expectNoErrors, expectRefused } from './helpers/expectations';

const MEMBER_FIELDS = `id name idNumber partyStatus appliedOn activistOn candidateOn joinedOn fullOn
  partyOrganization { id } organizationHistory { organization { id } from to transfer { id } }`;
const REGISTER = `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { ${MEMBER_FIELDS} } }`;
const ADVANCE = `mutation($id: ID!, $input: AdvancePartyStatusInput!) { advancePartyStatus(id: $id, input: $input) { ${MEMBER_FIELDS} } }`;
const INITIATE = `mutation($input: InitiateTransferInput!) { initiateTransfer(input: $input) { id status expiresOn from { id } to { id } } }`;
const CONFIRM = `mutation($id: ID!, $on: Date!) { confirmTransfer(id: $id, receivedOn: $on) { id status completedOn } }`;

let sequence = 0;
function idNumber(birth: string, region = '210302'): string {
  const first17 = `${region}${birth.replaceAll('-', '')}${String(100 + ++sequence).slice(-3)}`;
  return first17 + idNumberCheckCharacter(first17);
}
/** Transfer letters are valid for three months, so transfers are dated near today. */
const daysAgo = (days: number) => new Date(Date.parse(todayInChina()) - days * 86_400_000).toISOString().slice(0, 10);
const SENT = daysAgo(10);
const RECEIVED = daysAgo(5);

const licence = () => `121032019101${String(50000 + ++sequence).slice(-5)}`;

describe('writing member records', () => {
  let stack: Stack;
  let db: Client;
  let tiedongEditor: string;
  let heping: string;
  let hongyang: { id: string; partyOrganization: { id: string } };
  let chenhan: { id: string; partyOrganization: { id: string } };

  const find = async (name: string) => {
    const { body } = await stack.request<{ institutions: { edges: { node: { id: string; name: string; partyOrganization: { id: string } } }[] } }>(
      `query($n: String!) { institutions(filter: { nameContains: $n }, first: 5) { edges { node { id name partyOrganization { id } } } } }`,
      { n: name },
      await stack.token({ tier: 'PROVINCE', regionCode: '210000' }),
    );
    return expectNoErrors(body).institutions.edges.map((e) => e.node).find((n) => n.name === name)!;
  };

  const register = (overrides: Record<string, unknown> = {}, token = tiedongEditor) => {
    const birthDate = (overrides.birthDate as string) ?? '1985-06-15';
    return stack.request(
      REGISTER,
      {
        input: {
          name: '测试律师', gender: 'MALE', ethnicity: '汉族', birthDate, idNumber: idNumber(birthDate),
          education: 'BACHELOR', phone: '13812345678', institutionId: hongyang.id, licenseNumber: licence(), ...overrides,
        },
      },
      token,
    );
  };

  /** A new lawyer of 辽宁弘扬律师事务所 made a full member of its branch, step by step. */
  const fullMember = async () => {
    const { body } = await register();
    const id = body.data.registerMember.id;
    for (const [to, on] of [['APPLICANT', '2015-03-01'], ['ACTIVIST', '2015-09-01'], ['CANDIDATE', '2016-09-01'], ['PROBATIONARY', '2017-01-10'], ['FULL', '2018-01-10']]) {
      const step = await stack.request(ADVANCE, { id, input: { to, on, organizationId: to === 'PROBATIONARY' ? hongyang.partyOrganization.id : null } }, tiedongEditor);
      expectNoErrors(step);
    }
    return id as string;
  };

  beforeAll(async () => {
    stack = await startStack();
    db = await stack.database();
    tiedongEditor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'], subject: 'tiedong-editor' });
    heping = await stack.token({ tier: 'COUNTY', regionCode: '210102', roles: ['editor'], subject: 'heping-editor' });
    hongyang = await find('辽宁弘扬律师事务所');
    chenhan = await find('辽宁宸瀚律师事务所');
  });
  afterAll(() => stack?.stop());

  it('registers a lawyer of an institution in the tier, with an audit row', async () => {
    const { body } = await register();
    expectNoErrors(body);
    const member = body.data.registerMember;
    expect(member).toMatchObject({ name: '测试律师', partyStatus: null, partyOrganization: null });
    const audit = await db.query(`SELECT actor, action FROM members.audit_log WHERE entity_id = $1`, [member.id]);
    expect(audit.rows).toEqual([{ actor: 'tiedong-editor', action: 'registerMember' }]);
  });

  it('refuses a wrong ID number, one that does not carry the birth date, and one already registered', async () => {
    const bad = await register({ idNumber: '210302198506150019' });
    expectRefused(bad, 'BAD_USER_INPUT', { field: 'idNumber' });
    const mismatch = await register({ idNumber: idNumber('1990-01-01') });
    expectRefused(mismatch, 'BAD_USER_INPUT', { field: 'idNumber' });
    const first = await register();
    const taken = await register({ idNumber: first.body.data.registerMember.idNumber });
    expectRefused(taken, 'CONFLICT');
  });

  it('refuses an institution outside the tier as missing, and a bad licence', async () => {
    const outside = await register({ institutionId: chenhan.id });
    expectRefused(outside, 'NOT_FOUND', { field: 'institutionId' });
    const badLicence = await register({ licenseNumber: '123' });
    expectRefused(badLicence, 'BAD_USER_INPUT', { field: 'licenseNumber' });
  });

  it('advances Party status one step at a time, with the minimum stays', async () => {
    const id = (await register()).body.data.registerMember.id;
    const step = (to: string, on: string, organizationId?: string) => stack.request(ADVANCE, { id, input: { to, on, organizationId } }, tiedongEditor);
    expectNoErrors(await step('APPLICANT', '2015-03-01'));
    expectNoErrors(await step('ACTIVIST', '2015-09-01'));
    const early = await step('CANDIDATE', '2016-08-31');
    expectRefused(early, 'BAD_USER_INPUT', { field: 'on' });
    const skip = await step('PROBATIONARY', '2016-10-01', hongyang.partyOrganization.id);
    expectRefused(skip, 'BAD_USER_INPUT', { field: 'to' });
    expectNoErrors(await step('CANDIDATE', '2016-09-01'));
    const admitted = await step('PROBATIONARY', '2017-01-10', hongyang.partyOrganization.id);
    expect(expectNoErrors(admitted).advancePartyStatus).toMatchObject({
      partyStatus: 'PROBATIONARY',
      joinedOn: '2017-01-10',
      partyOrganization: { id: hongyang.partyOrganization.id },
      organizationHistory: [{ organization: { id: hongyang.partyOrganization.id }, from: '2017-01-10', to: null, transfer: null }],
    });
    expectRefused(await step('FULL', '2017-12-31'), 'BAD_USER_INPUT', { message: /until 2018-01-10/ });
    const full = await step('FULL', '2018-01-10');
    expect(full.body.data.advancePartyStatus).toMatchObject({ partyStatus: 'FULL', fullOn: '2018-01-10' });
  });

  describe('transfers', () => {
    it('moves the formal relation only when the receiving side confirms, keeping the history', async () => {
      const id = await fullMember();
      const initiated = await stack.request(
        INITIATE,
        { input: { memberId: id, toOrganizationId: chenhan.partyOrganization.id, letterNumber: '辽律党转〔2019〕901号', initiatedOn: SENT } },
        tiedongEditor,
      );
      const transfer = expectNoErrors(initiated).initiateTransfer;
      // The receiving branch lies in another county: the sender reads the letter, and the branch at its other end as null.
      expect(transfer).toMatchObject({ status: 'PENDING', expiresOn: addMonths(SENT, 3), from: { id: hongyang.partyOrganization.id }, to: null });

      const second = await stack.request(
        INITIATE,
        { input: { memberId: id, toOrganizationId: chenhan.partyOrganization.id, letterNumber: '辽律党转〔2019〕902号', initiatedOn: SENT } },
        tiedongEditor,
      );
      expectRefused(second, 'CONFLICT');

      const bySender = await stack.request(CONFIRM, { id: transfer.id, on: RECEIVED }, tiedongEditor);
      expectRefused(bySender, 'FORBIDDEN');

      const incoming = await stack.request(
        `query($id: ID!) { partyOrganization(id: $id) { incomingTransfers { id member { id } from { id name } to { id name } } } }`,
        { id: chenhan.partyOrganization.id },
        heping,
      );
      expectNoErrors(incoming);
      const letter = incoming.body.data.partyOrganization.incomingTransfers.find((t: any) => t.id === transfer.id);
      // The receiver reads its own branch, and the sending branch in another county as null, with no error.
      expect(letter).toMatchObject({ from: null, to: { id: chenhan.partyOrganization.id, name: expect.stringContaining('辽宁宸瀚律师事务所') } });
      expect(incoming.body).not.toHaveProperty('extensions.valueCompletion');

      const confirmed = await stack.request(CONFIRM, { id: transfer.id, on: RECEIVED }, heping);
      expect(confirmed.body.data.confirmTransfer).toEqual({ id: transfer.id, status: 'COMPLETED', completedOn: RECEIVED });
      const moved = await stack.request(`query($id: ID!) { member(id: $id) { ${MEMBER_FIELDS} transfers { id status } } }`, { id }, heping);
      expect(moved.body.data.member.partyOrganization.id).toBe(chenhan.partyOrganization.id);
      expect(moved.body.data.member.organizationHistory).toEqual([
        { organization: { id: hongyang.partyOrganization.id }, from: '2017-01-10', to: RECEIVED, transfer: { id: transfer.id } },
        { organization: { id: chenhan.partyOrganization.id }, from: RECEIVED, to: null, transfer: null },
      ]);
      expect(moved.body.data.member.transfers).toEqual([{ id: transfer.id, status: 'COMPLETED' }]);
    });

    it('refuses a letter that has already expired', async () => {
      const id = await fullMember();
      const stale = await stack.request(
        INITIATE,
        { input: { memberId: id, toOrganizationId: chenhan.partyOrganization.id, letterNumber: '辽律党转〔2019〕931号', initiatedOn: '2019-11-01' } },
        tiedongEditor,
      );
      expectRefused(stale, 'BAD_USER_INPUT', { field: 'initiatedOn' });
    });

    it('lets the sender cancel and the receiver return an open transfer, and nothing else', async () => {
      const id = await fullMember();
      const open = async (letter: string) =>
        (await stack.request(INITIATE, { input: { memberId: id, toOrganizationId: chenhan.partyOrganization.id, letterNumber: letter, initiatedOn: SENT } }, tiedongEditor))
          .body.data.initiateTransfer.id;
      const first = await open('辽律党转〔2019〕911号');
      const cancelled = await stack.request(`mutation($id: ID!) { cancelTransfer(id: $id, reason: "写错接收支部") { status reason } }`, { id: first }, tiedongEditor);
      expect(cancelled.body.data.cancelTransfer).toEqual({ status: 'CANCELLED', reason: '写错接收支部' });
      const second = await open('辽律党转〔2019〕912号');
      const returnedBySender = await stack.request(`mutation($id: ID!) { returnTransfer(id: $id, reason: "x") { status } }`, { id: second }, tiedongEditor);
      expectRefused(returnedBySender, 'FORBIDDEN');
      const returned = await stack.request(`mutation($id: ID!) { returnTransfer(id: $id, reason: "材料不全") { status } }`, { id: second }, heping);
      expect(returned.body.data.returnTransfer.status).toBe('RETURNED');
      const again = await stack.request(CONFIRM, { id: second, on: RECEIVED }, heping);
      expectRefused(again, 'CONFLICT');
      const member = await db.query('SELECT organization_id FROM members.member WHERE id = $1', [id]);
      expect(member.rows[0].organization_id).toBe(hongyang.partyOrganization.id);
    });

    it('a confirm that fails halfway leaves nothing changed', async () => {
      const id = await fullMember();
      const transfer = expectNoErrors(await stack.request(
        INITIATE,
        { input: { memberId: id, toOrganizationId: chenhan.partyOrganization.id, letterNumber: '辽律党转〔2019〕921号', initiatedOn: SENT } },
        tiedongEditor,
      )).initiateTransfer;
      const audits = Number((await db.query('SELECT count(*) FROM members.audit_log')).rows[0].count);
      // The new period cannot be written: the confirm fails after closing the old one.
      await db.query(`CREATE FUNCTION members.refuse_new_period() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'storage failure'; END $$`);
      await db.query(`CREATE TRIGGER refuse_new_period BEFORE INSERT ON members.organization_membership FOR EACH ROW EXECUTE FUNCTION members.refuse_new_period()`);
      try {
        const failed = await stack.request(CONFIRM, { id: transfer.id, on: RECEIVED }, heping);
        expectRefused(failed, 'INTERNAL_SERVER_ERROR');
        expect(JSON.stringify(failed.body)).not.toMatch(/storage failure|INSERT|organization_membership/);
      } finally {
        await db.query('DROP TRIGGER refuse_new_period ON members.organization_membership');
        await db.query('DROP FUNCTION members.refuse_new_period()');
      }
      const member = await db.query('SELECT organization_id FROM members.member WHERE id = $1', [id]);
      expect(member.rows[0].organization_id).toBe(hongyang.partyOrganization.id);
      const periods = await db.query('SELECT organization_id, to_date FROM members.organization_membership WHERE member_id = $1', [id]);
      expect(periods.rows).toEqual([{ organization_id: hongyang.partyOrganization.id, to_date: null }]);
      const state = await db.query('SELECT status FROM members.transfer WHERE id = $1', [transfer.id]);
      expect(state.rows[0].status).toBe('PENDING');
      expect(Number((await db.query('SELECT count(*) FROM members.audit_log')).rows[0].count)).toBe(audits);

      const retried = await stack.request(CONFIRM, { id: transfer.id, on: RECEIVED }, heping);
      expect(retried.body.data.confirmTransfer.status).toBe('COMPLETED');
    });
  });

  it('keeps one secretary per branch', async () => {
    const id = await fullMember();
    const assign = `mutation($input: AssignRoleInput!) { assignRole(input: $input) { id kind member { id } organization { id } } }`;
    const taken = await stack.request(assign, { input: { memberId: id, kind: 'SECRETARY', organizationId: hongyang.partyOrganization.id, startedOn: '2019-01-01' } }, tiedongEditor);
    expectRefused(taken, 'CONFLICT');
    const deputy = await stack.request(assign, { input: { memberId: id, kind: 'DEPUTY_SECRETARY', organizationId: hongyang.partyOrganization.id, startedOn: '2019-01-01' } }, tiedongEditor);
    expect(deputy.body.data.assignRole).toMatchObject({ kind: 'DEPUTY_SECRETARY', member: { id }, organization: { id: hongyang.partyOrganization.id } });
  });
});
