import type { DataSource, EntityManager } from 'typeorm';
import { writeAudit } from '../../../../shared/src/audit';
import { badUserInput, conflict, notFound } from '../../../../shared/src/errors';
import { isRegionCode, regionPrefix } from '../../../../shared/src/regions';
import { isUuid } from '../../../../shared/src/sql';
import { inTransaction } from '../../../../shared/src/transaction';
import { requireName, requirePastDate, todayInChina } from '../../../../shared/src/validation';
import { ALL_REGIONS, type Caller } from '../../../../shared/src/viewer';
import type { MembersDirectory, OrganizationDirectory, OrganizationFacts, PersonFacts } from '../directory';
import type { Activity, ActivityKind, Attendance } from '../entities';
import type { Repositories } from '../repositories';
import {
  attendanceProblem,
  classHoursProblem,
  creditedHours,
  daysBetween,
  durationProblem,
  isCountyCode,
  MAX_ACTIVITY_DAYS,
  organizerDateProblem,
  organizerProblem,
  type AttendanceEntry,
} from '../rules';
import { optionalText, requireEditor, requireOwner, requireValid } from './access';

export interface RecordActivity {
  kind: ActivityKind;
  title: string;
  date: string;
  endDate?: string | null;
  durationHours?: number | null;
  classHours?: number | null;
  location?: string | null;
  organizerOrganizationId?: string | null;
  organizerStationId?: string | null;
  regionCode?: string | null;
  institutionId?: string | null;
  officerId?: string | null;
  minutes?: string | null;
  attendance?: AttendanceEntry[] | null;
}

export interface UpdateActivity {
  title?: string | null;
  date?: string | null;
  endDate?: string | null;
  durationHours?: number | null;
  classHours?: number | null;
  location?: string | null;
  minutes?: string | null;
  attendance?: AttendanceEntry[] | null;
}

/** What an organizer is, as far as a write needs to know. */
interface Organizer {
  organization: OrganizationFacts | null;
  regionCode: string;
}

type AttendanceRow = Omit<Attendance, 'activityId'>;

/**
 * The writes of activities and their attendance. Each checks the caller's role and tier, asks the
 * other subgraphs what it needs to know before opening its transaction, and commits the change
 * with its audit row in that one transaction.
 */
export class ActivityService {
  constructor(
    private readonly db: DataSource,
    private readonly repos: Repositories,
    private readonly organization: OrganizationDirectory,
    private readonly members: MembersDirectory,
  ) {}

