import DataLoader from 'dataloader';
import { listLoader, recordLoader } from '../../../shared/src/loaders';
import { parseHistoryKey } from '../../../shared/src/history';
import { isUuid } from '../../../shared/src/sql';
import { idsIn, onRecord, onRegion, type DependsOn, type ScopedReads } from '../../../shared/src/read-cache';
import { regionInScope, type Scope } from '../../../shared/src/viewer';
import { visibilityLoader } from '../../../shared/src/visibility';
import type { PracticeKind, RoleKind } from './entities';
import type { Repositories } from './repositories';
import type { OrganizationDirectory } from './directory';
import { formalRegionLoader } from './ownership';
import type { FactCounts } from './repositories/MemberFactsRepository';
import type { MemberYearCounts } from './repositories/MemberHistoryRepository';
import type { InstitutionCounts, MemberStatsCounts } from './repositories/MemberRepository';

/**
 * The loaders of one request, bound to the caller's scope. A new set is made for every request;
 * what they share with other requests goes through the read cache, keyed by the same scope.
 */
export function createLoaders(repos: Repositories, scope: Scope, reads: ScopedReads, standaloneMinimum: number) {
  // A malformed id names no record; it must not reach a uuid cast and fail the whole batch.
  const ids = (keys: readonly string[]) => keys.filter(isUuid);
  const region = onRegion(scope);
  // Lists that show members depend on each member's own record too.
  const withMembers: DependsOn = (key, answer) => ({ records: [key.split('|')[0], ...idsIn(answer), ...idsIn(answer, 'memberId')] });
  const roles = (owner: 'member_id' | 'organization_id' | 'station_id', activeOnly: boolean, kinds?: RoleKind[]) =>
    listLoader(
      (keys: readonly string[]) => repos.roles.findByOwners(owner, ids(keys), { activeOnly, kinds }, scope),
      (r) => (owner === 'member_id' ? r.memberId : owner === 'organization_id' ? (r.organizationId ?? '') : (r.stationId ?? '')),
      reads.named(`roles:${owner}:${activeOnly}:${kinds?.join(',') ?? ''}`, withMembers),
    );

  return {
    member: recordLoader((keys: readonly string[]) => repos.members.findByIds(ids(keys), scope), (m) => m.id, reads.named('member', onRecord)),
    practitionersOfInstitution: listLoader(
      (keys: readonly string[]) => repos.members.findByOwners('institution_id', ids(keys), scope),
      (m) => m.institutionId ?? '',
      reads.named('practitionersOfInstitution', onRecord),
    ),
    membersOfOrganization: listLoader(
      (keys: readonly string[]) => repos.members.findByOwners('organization_id', ids(keys), scope),
      (m) => m.organizationId ?? '',
      reads.named('membersOfOrganization', onRecord),
    ),
    temporaryParticipants: listLoader(
      (keys: readonly string[]) => repos.members.findTemporaryParticipants(ids(keys), scope),
      (m) => m.participationOrganizationId,
      reads.named('temporaryParticipants', withMembers),
    ),
    temporaryOrganizationIds: listLoader(
      (keys: readonly string[]) => repos.members.findTemporaryOrganizationIds(keys),
      (row) => row.memberId,
      reads.named('temporaryOrganizationIds', onRecord),
    ),
    institutionCounts: recordLoader<string, InstitutionCounts>(
      (keys) => repos.members.institutionCounts(ids(keys), scope),
      (row) => row.institutionId,
      reads.named('institutionCounts', onRecord),
    ),
    organizationCounts: recordLoader((keys: readonly string[]) => repos.members.organizationCounts(ids(keys), scope), (row) => row.organizationId, reads.named('organizationCounts', onRecord)),
    memberStats: new DataLoader<string, MemberStatsCounts>(
      reads.named('memberStats', region)((keys) =>
        repos.members.stats(
          keys.map((key) => {
            const [regionCode, practice] = key.split('|');
            return { regionCode, practice: (practice || null) as PracticeKind | null };
          }),
          scope,
        ),
      ),
    ),
    /** Keyed by `historyKey(region, practice, fromYear, toYear)`. */
    memberHistory: new DataLoader<string, MemberYearCounts[]>(
      reads.named('memberHistory', region)((keys) =>
        repos.memberHistory.memberHistory(
          keys.map((key) => {
            const { regionCode, what, fromYear, toYear } = parseHistoryKey(key);
            return { regionCode, practice: what as PracticeKind, fromYear, toYear };
          }),
          scope,
        ),
      ),
    ),
    /** Keyed by `region|practice|year`; posts are counted as they stand whatever the year. */
    factStats: new DataLoader<string, FactCounts>(
      reads.named('factStats', region)((keys) =>
        repos.facts.factStats(
          keys.map((key) => {
            const [regionCode, practice, year] = key.split('|');
            return { regionCode, practice: (practice || null) as PracticeKind | null, year: Number(year) };
          }),
          scope,
        ),
      ),
    ),
    appraisalsOfMember: listLoader((keys: readonly string[]) => repos.facts.appraisalsOfMembers(ids(keys), scope), (a) => a.memberId, reads.named('appraisalsOfMember', withMembers)),
    vanguardPostsOfMember: listLoader((keys: readonly string[]) => repos.facts.postsOfMembers(ids(keys), scope), (v) => v.memberId, reads.named('vanguardPostsOfMember', withMembers)),
    pledgesOfMember: listLoader((keys: readonly string[]) => repos.facts.pledgesOfMembers(ids(keys), scope), (g) => g.memberId, reads.named('pledgesOfMember', withMembers)),
    duesOfMember: recordLoader((keys: readonly string[]) => repos.facts.duesOfMembers(ids(keys), scope), (d) => d.memberId, reads.named('duesOfMember', withMembers)),
    quorumInstitutionIds: listLoader(
      (codes: readonly string[]) => repos.members.quorumInstitutions(codes, standaloneMinimum, scope),
      (row) => row.regionCode,
      // The quorum is a setting, fixed for the life of the process.
      reads.named('quorumInstitutionIds', region),
    ),

    role: recordLoader((keys: readonly string[]) => repos.roles.findByIds(ids(keys), scope), (r) => r.id, reads.named('role', withMembers)),
    activeRolesOfMember: roles('member_id', true),
    allRolesOfMember: roles('member_id', false),
    secretaryOfOrganization: roles('organization_id', true, ['SECRETARY']),
    /** The member heading each station, read with its role in one statement (see `findStationHeads`). */
    stationHead: recordLoader(
      (keys: readonly string[]) => repos.roles.findStationHeads(ids(keys), scope),
      (row) => row.stationId,
      reads.named('stationHead', withMembers),
    ),
    officersOfStation: roles('station_id', true, ['GUIDANCE_OFFICER']),

    transfer: recordLoader((keys: readonly string[]) => repos.transfers.findByIds(ids(keys), scope), (t) => t.id, reads.named('transfer', withMembers)),
    transfersOfMember: listLoader((keys: readonly string[]) => repos.transfers.findByMembers(keys, scope), (t) => t.memberId, reads.named('transfersOfMember', withMembers)),
    incomingTransfers: listLoader((keys: readonly string[]) => repos.transfers.findPendingTo(ids(keys), scope), (t) => t.toOrganizationId, reads.named('incomingTransfers', withMembers)),
    membershipsOfMember: listLoader((keys: readonly string[]) => repos.transfers.findMemberships(keys), (m) => m.memberId, reads.named('membershipsOfMember', onRecord)),
  };
}

