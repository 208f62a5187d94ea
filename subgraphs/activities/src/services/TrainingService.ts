import type { DataSource } from 'typeorm';
import { writeAudit } from '../../../../shared/src/audit';
import { badUserInput, conflict, notFound } from '../../../../shared/src/errors';
import { isUuid } from '../../../../shared/src/sql';
import { inTransaction } from '../../../../shared/src/transaction';
import { requirePastDate } from '../../../../shared/src/validation';
import { ALL_REGIONS, type Caller } from '../../../../shared/src/viewer';
import type { MembersDirectory } from '../directory';
import type { Activity, Enrolment } from '../entities';
import type { Repositories } from '../repositories';
import { requireEditor } from './access';
import type { ActivityService } from './ActivityService';

/** Most members one enrolment request names: a provincial class takes a few hundred. */
const MAX_ENROLMENT = 500;

/** Enrolment in training classes and their completion, with the class hours credited (学时). */
export class TrainingService {
  constructor(
    private readonly db: DataSource,
    private readonly repos: Repositories,
    private readonly members: MembersDirectory,
    private readonly activities: ActivityService,
  ) {}

  async enrol(caller: Caller, activityId: string, memberIds: readonly string[], enrolledOn: string): Promise<Activity> {
    requireEditor(caller, { stationsOnly: true });
    requirePastDate(enrolledOn, 'enrolledOn');
    if (memberIds.length === 0 || memberIds.length > MAX_ENROLMENT) throw badUserInput(`memberIds names 1 to ${MAX_ENROLMENT} members.`, 'memberIds');
    if (new Set(memberIds).size !== memberIds.length) throw badUserInput('memberIds names a member twice.', 'memberIds');
    const trainingClass = this.trainingClass(await this.activities.owned(caller, activityId, 'activityId'));
    if (enrolledOn > (trainingClass.endDate ?? trainingClass.date)) throw badUserInput('enrolledOn is after the class ended.', 'enrolledOn');
    const people = await this.members.people(memberIds, caller.authorization);
    const missing = memberIds.find((_id, i) => people[i] === null);
    if (missing) throw notFound('Member', missing, 'memberIds');

    return inTransaction(this.db, async (m) => {
      const locked = this.trainingClass(await this.activities.lock(caller, m, activityId, 'activityId'));
      const enrolled: { memberId: string }[] = await m.query(
        `SELECT member_id AS "memberId" FROM enrolment WHERE activity_id = $1 AND member_id = ANY($2::uuid[])`,
        [activityId, memberIds],
      );
      if (enrolled.length > 0) throw conflict(`member ${enrolled[0].memberId} is already enrolled in the class.`);
      await m.query(
        `INSERT INTO enrolment (activity_id, member_id, enrolled_on, region_code, organization_id)
         SELECT $1, * FROM unnest($2::uuid[], $3::date[], $4::char(6)[], $5::uuid[])`,
        [
          activityId,
          memberIds,
          memberIds.map(() => enrolledOn),
          people.map((person) => person!.region?.code ?? locked.regionCode),
          people.map((person) => person!.partyOrganization?.id ?? null),
        ],
      );
      const after = await this.repos.activities.findEnrolments([activityId], ALL_REGIONS, m);
      const added = after.filter((row) => memberIds.includes(row.memberId));
      await writeAudit(m, caller, { action: 'enrolInTrainingClass', entity: 'Activity', entityId: activityId, regionCode: locked.regionCode, after: { enrolments: added } });
      return locked;
    });
  }

  async complete(caller: Caller, activityId: string, memberId: string, completedOn: string, hours: number | null | undefined): Promise<Enrolment> {
    requireEditor(caller, { stationsOnly: true });
    requirePastDate(completedOn, 'completedOn');
    await this.activities.owned(caller, activityId, 'activityId');
    return inTransaction(this.db, async (m) => {
      const trainingClass = this.trainingClass(await this.activities.lock(caller, m, activityId, 'activityId'));
      const [before] = isUuid(memberId) ? (await this.repos.activities.findEnrolments([activityId], caller.scope, m)).filter((row) => row.memberId === memberId) : [];
      if (!before) throw notFound('Enrolment of member', memberId, 'memberId');
      if (before.completedOn) throw conflict(`member ${memberId} completed the class on ${before.completedOn}.`);
      const lastDay = trainingClass.endDate ?? trainingClass.date;
      if (completedOn < lastDay || completedOn < before.enrolledOn) throw badUserInput(`a member completes the class on or after its last day, ${lastDay}.`, 'completedOn');
      const credited = hours ?? trainingClass.classHours!;
      if (!(credited > 0) || credited > trainingClass.classHours!) {
        throw badUserInput(`hours must be more than 0 and at most the class's ${trainingClass.classHours} class hours.`, 'hours');
      }
      await m.query(`UPDATE enrolment SET completed_on = $3, hours = $4 WHERE activity_id = $1 AND member_id = $2`, [activityId, memberId, completedOn, credited]);
      const [after] = (await this.repos.activities.findEnrolments([activityId], ALL_REGIONS, m)).filter((row) => row.memberId === memberId);
      await writeAudit(m, caller, { action: 'recordTrainingCompletion', entity: 'Activity', entityId: activityId, regionCode: trainingClass.regionCode, before, after });
      return after;
    });
  }

  private trainingClass(activity: Activity): Activity {
    if (activity.kind !== 'TRAINING_CLASS') throw badUserInput(`activity ${activity.id} is a ${activity.kind}, not a training class.`, 'activityId');
    if (activity.status === 'CANCELLED') throw conflict(`the training class was cancelled on ${activity.cancelledOn}.`);
    return activity;
  }
}
