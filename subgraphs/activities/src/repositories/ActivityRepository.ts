import type { DataSource, EntityManager } from 'typeorm';
import { regionSubtreeSql, SqlParams, unseenArray } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';
import type { Activity, ActivityKind, Attendance, Enrolment } from '../entities';
import { SERVICE_KINDS } from '../rules';
import { scopeSql } from './scope';

export const ACTIVITY_COLUMNS = `a.id, a.kind, a.title, a.held_on AS "date", a.ends_on AS "endDate",
  a.duration_hours::float8 AS "durationHours", a.class_hours::float8 AS "classHours", a.location,
  a.organizer_organization_id AS "organizationId", a.organizer_station_id AS "stationId", a.region_code AS "regionCode",
  a.institution_id AS "institutionId", a.officer_member_id AS "officerId", a.minutes, a.headcount, a.status,
  a.cancelled_on AS "cancelledOn", a.cancellation_reason AS "cancellationReason"`;

const ATTENDANCE_COLUMNS = `t.activity_id AS "activityId", t.member_id AS "memberId", t.status, t.reason, t.hours::float8 AS hours,
  t.region_code AS "regionCode", t.organization_id AS "organizationId"`;

const ENROLMENT_COLUMNS = `e.activity_id AS "activityId", e.member_id AS "memberId", e.enrolled_on AS "enrolledOn", e.completed_on AS "completedOn",
  e.hours::float8 AS hours, e.region_code AS "regionCode", e.organization_id AS "organizationId"`;

export interface ActivityFilter {
  regionCode?: string | null;
  kinds?: readonly ActivityKind[] | null;
  year?: number | null;
  organizationId?: string | null;
  stationId?: string | null;
  institutionId?: string | null;
  includeCancelled?: boolean | null;
}

/** Which of an owner's activities a list field asks for. */
export interface ActivityListArgs {
  year: number | null;
  kind: ActivityKind | null;
}

export function activitySortKey(activity: Activity): string[] {
  return [activity.date, activity.id];
}

/** `held_on` within a calendar year, as a range the indexes serve. */
function yearSql(p: SqlParams, column: string, year: number): string {
  return `${column} BETWEEN make_date(${p.add(year)}::int, 1, 1) AND make_date(${p.add(year)}::int, 12, 31)`;
}

/** A member's hours in a year, and the activities they were reckoned from. */
export interface MemberHours {
  memberId: string;
  hours: number;
  activityIds: string[];
}

export class ActivityRepository {
  constructor(private readonly db: DataSource) {}

  async findByIds(ids: readonly string[], scope: Scope, manager: EntityManager = this.db.manager): Promise<Activity[]> {
    const p = new SqlParams();
    return manager.query(`SELECT ${ACTIVITY_COLUMNS} FROM activity a WHERE a.id = ANY(${unseenArray(p, ids, 'uuid[]')}) AND ${scopeSql.activity(p, 'a', scope)}`, p.values);
  }

  /** Activities of several organizers (organizations or stations) with the same arguments, newest first. */
  async findByOrganizers(
    organizer: 'organizer_organization_id' | 'organizer_station_id',
    ids: readonly string[],
    args: ActivityListArgs,
    scope: Scope,
  ): Promise<Activity[]> {
    const p = new SqlParams();
    const conditions = [`a.${organizer} = ANY(${unseenArray(p, ids, 'uuid[]')})`, `a.status = 'HELD'`, scopeSql.activity(p, 'a', scope)];
    if (args.year !== null) conditions.push(yearSql(p, 'a.held_on', args.year));
    if (args.kind !== null) conditions.push(`a.kind = ${p.add(args.kind)}`);
    return this.db.query(`SELECT ${ACTIVITY_COLUMNS} FROM activity a WHERE ${conditions.join(' AND ')} ORDER BY a.held_on DESC, a.id DESC`, p.values);
  }

  /**
   * What each member took part in: present at, enrolled in, or made as a guidance officer, newest
   * first. Only activities the caller reads through `activity(id)` are listed: a member's own tier
   * does not see the record of a class held in another county (its hours still count in
   * `trainingHours`, which are the member's own).
   */
  async findByMembers(memberIds: readonly string[], year: number | null, scope: Scope): Promise<(Activity & { memberId: string })[]> {
    const p = new SqlParams();
    const ids = unseenArray(p, memberIds, 'uuid[]');
    // Not the indexed range of `yearSql`: the plan the statement keeps sees neither the year nor the
    // tier's range, and one that guessed either few read all of its activities before a member's handful.
    const inYear = year === null ? 'true' : `extract(year FROM a.held_on) = ${p.add(year)}::int`;
    // The member's handful first, then each activity by its key (OFFSET 0 keeps the lookup per row).
    return this.db.query(
      `WITH taken AS (
         SELECT t.member_id, t.activity_id FROM attendance t WHERE t.member_id = ANY(${ids}) AND t.status = 'PRESENT'
         UNION
         SELECT e.member_id, e.activity_id FROM enrolment e WHERE e.member_id = ANY(${ids})
         UNION
         SELECT a.officer_member_id, a.id FROM activity a WHERE a.officer_member_id = ANY(${ids})
       )
       SELECT taken.member_id AS "memberId", ${ACTIVITY_COLUMNS}
         FROM taken CROSS JOIN LATERAL (
              SELECT a.* FROM activity a
               WHERE a.id = taken.activity_id AND a.status = 'HELD' AND ${inYear} AND ${scopeSql.activity(p, 'a', scope)}
              OFFSET 0) a
        ORDER BY a.held_on DESC, a.id DESC`,
      p.values,
    );
  }

