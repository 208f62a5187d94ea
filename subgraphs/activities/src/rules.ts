import type { ActivityKind, AttendanceStatus, Frequency } from './entities';
import { regionPrefix } from '../../../shared/src/regions';

/**
 * The rules of activities, as data and as pure functions the mutations apply and the unit tests
 * pin down. Each `…Problem` function returns a message when a rule is broken and null when it holds.
 */

/** Every kind, in the order of the `ActivityKind` enum; roll-ups list kinds in this order. */
export const ACTIVITY_KINDS: readonly ActivityKind[] = [
  'BRANCH_GENERAL_MEETING',
  'BRANCH_COMMITTEE_MEETING',
  'PARTY_GROUP_MEETING',
  'PARTY_LECTURE',
  'THEME_PARTY_DAY',
  'ORGANIZATIONAL_LIFE_MEETING',
  'DEMOCRATIC_APPRAISAL',
  'KNOWLEDGE_TEST',
  'TRAINING_CLASS',
  'VOLUNTEER_SERVICE',
  'LEGAL_EDUCATION',
  'GUIDANCE_VISIT',
];

/** Organizational life (组织生活): 三会一课, the theme Party day, the yearly meeting and appraisal. */
export const ORGANIZATIONAL_LIFE_KINDS: readonly ActivityKind[] = ACTIVITY_KINDS.slice(0, 7);

/** Kinds whose attendees are credited hours of service. */
export const SERVICE_KINDS: readonly ActivityKind[] = ['VOLUNTEER_SERVICE', 'LEGAL_EDUCATION'];

/** The national standard (《中国共产党支部工作条例（试行）》), where a province has set no rule of its own. */
export const NATIONAL_REQUIREMENTS: Readonly<Record<string, Frequency>> = {
  BRANCH_GENERAL_MEETING: 'QUARTERLY',
  BRANCH_COMMITTEE_MEETING: 'MONTHLY',
  PARTY_GROUP_MEETING: 'MONTHLY',
  PARTY_LECTURE: 'QUARTERLY',
  THEME_PARTY_DAY: 'MONTHLY',
  ORGANIZATIONAL_LIFE_MEETING: 'YEARLY',
  DEMOCRATIC_APPRAISAL: 'YEARLY',
};

/** The region code under which the national standard is kept: the whole country. */
export const NATIONAL_CODE = '000000';

/** The first year the national standard is recorded for, before any year the data covers. */
export const NATIONAL_FROM_YEAR = 2000;

/** Months in one period of each frequency: a year is cut into 12, 4, 2 or 1 periods. */
export const PERIOD_MONTHS: Readonly<Record<Frequency, number>> = { MONTHLY: 1, QUARTERLY: 3, HALF_YEARLY: 6, YEARLY: 12 };

/** Party organization kinds that owe organizational life; committees and temporary branches do not. */
export const OWING_ORGANIZATION_KINDS: readonly string[] = ['STANDALONE_BRANCH', 'JOINT_BRANCH', 'GENERAL_BRANCH'];

/** Most members one attendance list names: the largest gatherings of the sector, not a whole province. */
export const MAX_ATTENDANCE = 2000;

/** The longest an activity lasts: a training class runs days or weeks, never more than a year. */
export const MAX_ACTIVITY_DAYS = 366;

/** Kinds a guidance station may organize; organizational life and tests belong to Party organizations. */
const STATION_KINDS: readonly ActivityKind[] = ['TRAINING_CLASS', 'VOLUNTEER_SERVICE', 'LEGAL_EDUCATION', 'GUIDANCE_VISIT'];

export function organizerProblem(kind: ActivityKind, organizer: 'organization' | 'station'): string | null {
  if (organizer === 'station' && !STATION_KINDS.includes(kind)) return `a ${kind} is held by a Party organization, not by a guidance station.`;
  if (organizer === 'organization' && kind === 'GUIDANCE_VISIT') return 'a guidance visit is made from a guidance station.';
  return null;
}

/** Hours of one day are at most 24; an activity over several days may add up to 24 for each. */
export function durationProblem(hours: number, date: string, endDate: string | null): string | null {
  const days = endDate ? daysBetween(date, endDate) + 1 : 1;
  if (!(hours > 0) || hours > 24 * days) return `durationHours must be more than 0 and at most ${24 * days}.`;
  return null;
}

