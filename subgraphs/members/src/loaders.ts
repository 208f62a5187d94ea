import DataLoader from 'dataloader';
import { listLoader, recordLoader } from '../../../shared/src/loaders';
import { isUuid } from '../../../shared/src/sql';
import type { Scope } from '../../../shared/src/viewer';
import type { PracticeKind, RoleKind } from './entities';
import type { Repositories } from './repositories';
import type { InstitutionCounts, MemberStatsCounts } from './repositories/MemberRepository';

/**
 * The loaders of one request, bound to the caller's scope. A new set is made for every request, so
 * a cached row can never reach a caller of another tier.
 */
export function createLoaders(repos: Repositories, scope: Scope, standaloneMinimum: number) {
  // A malformed id names no record; it must not reach a uuid cast and fail the whole batch.
  const ids = (keys: readonly string[]) => keys.filter(isUuid);
  const roles = (owner: 'member_id' | 'organization_id' | 'station_id', activeOnly: boolean, kinds?: RoleKind[]) =>
    listLoader(
      (keys: readonly string[]) => repos.roles.findByOwners(owner, ids(keys), { activeOnly, kinds }, scope),
      (r) => (owner === 'member_id' ? r.memberId : owner === 'organization_id' ? (r.organizationId ?? '') : (r.stationId ?? '')),
    );

  return {
    member: recordLoader((keys: readonly string[]) => repos.members.findByIds(ids(keys), scope), (m) => m.id),
    practitionersOfInstitution: listLoader(
      (keys: readonly string[]) => repos.members.findByOwners('institution_id', ids(keys), scope),
      (m) => m.institutionId ?? '',
    ),
    membersOfOrganization: listLoader(
      (keys: readonly string[]) => repos.members.findByOwners('organization_id', ids(keys), scope),
      (m) => m.organizationId ?? '',
    ),
    temporaryParticipants: listLoader(
      (keys: readonly string[]) => repos.members.findTemporaryParticipants(ids(keys), scope),
      (m) => m.participationOrganizationId,
    ),
    temporaryOrganizationIds: listLoader(
      (keys: readonly string[]) => repos.members.findTemporaryOrganizationIds(keys),
      (row) => row.memberId,
    ),
    institutionCounts: recordLoader<string, InstitutionCounts>(
      (keys) => repos.members.institutionCounts(ids(keys), scope),
      (row) => row.institutionId,
    ),
    organizationCounts: recordLoader((keys: readonly string[]) => repos.members.organizationCounts(ids(keys), scope), (row) => row.organizationId),
    memberStats: new DataLoader<string, MemberStatsCounts>((keys) =>
      repos.members.stats(
        keys.map((key) => {
          const [regionCode, practice] = key.split('|');
          return { regionCode, practice: (practice || null) as PracticeKind | null };
        }),
        scope,
      ),
    ),
    quorumInstitutionIds: listLoader(
      (codes: readonly string[]) => repos.members.quorumInstitutions(codes, standaloneMinimum, scope),
      (row) => row.regionCode,
    ),

    role: recordLoader((keys: readonly string[]) => repos.roles.findByIds(ids(keys), scope), (r) => r.id),
    activeRolesOfMember: roles('member_id', true),
    allRolesOfMember: roles('member_id', false),
    secretaryOfOrganization: roles('organization_id', true, ['SECRETARY']),
    headOfStation: roles('station_id', true, ['STATION_HEAD']),
    officersOfStation: roles('station_id', true, ['GUIDANCE_OFFICER']),

    transfer: recordLoader((keys: readonly string[]) => repos.transfers.findByIds(ids(keys), scope), (t) => t.id),
    transfersOfMember: listLoader((keys: readonly string[]) => repos.transfers.findByMembers(keys, scope), (t) => t.memberId),
    incomingTransfers: listLoader((keys: readonly string[]) => repos.transfers.findPendingTo(ids(keys), scope), (t) => t.toOrganizationId),
    membershipsOfMember: listLoader((keys: readonly string[]) => repos.transfers.findMemberships(keys), (m) => m.memberId),
  };
}

export type MembersLoaders = ReturnType<typeof createLoaders>;