  /**
   * How many took part in each activity: the headcount of a record without itemized attendance,
   * else completed enrolments of a training class or members present, as far as the tier sees them.
   */
  async attendanceCounts(activityIds: readonly string[], scope: Scope): Promise<{ activityId: string; count: number }[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT a.id AS "activityId",
              coalesce(a.headcount, CASE WHEN a.kind = 'TRAINING_CLASS'
                THEN (SELECT count(*) FROM enrolment e WHERE e.activity_id = a.id AND e.completed_on IS NOT NULL AND ${scopeSql.participation(p, 'e', 'a', scope)})
                ELSE (SELECT count(*) FROM attendance t WHERE t.activity_id = a.id AND t.status = 'PRESENT' AND ${scopeSql.participation(p, 't', 'a', scope)})
              END)::int AS count
         FROM activity a WHERE a.id = ANY(${unseenArray(p, activityIds, 'uuid[]')})`,
      p.values,
    );
  }

  async findAttendance(activityIds: readonly string[], scope: Scope, manager: EntityManager = this.db.manager): Promise<Attendance[]> {
    const p = new SqlParams();
    return manager.query(
      `SELECT ${ATTENDANCE_COLUMNS} FROM attendance t JOIN activity a ON a.id = t.activity_id
        WHERE t.activity_id = ANY(${unseenArray(p, activityIds, 'uuid[]')}) AND ${scopeSql.participation(p, 't', 'a', scope)}
        ORDER BY t.activity_id, array_position(ARRAY['PRESENT', 'EXCUSED', 'ABSENT'], t.status), t.member_id`,
      p.values,
    );
  }

  async findEnrolments(activityIds: readonly string[], scope: Scope, manager: EntityManager = this.db.manager): Promise<Enrolment[]> {
    const p = new SqlParams();
    return manager.query(
      `SELECT ${ENROLMENT_COLUMNS} FROM enrolment e JOIN activity a ON a.id = e.activity_id
        WHERE e.activity_id = ANY(${unseenArray(p, activityIds, 'uuid[]')}) AND ${scopeSql.participation(p, 'e', 'a', scope)}
        ORDER BY e.activity_id, e.enrolled_on, e.member_id`,
      p.values,
    );
  }

  /**
   * Class hours credited to each member for completed training classes that began in the year,
   * with every class the member is enrolled in, whatever its year, state or tier: a change to any
   * of them (its dates, its state) can change the hours, and does not name the member.
   */
  async trainingHours(memberIds: readonly string[], year: number, scope: Scope): Promise<MemberHours[]> {
    const p = new SqlParams();
    const ids = unseenArray(p, memberIds, 'uuid[]');
    const counted = `e.completed_on IS NOT NULL AND a.status = 'HELD' AND ${yearSql(p, 'a.held_on', year)} AND ${scopeSql.participation(p, 'e', 'a', scope)}`;
    return this.db.query(
      `SELECT e.member_id AS "memberId", coalesce(sum(e.hours) FILTER (WHERE ${counted}), 0)::float8 AS hours, array_agg(a.id) AS "activityIds"
         FROM enrolment e JOIN activity a ON a.id = e.activity_id
        WHERE e.member_id = ANY(${ids})
        GROUP BY e.member_id`,
      p.values,
    );
  }

  /**
   * Hours of volunteer service and legal education each member was present at in the year, with
   * every activity the member's attendance is recorded at (see `trainingHours`).
   */
  async serviceHours(memberIds: readonly string[], year: number, scope: Scope): Promise<MemberHours[]> {
    const p = new SqlParams();
    const ids = unseenArray(p, memberIds, 'uuid[]');
    const counted = `t.status = 'PRESENT' AND a.status = 'HELD' AND a.kind = ANY(${p.add(SERVICE_KINDS)}::text[]) AND ${yearSql(p, 'a.held_on', year)}
          AND ${scopeSql.participation(p, 't', 'a', scope)}`;
    return this.db.query(
      `SELECT t.member_id AS "memberId", coalesce(sum(t.hours) FILTER (WHERE ${counted}), 0)::float8 AS hours, array_agg(a.id) AS "activityIds"
         FROM attendance t JOIN activity a ON a.id = t.activity_id
        WHERE t.member_id = ANY(${ids})
        GROUP BY t.member_id`,
      p.values,
    );
  }

  async findPage(filter: ActivityFilter, size: number, after: string[] | null, scope: Scope): Promise<{ rows: Activity[]; totalCount: number }> {
    const p = new SqlParams();
    const conditions = [scopeSql.activity(p, 'a', scope)];
    if (filter.regionCode) {
      conditions.push(regionSubtreeSql(p, 'a.region_code', filter.regionCode));
    }
    if (filter.kinds?.length) conditions.push(`a.kind = ANY(${p.add(filter.kinds)}::text[])`);
    if (filter.year != null) conditions.push(yearSql(p, 'a.held_on', filter.year));
    if (filter.organizationId) conditions.push(`a.organizer_organization_id = ${p.add(filter.organizationId)}`);
    if (filter.stationId) conditions.push(`a.organizer_station_id = ${p.add(filter.stationId)}`);
    if (filter.institutionId) conditions.push(`a.institution_id = ${p.add(filter.institutionId)}`);
    if (!filter.includeCancelled) conditions.push(`a.status = 'HELD'`);
    const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM activity a WHERE ${conditions.join(' AND ')}`, p.values);
    if (after) conditions.push(`(a.held_on, a.id) < (${p.add(after[0])}::date, ${p.add(after[1])}::uuid)`);
    const rows = await this.db.query(
      `SELECT ${ACTIVITY_COLUMNS} FROM activity a WHERE ${conditions.join(' AND ')} ORDER BY a.held_on DESC, a.id DESC LIMIT ${p.add(size + 1)}`,
      p.values,
    );
    return { rows, totalCount: count };
  }
}