  async record(caller: Caller, input: RecordActivity): Promise<Activity> {
    requireEditor(caller);
    const { kind } = input;
    const title = requireName(input.title, 'title', 200);
    const date = requirePastDate(input.date, 'date');
    const endDate = this.endDate(date, input.endDate);
    const durationHours = input.durationHours ?? null;
    if (durationHours !== null) requireValid(durationProblem(durationHours, date, endDate), 'durationHours');
    requireValid(classHoursProblem(kind, input.classHours), 'classHours');
    const location = optionalText(input.location, 'location', 200);
    const minutes = optionalText(input.minutes, 'minutes', 20_000);
    const entries = input.attendance ?? [];
    requireValid(attendanceProblem(kind, entries, this.maxHours(date, endDate, durationHours)), 'attendance');

    const byOrganization = input.organizerOrganizationId != null;
    if (byOrganization === (input.organizerStationId != null)) {
      throw badUserInput('give exactly one organizer: organizerOrganizationId or organizerStationId.', 'organizerOrganizationId');
    }
    requireValid(organizerProblem(kind, byOrganization ? 'organization' : 'station'), 'kind');
    if (kind === 'GUIDANCE_VISIT' && !input.institutionId) throw badUserInput('a guidance visit names the institution visited.', 'institutionId');
    if (kind === 'GUIDANCE_VISIT' && !input.officerId) throw badUserInput('a guidance visit names the guidance officer who made it.', 'officerId');
    if (kind !== 'GUIDANCE_VISIT' && input.officerId) throw badUserInput('only a guidance visit names a guidance officer.', 'officerId');

    const organizer = byOrganization
      ? await this.organizationOrganizer(caller, input.organizerOrganizationId!, date)
      : await this.stationOrganizer(caller, input.organizerStationId!, date);
    requireOwner(caller, { organizationId: input.organizerOrganizationId ?? null, regionCode: organizer.regionCode });
    const institution = input.institutionId ? await this.organization.institution(input.institutionId, caller.authorization, 'institutionId') : null;
    let regionCode: string;
    if (kind === 'GUIDANCE_VISIT') {
      regionCode = institution!.region?.code ?? '';
      if (!regionCode.startsWith(regionPrefix(organizer.regionCode))) {
        throw badUserInput('the institution lies outside the region of the station making the visit.', 'institutionId');
      }
      if (input.regionCode && input.regionCode !== regionCode) throw badUserInput('a guidance visit belongs to the region of the institution visited.', 'regionCode');
      await this.requireOfficer(caller, input.officerId!, input.organizerStationId!);
    } else {
      regionCode = await this.activityRegion(caller, organizer.regionCode, input.regionCode ?? null);
    }
    const attendance = await this.attendanceRows(caller, kind, entries, organizer, regionCode, durationHours);

    return inTransaction(this.db, async (m) => {
      if (organizer.organization) await this.repos.organizations.describe(m, registration(organizer.organization));
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO activity (kind, title, held_on, ends_on, duration_hours, class_hours, location, organizer_organization_id,
                               organizer_station_id, region_code, institution_id, officer_member_id, minutes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
        [
          kind, title, date, endDate, durationHours, input.classHours ?? null, location, input.organizerOrganizationId ?? null,
          input.organizerStationId ?? null, regionCode, institution?.id ?? null, input.officerId ?? null, minutes,
        ],
      );
      await this.insertAttendance(m, id, attendance);
      const created = await this.reload(m, id);
      await writeAudit(m, caller, { action: 'recordActivity', entity: 'Activity', entityId: id, regionCode, after: { ...created, attendance } });
      return created;
    });
  }

  async update(caller: Caller, id: string, input: UpdateActivity): Promise<Activity> {
    requireEditor(caller);
    const current = await this.owned(caller, id);
    if (current.status === 'CANCELLED') throw conflict(`activity ${id} was cancelled on ${current.cancelledOn}.`);
    const title = input.title != null ? requireName(input.title, 'title', 200) : current.title;
    const date = input.date != null ? requirePastDate(input.date, 'date') : current.date;
    const endDate = input.endDate !== undefined ? this.endDate(date, input.endDate) : this.endDate(date, current.endDate, 'date');
    const durationHours = input.durationHours !== undefined ? input.durationHours : current.durationHours;
    if (durationHours !== null) requireValid(durationProblem(durationHours, date, endDate), 'durationHours');
    const classHours = input.classHours !== undefined ? input.classHours : current.classHours;
    requireValid(classHoursProblem(current.kind, classHours), 'classHours');
    const location = input.location !== undefined ? optionalText(input.location, 'location', 200) : current.location;
    const minutes = input.minutes !== undefined ? optionalText(input.minutes, 'minutes', 20_000) : current.minutes;
    if (input.attendance) requireValid(attendanceProblem(current.kind, input.attendance, this.maxHours(date, endDate, durationHours)), 'attendance');

    const organizer = current.organizationId
      ? await this.organizationOrganizer(caller, current.organizationId, date)
      : await this.stationOrganizer(caller, current.stationId!, date);
    const attendance = input.attendance ? await this.attendanceRows(caller, current.kind, input.attendance, organizer, current.regionCode, durationHours) : null;

    return inTransaction(this.db, async (m) => {
      const before = await this.lock(caller, m, id);
      if (before.status === 'CANCELLED') throw conflict(`activity ${id} was cancelled on ${before.cancelledOn}.`);
      const attendanceBefore = await this.repos.activities.findAttendance([id], ALL_REGIONS, m);
      if (organizer.organization) await this.repos.organizations.describe(m, registration(organizer.organization));
      await m.query(
        `UPDATE activity SET title = $2, held_on = $3, ends_on = $4, duration_hours = $5, class_hours = $6, location = $7, minutes = $8 WHERE id = $1`,
        [id, title, date, endDate, durationHours, classHours, location, minutes],
      );
      if (attendance) {
        await m.query(`DELETE FROM attendance WHERE activity_id = $1`, [id]);
        await this.insertAttendance(m, id, attendance);
        // Records kept with a headcount only become itemized once their attendance is given.
        await m.query(`UPDATE activity SET headcount = NULL WHERE id = $1`, [id]);
      }
      const after = await this.reload(m, id);
      await writeAudit(m, caller, {
        action: 'updateActivity',
        entity: 'Activity',
        entityId: id,
        regionCode: before.regionCode,
        before: { ...before, attendance: attendanceBefore },
        after: { ...after, attendance: attendance ?? attendanceBefore },
      });
      return after;
    });
  }

