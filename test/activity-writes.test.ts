import type { Client } from 'pg';
import { todayInChina } from '../shared/src/validation';
import { startStack, type Stack } from './helpers/stack';
import { expectNoErrors, expectRefused } from './helpers/expectations';

const RECORD = /* GraphQL */ `
  mutation Record($input: RecordActivityInput!) {
    recordActivity(input: $input) {
      id kind title date status region { code } organization { id } station { id }
      attendanceCount attendance { member { id } status reason hours }
    }
  }
`;
const UPDATE = `mutation($id: ID!, $input: UpdateActivityInput!) { updateActivity(id: $id, input: $input) { id title attendanceCount } }`;
const CANCEL = `mutation($id: ID!, $reason: String!) { cancelActivity(id: $id, reason: $reason) { id status cancelledOn cancellationReason } }`;
const LIFE = `query($id: ID!) { partyOrganization(id: $id) { organizationalLife(year: 2019) { kind held } } }`;
const HOURS = `query($id: ID!) { member(id: $id) { serviceHours(year: 2019) trainingHours(year: 2019) } }`;


describe('recording activities', () => {
  let stack: Stack;
  let db: Client;
  let province: string;
  let tiedongEditor: string;
  let branchEditor: string;
  let hongyang: { id: string; branchId: string };
  let members: string[];
  let stranger: { id: string; branchId: string };
  let station: { id: string; officers: string[] };

  const record = (input: Record<string, unknown>, token = branchEditor) => stack.request(RECORD, { input: { organizerOrganizationId: hongyang.branchId, ...input } }, token);
  const held = async (kind: string) => {
    const { body } = await stack.request<{ partyOrganization: { organizationalLife: { kind: string; held: number }[] } }>(LIFE, { id: hongyang.branchId }, province);
    return expectNoErrors(body).partyOrganization.organizationalLife.find((line) => line.kind === kind)!.held;
  };
  const writes = async () => (await db.query(`SELECT (SELECT count(*) FROM activities.activity)::int AS activities, (SELECT count(*) FROM activities.audit_log)::int AS audit`)).rows[0];

  beforeAll(async () => {
    stack = await startStack();
    db = await stack.database();
    province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
    tiedongEditor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'], subject: 'tiedong-editor' });

    type Firm = { id: string; name: string; partyOrganization: { id: string; members: { id: string; partyStatus: string }[] } };
    const found = expectNoErrors(
      await stack.request<{ institutions: { edges: { node: Firm }[] }; region: { guidanceStation: { id: string; guidanceOfficers: { id: string }[] } } }>(
        `{ institutions(filter: { nameContains: "辽宁弘扬律师事务所" }, first: 5) { edges { node { id name partyOrganization { id members { id partyStatus } } } } }
           region(code: "210302") { guidanceStation { id guidanceOfficers { id } } } }`,
        {},
        province,
      ),
    );
    const firm = found.institutions.edges.map((e) => e.node).find((n) => n.name === '辽宁弘扬律师事务所')!;
    hongyang = { id: firm.id, branchId: firm.partyOrganization.id };
    members = firm.partyOrganization.members.map((m) => m.id);
    station = { id: found.region.guidanceStation.id, officers: found.region.guidanceStation.guidanceOfficers.map((m) => m.id) };
    branchEditor = await stack.token({ tier: 'BRANCH', regionCode: '210302', organizationId: hongyang.branchId, roles: ['editor'], subject: 'hongyang-secretary' });

    const others = await stack.request<{ members: { edges: { node: { id: string; partyOrganization: { id: string } | null } }[] } }>(
      `{ members(filter: { regionCode: "210302", partyStatus: FULL }, first: 100) { edges { node { id partyOrganization { id } } } } }`,
      {},
      province,
    );
    const other = expectNoErrors(others).members.edges.map((e) => e.node).find((m) => m.partyOrganization && m.partyOrganization.id !== hongyang.branchId)!;
    stranger = { id: other.id, branchId: other.partyOrganization.id };
  });
  afterAll(() => stack?.stop());

  describe('attendance', () => {
    it('a branch secretary records a general meeting with who was present, excused and absent', async () => {
      const before = await held('BRANCH_GENERAL_MEETING');
      const { body } = await record({
        kind: 'BRANCH_GENERAL_MEETING',
        title: '第四季度支部党员大会：讨论接收预备党员',
        date: '2019-12-30',
        durationHours: 2,
        attendance: [
          { memberId: members[0], status: 'PRESENT' },
          { memberId: members[1], status: 'EXCUSED', reason: '外地出庭' },
          { memberId: members[2], status: 'ABSENT' },
        ],
      });
      expectNoErrors(body);
      const meeting = body.data.recordActivity;
      expect(meeting).toMatchObject({ kind: 'BRANCH_GENERAL_MEETING', status: 'HELD', region: { code: '210302' }, organization: { id: hongyang.branchId }, station: null, attendanceCount: 1 });
      expect(meeting.attendance).toEqual([
        { member: { id: members[0] }, status: 'PRESENT', reason: null, hours: null },
        { member: { id: members[1] }, status: 'EXCUSED', reason: '外地出庭', hours: null },
        { member: { id: members[2] }, status: 'ABSENT', reason: null, hours: null },
      ]);
      expect(await held('BRANCH_GENERAL_MEETING')).toBe(before + 1);
      const audit = await db.query(`SELECT actor, actor_tier, action, region_code, after FROM activities.audit_log WHERE entity_id = $1`, [meeting.id]);
      expect(audit.rows).toEqual([
        { actor: 'hongyang-secretary', actor_tier: 'BRANCH', action: 'recordActivity', region_code: '210302', after: expect.objectContaining({ title: meeting.title, attendance: expect.any(Array) }) },
      ]);
    });

    it('an attendee must be a formal member of the organizer or one of its temporary participants', async () => {
      const before = await writes();
      const input = { kind: 'THEME_PARTY_DAY', title: '主题党日：重温入党誓词', date: '2019-12-28', attendance: [{ memberId: members[0], status: 'PRESENT' }, { memberId: stranger.id, status: 'PRESENT' }] };
      const refused = await record(input, tiedongEditor);
      expectRefused(refused, 'BAD_USER_INPUT', { field: 'attendance', messageIncludes: stranger.id });
      expect(await writes()).toEqual(before);

      const joined = await stack.request(
        `mutation($m: ID!, $o: ID!) { joinTemporarily(memberId: $m, organizationId: $o, startedOn: "2019-12-01") { id } }`,
        { m: stranger.id, o: hongyang.branchId },
        tiedongEditor,
      );
      expectNoErrors(joined);
      const accepted = await record(input, tiedongEditor);
      expectNoErrors(accepted);
      expect(expectNoErrors(accepted).recordActivity.attendanceCount).toBe(2);

      // The participant's own branch reads another branch's activity neither by id nor through its member.
      const ownBranch = await stack.token({ tier: 'BRANCH', regionCode: '210302', organizationId: stranger.branchId });
      const seen = await stack.request(
        `query($id: ID!, $a: ID!) { member(id: $id) { id activities(year: 2019) { id } } activity(id: $a) { id } }`,
        { id: stranger.id, a: expectNoErrors(accepted).recordActivity.id },
        ownBranch,
      );
      expect(seen.body.data.member.id).toBe(stranger.id);
      expect(seen.body.data.activity).toBeNull();
      expect(seen.body.data.member.activities.map((a: any) => a.id)).not.toContain(expectNoErrors(accepted).recordActivity.id);
    });

    it('an excused member needs a reason, and nobody is listed twice', async () => {
      const before = await writes();
      const unexplained = await record({ kind: 'PARTY_LECTURE', title: '党课', date: '2019-12-20', attendance: [{ memberId: members[0], status: 'EXCUSED' }] });
      expectRefused(unexplained, 'BAD_USER_INPUT', { field: 'attendance' });
      const twice = await record({
        kind: 'PARTY_LECTURE',
        title: '党课',
        date: '2019-12-20',
        attendance: [{ memberId: members[0], status: 'PRESENT' }, { memberId: members[0], status: 'ABSENT' }],
      });
      expectRefused(twice, 'BAD_USER_INPUT', { field: 'attendance' });
      expect(await writes()).toEqual(before);
    });
  });

  describe('who may record what', () => {
    it('refuses viewers, and keeps a branch to its own organization', async () => {
      const viewer = await stack.token({ tier: 'COUNTY', regionCode: '210302' });
      const base = { kind: 'PARTY_GROUP_MEETING', title: '党小组会', date: '2019-12-10' };
      expectRefused(await record(base, viewer), 'FORBIDDEN');
      expectRefused(await record({ ...base, organizerOrganizationId: stranger.branchId }), 'NOT_FOUND', { field: 'organizerOrganizationId' });
      expectRefused(await record({ ...base, kind: 'VOLUNTEER_SERVICE', organizerOrganizationId: null, organizerStationId: station.id }), 'FORBIDDEN');
    });

    it('reads an organizer outside the tier as missing, and checks the kind, the date and the organizer’s lifetime', async () => {
      const base = { kind: 'PARTY_GROUP_MEETING', title: '党小组会', date: '2019-12-10' };
      const chenhan = await stack.request(`{ institutions(filter: { nameContains: "辽宁宸瀚律师事务所" }, first: 1) { edges { node { partyOrganization { id foundedOn } } } } }`, {}, province);
      const elsewhere = chenhan.body.data.institutions.edges[0].node.partyOrganization.id;
      expectRefused(await record({ ...base, organizerOrganizationId: elsewhere }, tiedongEditor), 'NOT_FOUND', { field: 'organizerOrganizationId' });
      const tomorrow = new Date(Date.parse(todayInChina()) + 2 * 86_400_000).toISOString().slice(0, 10);
      expectRefused(await record({ ...base, date: tomorrow }, tiedongEditor), 'BAD_USER_INPUT', { field: 'date' });
      expectRefused(await record({ ...base, date: '2000-01-01' }, tiedongEditor), 'BAD_USER_INPUT', { field: 'date' });
      const byStation = await record({ ...base, organizerOrganizationId: null, organizerStationId: station.id }, tiedongEditor);
      expectRefused(byStation, 'BAD_USER_INPUT', { field: 'kind' });
      const noOrganizer = await record({ ...base, organizerOrganizationId: null }, tiedongEditor);
      expectRefused(noOrganizer, 'BAD_USER_INPUT', { field: 'organizerOrganizationId' });
    });
  });

  describe('changing the record', () => {
    it('updating replaces the attendance; cancelling takes the meeting out of every count; twice is a conflict', async () => {
      const before = await held('BRANCH_COMMITTEE_MEETING');
      const { body } = await record({ kind: 'BRANCH_COMMITTEE_MEETING', title: '支委会', date: '2019-12-05', attendance: [{ memberId: members[0], status: 'PRESENT' }] });
      const id = body.data.recordActivity.id;
      const updated = await stack.request(
        UPDATE,
        { id, input: { title: '支委会：研究发展党员工作', attendance: members.slice(0, 3).map((memberId) => ({ memberId, status: 'PRESENT' })) } },
        branchEditor,
      );
      expect(updated.body.data.updateActivity).toEqual({ id, title: '支委会：研究发展党员工作', attendanceCount: 3 });
      expect(await held('BRANCH_COMMITTEE_MEETING')).toBe(before + 1);

      const elsewhere = await stack.token({ tier: 'COUNTY', regionCode: '210303', roles: ['editor'] });
      expectRefused(await stack.request(CANCEL, { id, reason: '误录' }, elsewhere), 'NOT_FOUND');

      const cancelled = await stack.request(CANCEL, { id, reason: '与集中开庭时间冲突，改期举行' }, branchEditor);
      expect(cancelled.body.data.cancelActivity).toMatchObject({ id, status: 'CANCELLED', cancelledOn: todayInChina(), cancellationReason: '与集中开庭时间冲突，改期举行' });
      expect(await held('BRANCH_COMMITTEE_MEETING')).toBe(before);
      const listed = await stack.request(`query($id: ID!) { partyOrganization(id: $id) { activities(year: 2019, kind: BRANCH_COMMITTEE_MEETING) { id } } }`, { id: hongyang.branchId }, province);
      expect(listed.body.data.partyOrganization.activities.map((a: any) => a.id)).not.toContain(id);

      expectRefused(await stack.request(CANCEL, { id, reason: '再次取消' }, branchEditor), 'CONFLICT');
      expectRefused(await stack.request(UPDATE, { id, input: { title: '改' } }, branchEditor), 'CONFLICT');
      const trail = await db.query(`SELECT action FROM activities.audit_log WHERE entity_id = $1 ORDER BY id`, [id]);
      expect(trail.rows.map((row) => row.action)).toEqual(['recordActivity', 'updateActivity', 'cancelActivity']);
    });
  });

  describe('service and training', () => {
    it('volunteer service credits each member present with its hours', async () => {
      const hours = async (id: string) => (await stack.request(HOURS, { id }, province)).body.data.member.serviceHours as number;
      const [a, b, c] = [await hours(members[0]), await hours(members[1]), await hours(members[2])];
      const { body } = await record({
        kind: 'VOLUNTEER_SERVICE',
        title: '“一村（社区）一法律顾问”驻点服务',
        date: '2019-11-20',
        durationHours: 3,
        institutionId: hongyang.id,
        attendance: [
          { memberId: members[0], status: 'PRESENT' },
          { memberId: members[1], status: 'PRESENT', hours: 2 },
          { memberId: members[2], status: 'EXCUSED', reason: '病假' },
        ],
      });
      expectNoErrors(body);
      expect([await hours(members[0]), await hours(members[1]), await hours(members[2])]).toEqual([a + 3, b + 2, c]);
      const tooLong = await record({ kind: 'VOLUNTEER_SERVICE', title: '法律咨询', date: '2019-11-21', durationHours: 3, attendance: [{ memberId: members[0], status: 'PRESENT', hours: 5 }] });
      expectRefused(tooLong, 'BAD_USER_INPUT', { field: 'attendance' });
      const absentHours = await record({ kind: 'VOLUNTEER_SERVICE', title: '法律咨询', date: '2019-11-21', attendance: [{ memberId: members[0], status: 'ABSENT', hours: 1 }] });
      expectRefused(absentHours, 'BAD_USER_INPUT', { field: 'attendance' });
    });

    it('a station runs a training class: enrolment, completion and the class hours credited', async () => {
      const trainingHours = async (id: string) => (await stack.request(HOURS, { id }, province)).body.data.member.trainingHours as number;
      const base = { kind: 'TRAINING_CLASS', title: '铁东区党组织书记培训班', date: '2019-11-11', endDate: '2019-11-12', classHours: 16, durationHours: 14, organizerOrganizationId: null, organizerStationId: station.id };
      const withAttendance = await record({ ...base, attendance: [{ memberId: members[0], status: 'PRESENT' }] }, tiedongEditor);
      expectRefused(withAttendance, 'BAD_USER_INPUT', { field: 'attendance' });
      expectRefused(await record({ ...base, classHours: null }, tiedongEditor), 'BAD_USER_INPUT', { field: 'classHours' });
      const created = await record(base, tiedongEditor);
      expectNoErrors(created);
      const classId = created.body.data.recordActivity.id;
      expect(created.body.data.recordActivity.station).toEqual({ id: station.id });

      const ENROL = `mutation($a: ID!, $m: [ID!]!) { enrolInTrainingClass(activityId: $a, memberIds: $m, enrolledOn: "2019-11-01") { id enrolments { member { id } completedOn } } }`;
      expectRefused(await stack.request(ENROL, { a: classId, m: [members[0]] }, branchEditor), 'FORBIDDEN');
      const enrolled = await stack.request(ENROL, { a: classId, m: [members[0], members[1]] }, tiedongEditor);
      expect(enrolled.body.data.enrolInTrainingClass.enrolments.map((e: any) => e.member.id).sort()).toEqual([members[0], members[1]].sort());
      expectRefused(await stack.request(ENROL, { a: classId, m: [members[1]] }, tiedongEditor), 'CONFLICT');

      const COMPLETE = `mutation($a: ID!, $m: ID!, $on: Date!, $h: Float) { recordTrainingCompletion(activityId: $a, memberId: $m, completedOn: $on, hours: $h) { completedOn hours } }`;
      const before = await trainingHours(members[0]);
      const completed = await stack.request(COMPLETE, { a: classId, m: members[0], on: '2019-11-12' }, tiedongEditor);
      expect(completed.body.data.recordTrainingCompletion).toEqual({ completedOn: '2019-11-12', hours: 16 });
      expect(await trainingHours(members[0])).toBe(before + 16);
      expectRefused(await stack.request(COMPLETE, { a: classId, m: members[0], on: '2019-11-12' }, tiedongEditor), 'CONFLICT');
      expectRefused(await stack.request(COMPLETE, { a: classId, m: members[1], on: '2019-11-12', h: 20 }, tiedongEditor), 'BAD_USER_INPUT', { field: 'hours' });
      expectRefused(await stack.request(COMPLETE, { a: classId, m: members[1], on: '2019-11-11' }, tiedongEditor), 'BAD_USER_INPUT', { field: 'completedOn' });
      expectRefused(await stack.request(COMPLETE, { a: classId, m: members[2], on: '2019-11-12' }, tiedongEditor), 'NOT_FOUND', { field: 'memberId' });

      const count = await stack.request(`query($id: ID!) { activity(id: $id) { attendanceCount enrolments { completedOn } } }`, { id: classId }, province);
      expect(count.body.data.activity.attendanceCount).toBe(1);
    });
  });

  describe('guidance and the three synchronizations', () => {
    it('guidance visits are made by the station’s guidance officers', async () => {
      expect(station.officers.length).toBeGreaterThan(0);
      const base = { kind: 'GUIDANCE_VISIT', title: '指导规范“三会一课”记录', date: '2019-12-02', organizerOrganizationId: null, organizerStationId: station.id, institutionId: hongyang.id };
      const visit = await record({ ...base, officerId: station.officers[0] }, tiedongEditor);
      expectNoErrors(visit);
      expect(visit.body.data.recordActivity.region).toEqual({ code: '210302' });
      const officer = await stack.request(`query($id: ID!) { member(id: $id) { activities(year: 2019) { id kind } } }`, { id: station.officers[0] }, province);
      expect(officer.body.data.member.activities.map((a: any) => a.id)).toContain(visit.body.data.recordActivity.id);
      expectRefused(await record({ ...base, officerId: members[0] }, tiedongEditor), 'BAD_USER_INPUT', { field: 'officerId' });
      expectRefused(await record({ ...base, institutionId: null, officerId: station.officers[0] }, tiedongEditor), 'BAD_USER_INPUT', { field: 'institutionId' });
    });

    it('records checkpoints at approval, inspection and assessment, once each', async () => {
      const RECORD_CHECKPOINT = `mutation($input: RecordCheckpointInput!) { recordCheckpoint(input: $input) { id year stage result commitmentLetterReceived institution { id } } }`;
      const today = todayInChina();
      const year = Number(today.slice(0, 4));
      const inspection = { institutionId: hongyang.id, stage: 'ANNUAL_INSPECTION', checkedOn: today, result: 'PASSED' };
      const first = await stack.request(RECORD_CHECKPOINT, { input: inspection }, tiedongEditor);
      expect(first.body.data.recordCheckpoint).toMatchObject({ year, stage: 'ANNUAL_INSPECTION', result: 'PASSED', commitmentLetterReceived: null, institution: { id: hongyang.id } });
      expectRefused(await stack.request(RECORD_CHECKPOINT, { input: inspection }, tiedongEditor), 'CONFLICT');
      expectRefused(await stack.request(RECORD_CHECKPOINT, { input: inspection }, branchEditor), 'FORBIDDEN');
      const approval = { ...inspection, stage: 'APPROVAL' };
      expectRefused(await stack.request(RECORD_CHECKPOINT, { input: approval }, tiedongEditor), 'BAD_USER_INPUT', { field: 'commitmentLetterReceived' });
      expectRefused(await stack.request(RECORD_CHECKPOINT, { input: { ...approval, commitmentLetterReceived: false } }, tiedongEditor), 'BAD_USER_INPUT', { field: 'result' });
      const elsewhere = await stack.token({ tier: 'COUNTY', regionCode: '210303', roles: ['editor'] });
      expectRefused(await stack.request(RECORD_CHECKPOINT, { input: inspection }, elsewhere), 'NOT_FOUND', { field: 'institutionId' });

      const { body } = await stack.request(`query($id: ID!, $year: Int!) { institution(id: $id) { checkpoints(year: $year) { stage result } } }`, { id: hongyang.id, year }, province);
      expect(body.data.institution.checkpoints).toEqual([{ stage: 'ANNUAL_INSPECTION', result: 'PASSED' }]);
    });
  });
});