export type MembersLoaders = ReturnType<typeof createLoaders>;

/**
 * What this request needs to know from the organization subgraph, batched: whether the caller's
 * tier sees an institution, organization or station another subgraph refers to, and the region of
 * formal organizations (for who owns a member record).
 */
export function createDirectoryLoaders(
  directory: OrganizationDirectory,
  authorization: string,
  scope: Scope,
  system: boolean,
  loaders: Pick<MembersLoaders, 'stationHead'>,
  reads: ScopedReads,
) {
  const visible = (typename: 'Institution' | 'PartyOrganization' | 'GuidanceStation') =>
    visibilityLoader(typename, (keys) => directory.visible(typename, keys, authorization), reads, system ? (keys) => keys.map(isUuid) : null);
  const stationInOrganization = visible('GuidanceStation');
  return {
    institutionVisible: visible('Institution'),
    // A BRANCH caller sees its own organization and no other: nothing to ask.
    organizationVisible: scope.organizationId
      ? new DataLoader<string, boolean>(async (keys) => keys.map((key) => key === scope.organizationId))
      : visible('PartyOrganization'),
    /**
     * Stations never move, and every role at one is held in its region: a station with a current
     * role is judged by that region, read with its head in the statement the head needs anyway.
     * Only a station with none is asked of the organization subgraph. The service itself sees
     * every station and needs neither.
     */
    stationVisible: system ? stationInOrganization : new DataLoader<string, boolean>(async (keys) => {
      const known = await loaders.stationHead.loadMany(keys);
      const unknown = keys.filter((_, i) => known[i] === null);
      const asked = new Map(unknown.length === 0 ? [] : (await stationInOrganization.loadMany(unknown)).map((answer, i) => [unknown[i], answer]));
      return keys.map((key, i) => {
        const station = known[i];
        if (station instanceof Error) return station;
        return station === null ? asked.get(key)! : regionInScope(scope, station.regionCode);
      });
    }),
    formalRegion: formalRegionLoader(directory),
  };
}

export type DirectoryLoaders = ReturnType<typeof createDirectoryLoaders>;