  async cancel(caller: Caller, id: string, reason: string): Promise<Activity> {
    requireEditor(caller);
    const why = requireName(reason, 'reason', 500);
    await this.owned(caller, id);
    return inTransaction(this.db, async (m) => {
      const before = await this.lock(caller, m, id);
      if (before.status === 'CANCELLED') throw conflict(`activity ${id} was already cancelled on ${before.cancelledOn}.`);
      await m.query(`UPDATE activity SET status = 'CANCELLED', cancelled_on = $2, cancellation_reason = $3 WHERE id = $1`, [id, todayInChina(), why]);
      const after = await this.reload(m, id);
      await writeAudit(m, caller, { action: 'cancelActivity', entity: 'Activity', entityId: id, regionCode: before.regionCode, before, after });
      return after;
    });
  }

  /**
   * The owner check every write to an existing activity makes, its attendance and enrolments
   * included: an activity outside the caller's tier is NOT_FOUND, exactly like a missing one; one
   * the tier reads (held in its region) but did not organize, nor does a tier above, is FORBIDDEN.
   */
  async owned(caller: Caller, id: string, field?: string): Promise<Activity> {
    const activity = await this.visible(caller, id, field);
    // A branch sees only what its organization organized; a station tier asks where the organizer stands.
    const organizer = caller.viewer.tier === 'BRANCH' ? { organizationId: activity.organizationId, regionCode: '' } : await this.organization.organizerTier(activity);
    requireOwner(caller, organizer);
    return activity;
  }

  /** An activity the caller's tier holds, or NOT_FOUND. */
  async visible(caller: Caller, id: string, field?: string): Promise<Activity> {
    const [activity] = isUuid(id) ? await this.repos.activities.findByIds([id], caller.scope) : [];
    if (!activity) throw notFound('Activity', id, field);
    return activity;
  }

  /** Reads and locks an activity the caller's tier holds, so concurrent writes to it queue up. */
  async lock(caller: Caller, m: EntityManager, id: string, field?: string): Promise<Activity> {
    if (isUuid(id)) {
      await m.query(`SELECT 1 FROM activity WHERE id = $1 FOR UPDATE`, [id]);
      const [activity] = await this.repos.activities.findByIds([id], caller.scope, m);
      if (activity) return activity;
    }
    throw notFound('Activity', id, field);
  }

  private endDate(date: string, endDate: string | null | undefined, field = 'endDate'): string | null {
    if (endDate == null) return null;
    requirePastDate(endDate, 'endDate');
    if (endDate < date) throw badUserInput('endDate cannot precede the date.', field);
    if (daysBetween(date, endDate) > MAX_ACTIVITY_DAYS) throw badUserInput(`an activity lasts at most ${MAX_ACTIVITY_DAYS} days.`, 'endDate');
    return endDate === date ? null : endDate;
  }

  private maxHours(date: string, endDate: string | null, durationHours: number | null): number | null {
    return durationHours ?? 24 * ((endDate ? daysBetween(date, endDate) : 0) + 1);
  }

  private async organizationOrganizer(caller: Caller, id: string, date: string): Promise<Organizer> {
    const organization = await this.organization.partyOrganization(id, caller.authorization, 'organizerOrganizationId');
    requireValid(organizerDateProblem(date, organization.foundedOn, organization.dissolvedOn), 'date');
    return { organization, regionCode: organization.region?.code ?? '' };
  }

  private async stationOrganizer(caller: Caller, id: string, date: string): Promise<Organizer> {
    const station = await this.organization.station(id, caller.authorization, 'organizerStationId');
    requireValid(organizerDateProblem(date, station.establishedOn, null), 'date');
    return { organization: null, regionCode: station.region?.code ?? '' };
  }

