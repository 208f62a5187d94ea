import DataLoader from 'dataloader';
import { argumentLoader, listLoader, recordLoader } from '../../../shared/src/loaders';
import { isUuid } from '../../../shared/src/sql';
import { todayInChina } from '../../../shared/src/validation';
import { idsIn, onRecord, onRegion, tableRecord, type ScopedReads } from '../../../shared/src/read-cache';
import type { Scope } from '../../../shared/src/viewer';
import type { Activity, ActivityKind, Checkpoint } from './entities';
import type { Repositories } from './repositories';
import type { ActivityListArgs, MemberHours } from './repositories/ActivityRepository';
import type { ActivityStatsCounts, OrganizationalLifeLine } from './repositories/ComplianceRepository';

/** Spreads rows over the keys they belong to, keeping the order the statement gave them. */
function groupByKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): V[][] {
  const byKey = new Map<K, V[]>(keys.map((key) => [key, []]));
  for (const row of rows) byKey.get(keyOf(row))?.push(row);
  return keys.map((key) => byKey.get(key) ?? []);
}

/** Keys of list fields with arguments: `id|year|kind`, batched per distinct (year, kind). */
export const listKey = (id: string, year: number | null | undefined, kind?: ActivityKind | null) => `${id}|${year ?? ''}|${kind ?? ''}`;

function splitListKey(raw: string): { key: string; args: ActivityListArgs; argsId: string } {
  const [key, year, kind] = raw.split('|');
  return { key, args: { year: year ? Number(year) : null, kind: (kind || null) as ActivityKind | null }, argsId: `${year}|${kind}` };
}

/**
 * The loaders of one request, bound to the caller's scope. A new set is made for every request;
 * what they share with other requests goes through the read cache, keyed by the same scope.
 */
export function createLoaders(repos: Repositories, scope: Scope, reads: ScopedReads) {
  // A malformed id names no record; it must not reach a uuid cast and fail the whole batch.
  const ids = (keys: readonly string[]) => keys.filter(isUuid);
  const today = todayInChina();
  const activitiesOf = (organizer: 'organizer_organization_id' | 'organizer_station_id') =>
    argumentLoader<string, ActivityListArgs, Activity[]>(
      async (keys, args) =>
        groupByKey(keys, await repos.activities.findByOrganizers(organizer, ids(keys), args, scope), (a) =>
          organizer === 'organizer_organization_id' ? (a.organizationId ?? '') : (a.stationId ?? ''),
        ),
      splitListKey,
      reads.named(`activitiesOf:${organizer}`, onRecord),
    );
  const hoursOf = (name: string, fetch: typeof repos.activities.trainingHours) =>
    argumentLoader<string, number, MemberHours>(
      async (keys, year) => {
        const rows = await fetch.call(repos.activities, ids(keys), year, scope);
        const byMember = new Map(rows.map((row) => [row.memberId, row]));
        return keys.map((key) => byMember.get(key) ?? { memberId: key, hours: 0, activityIds: [] });
      },
      (raw) => {
        const [key, year] = raw.split('|');
        return { key, args: Number(year), argsId: year };
      },
      // The member's own rows name the member; a change to one of their activities names the activity.
      reads.named(name, (key, answer) => ({ records: [key.split('|')[0], ...(answer as MemberHours).activityIds] })),
    );

  return {
    activity: recordLoader((keys: readonly string[]) => repos.activities.findByIds(ids(keys), scope), (a) => a.id, reads.named('activity', onRecord)),
    activitiesOfOrganization: activitiesOf('organizer_organization_id'),
    activitiesOfStation: activitiesOf('organizer_station_id'),
    activitiesOfMember: argumentLoader<string, number | null, Activity[]>(
      async (keys, year) => groupByKey(keys, await repos.activities.findByMembers(ids(keys), year, scope), (a) => a.memberId),
      (raw) => {
        const [key, year] = raw.split('|');
        return { key, args: year ? Number(year) : null, argsId: year };
      },
      // An activity attended is written on its own row too (its status, its hours), which does not name the member.
      reads.named('activitiesOfMember', (key, answer) => ({ records: [key.split('|')[0], ...idsIn(answer)] })),
    ),
    attendanceCount: recordLoader((keys: readonly string[]) => repos.activities.attendanceCounts(ids(keys), scope), (row) => row.activityId, reads.named('attendanceCount', onRecord)),
    attendance: listLoader((keys: readonly string[]) => repos.activities.findAttendance(ids(keys), scope), (row) => row.activityId, reads.named('attendance', onRecord)),
    enrolments: listLoader((keys: readonly string[]) => repos.activities.findEnrolments(ids(keys), scope), (row) => row.activityId, reads.named('enrolments', onRecord)),
    trainingHours: hoursOf('trainingHours', repos.activities.trainingHours),
    serviceHours: hoursOf('serviceHours', repos.activities.serviceHours),

    registeredOrganization: recordLoader((keys: readonly string[]) => repos.organizations.findByIds(ids(keys), scope), (o) => o.organizationId, reads.named('registeredOrganization', onRecord)),
    organizationalLife: argumentLoader<string, number, OrganizationalLifeLine[] | null>(
      async (keys, year) => {
        const rows = await repos.compliance.organizationalLife(ids(keys), year, today, scope);
        const lines = groupByKey(keys, rows, (line) => line.organizationId);
        // An organization outside the tier, or never registered here, has no lines at all.
        return lines.map((list) => (list.length > 0 ? list : null));
      },
      (raw) => {
        const [key, year] = raw.split('|');
        return { key, args: Number(year), argsId: year };
      },
      // What has ended depends on the day, so the day is part of the answer's name.
      // The requirements in force are rows of their own, which name no organization.
      reads.named(`organizationalLife@${today}`, (key) => ({ records: [key.split('|')[0], tableRecord('requirement')] })),
    ),
    // A year's figures are read from that year's rows only: another year's activities leave them standing.
    activityStats: new DataLoader<string, ActivityStatsCounts>(
      reads.named(`activityStats@${today}`, (key, answer) => ({ ...onRegion(scope)(key, answer)!, facets: { year: [key.split('|')[1]] } }))((keys) =>
        repos.compliance.stats(
          keys.map((key) => {
            const [regionCode, year] = key.split('|');
            return { regionCode, year: Number(year) };
          }),
          today,
          scope,
        ),
      ),
    ),

    checkpointsOfInstitution: argumentLoader<string, number | null, Checkpoint[]>(
      async (keys, year) => groupByKey(keys, await repos.checkpoints.findByInstitutions(ids(keys), year, scope), (c) => c.institutionId),
      (raw) => {
        const [key, year] = raw.split('|');
        return { key, args: year ? Number(year) : null, argsId: year };
      },
      reads.named('checkpointsOfInstitution', onRecord),
    ),
  };
}

export type ActivitiesLoaders = ReturnType<typeof createLoaders>;