export function classHoursProblem(kind: ActivityKind, classHours: number | null | undefined): string | null {
  if (kind === 'TRAINING_CLASS') {
    return classHours != null && classHours > 0 && classHours <= 500 ? null : 'a training class has between 0 and 500 class hours (学时).';
  }
  return classHours == null ? null : 'only a training class has class hours.';
}

export interface AttendanceEntry {
  memberId: string;
  status: AttendanceStatus;
  reason?: string | null;
  hours?: number | null;
}

/**
 * The attendance list itself: one entry per member, a reason for each excused member, and hours
 * only for members present at service, within the activity's length.
 */
export function attendanceProblem(kind: ActivityKind, entries: readonly AttendanceEntry[], maxHours: number | null): string | null {
  if (kind === 'TRAINING_CLASS' && entries.length > 0) return 'a training class takes enrolment, not attendance.';
  if (entries.length > MAX_ATTENDANCE) return `an attendance list names at most ${MAX_ATTENDANCE} members.`;
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.memberId)) return `member ${entry.memberId} is listed twice.`;
    seen.add(entry.memberId);
    if (entry.status === 'EXCUSED' && !entry.reason?.trim()) return `member ${entry.memberId} is excused without a reason.`;
    if (entry.reason && entry.reason.length > 200) return `member ${entry.memberId}'s reason is longer than 200 characters.`;
    if (entry.status !== 'EXCUSED' && entry.reason != null) return `only an excused member has a reason (member ${entry.memberId}).`;
    if (entry.hours != null) {
      if (!SERVICE_KINDS.includes(kind)) return 'hours are credited only for volunteer service and legal education.';
      if (entry.status !== 'PRESENT') return `only a member present is credited hours (member ${entry.memberId}).`;
      if (!(entry.hours > 0) || (maxHours !== null && entry.hours > maxHours)) {
        return `member ${entry.memberId}'s hours must be more than 0${maxHours !== null ? ` and at most ${maxHours}` : ''}.`;
      }
    }
  }
  return null;
}

/** Hours credited to a member present at service when none are given: the activity's duration. */
export function creditedHours(kind: ActivityKind, entry: AttendanceEntry, durationHours: number | null): number | null {
  if (!SERVICE_KINDS.includes(kind) || entry.status !== 'PRESENT') return null;
  return entry.hours ?? durationHours;
}

/** An activity took place while its organizer existed. */
export function organizerDateProblem(date: string, foundedOn: string | null, dissolvedOn: string | null): string | null {
  if (foundedOn && date < foundedOn) return `the organizer was founded on ${foundedOn}; an activity cannot precede it.`;
  if (dissolvedOn && date > dissolvedOn) return `the organizer was dissolved on ${dissolvedOn}.`;
  return null;
}

/** A county-level GB/T 2260 code: the last two digits are not 00. */
export function isCountyCode(code: string): boolean {
  return /^\d{4}(?!00)\d{2}$/.test(code);
}

export function provinceOf(regionCode: string): string {
  return `${regionCode.slice(0, 2)}0000`;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Who organized an activity, as far as owning it goes: the organization, and the organizer's region. */
export interface OrganizerTier {
  organizationId: string | null;
  regionCode: string;
}

/**
 * Who may change an activity, its attendance and its enrolments: its organizer's tier and the tiers
 * above it. A BRANCH caller owns the activities of its own organization; a station tier owns those
 * whose organizer (a branch or a station) lies in its subtree. Holding the activity in one's region,
 * sending attendees to it or hosting a participant lets a tier read it, never change it.
 */
export function activityOwnerProblem(
  viewer: { tier: string; regionCode: string; organizationId: string | null },
  organizer: OrganizerTier,
): string | null {
  if (viewer.tier === 'BRANCH') {
    return organizer.organizationId !== null && organizer.organizationId === viewer.organizationId
      ? null
      : 'a branch changes the activities of its own organization only.';
  }
  if (viewer.tier !== 'PROVINCE' && viewer.tier !== 'CITY' && viewer.tier !== 'COUNTY') return 'activities are changed by their organizer’s tier.';
  return organizer.regionCode !== '' && organizer.regionCode.startsWith(regionPrefix(viewer.regionCode))
    ? null
    : 'an activity is changed by its organizer’s tier or a tier above it; the tiers where it was held or whose members took part only read it.';
}
