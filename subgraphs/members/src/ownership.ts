import DataLoader from 'dataloader';
import { regionInScope, type Scope } from '../../../shared/src/viewer';
import type { OrganizationDirectory } from './directory';
import type { Member } from './entities';

/**
 * Who owns a member record: the tier that holds the member's formal relation (组织关系). For a
 * station tier, the formal Party organization's region lies in its subtree (a person with no
 * formal relation yet belongs to the region of their record); for a BRANCH caller, the formal
 * relation is its own organization. Seeing a record (a temporary participant of the branch, a
 * record of the region whose relation is held elsewhere) is not owning it.
 */
export function ownsMember(scope: Scope, member: Pick<Member, 'organizationId' | 'regionCode'>, formalRegion: string | null): boolean {
  if (scope.organizationId) return member.organizationId === scope.organizationId;
  return regionInScope(scope, member.organizationId ? (formalRegion ?? '') : member.regionCode);
}

/** The region of each formal organization, batched per request. */
export function formalRegionLoader(directory: OrganizationDirectory): DataLoader<string, string | null> {
  return new DataLoader<string, string | null>((ids) => directory.organizationRegions(ids));
}

/** Whether the caller owns each member, batched: BRANCH callers need no lookup. */
export async function ownedBy(scope: Scope, member: Member, formalRegions: DataLoader<string, string | null>): Promise<boolean> {
  if (scope.organizationId || !member.organizationId) return ownsMember(scope, member, null);
  return ownsMember(scope, member, await formalRegions.load(member.organizationId));
}