  /**
   * A county-level organizer's activities belong to its own region; a provincial or city organizer
   * names the county-level region where it held the activity, inside its own and in the tier.
   */
  private async activityRegion(caller: Caller, organizerRegion: string, given: string | null): Promise<string> {
    if (isCountyCode(organizerRegion)) {
      if (given && given !== organizerRegion) throw badUserInput(`the activities of a county-level organizer belong to its region, ${organizerRegion}.`, 'regionCode');
      return organizerRegion;
    }
    if (!given) throw badUserInput('a provincial or city organizer names the county-level region where the activity took place.', 'regionCode');
    if (!isRegionCode(given) || !isCountyCode(given)) throw badUserInput('regionCode must be a county-level GB/T 2260 code.', 'regionCode');
    if (!given.startsWith(regionPrefix(organizerRegion))) throw badUserInput(`regionCode must lie inside the organizer's region, ${organizerRegion}.`, 'regionCode');
    if (!(await this.organization.regionExists(given, caller.authorization))) throw notFound('Region', given, 'regionCode');
    return given;
  }

  /** The officer holds the GUIDANCE_OFFICER role of the station that makes the visit. */
  private async requireOfficer(caller: Caller, officerId: string, stationId: string): Promise<void> {
    const officer = await this.members.officer(officerId, caller.authorization, 'officerId');
    if (!officer.roles.some((role) => role.kind === 'GUIDANCE_OFFICER' && role.station?.id === stationId)) {
      throw badUserInput(`member ${officerId} is not a guidance officer (党建指导员) of the station.`, 'officerId');
    }
  }

  /**
   * Who may attend: at an organization's activity, its formal members and its temporary
   * participants (临时组织生活); at a station's, any member of the caller's tier.
   */
  private async attendanceRows(
    caller: Caller,
    kind: ActivityKind,
    entries: readonly AttendanceEntry[],
    organizer: Organizer,
    regionCode: string,
    durationHours: number | null,
  ): Promise<AttendanceRow[]> {
    if (entries.length === 0) return [];
    let people: (PersonFacts | null)[];
    if (organizer.organization) {
      const participants = await this.members.participantsOf(organizer.organization.id, caller.authorization);
      people = entries.map((entry) => participants.get(entry.memberId) ?? null);
      const outsider = entries.find((_entry, i) => people[i] === null);
      if (outsider) {
        throw badUserInput(`member ${outsider.memberId} is neither a formal member of the organizer nor one of its temporary participants.`, 'attendance');
      }
    } else {
      people = await this.members.people(entries.map((entry) => entry.memberId), caller.authorization);
      const missing = entries.find((_entry, i) => people[i] === null);
      if (missing) throw notFound('Member', missing.memberId, 'attendance');
    }
    return entries.map((entry, i) => ({
      memberId: entry.memberId,
      status: entry.status,
      reason: entry.status === 'EXCUSED' ? entry.reason!.trim() : null,
      hours: creditedHours(kind, entry, durationHours),
      regionCode: people[i]!.region?.code ?? regionCode,
      organizationId: people[i]!.partyOrganization?.id ?? null,
    }));
  }

  private async insertAttendance(m: EntityManager, activityId: string, rows: readonly AttendanceRow[]): Promise<void> {
    if (rows.length === 0) return;
    await m.query(
      `INSERT INTO attendance (activity_id, member_id, status, reason, hours, region_code, organization_id)
       SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::numeric[], $6::char(6)[], $7::uuid[])`,
      [
        activityId,
        rows.map((row) => row.memberId),
        rows.map((row) => row.status),
        rows.map((row) => row.reason),
        rows.map((row) => row.hours),
        rows.map((row) => row.regionCode),
        rows.map((row) => row.organizationId),
      ],
    );
  }

  private async reload(m: EntityManager, id: string): Promise<Activity> {
    const [activity] = await this.repos.activities.findByIds([id], ALL_REGIONS, m);
    return activity;
  }
}

function registration(organization: OrganizationFacts) {
  return {
    id: organization.id,
    kind: organization.kind,
    regionCode: organization.region?.code ?? '',
    foundedOn: organization.foundedOn,
    dissolvedOn: organization.dissolvedOn,
  };
}
