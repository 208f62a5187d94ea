import type { ScopedReads } from '../../../shared/src/read-cache';
import { visibilityLoader } from '../../../shared/src/visibility';
import type { Viewer } from '../../../shared/src/viewer';
import type { MembersDirectory, OrganizationDirectory } from './directory';

/**
 * Whether the caller's tier holds a recipient, as the subgraph that owns it decides, for the
 * fields this subgraph adds to it: outside the tier they answer null, as the recipient itself
 * does, never an empty list. One batched lookup per type and request, on the caller's behalf,
 * kept until the owner announces a change of the record (see `visibilityLoader`).
 */
export function createVisibility(directory: { members: MembersDirectory; organization: OrganizationDirectory }, viewer: Viewer, authorization: string, reads: ScopedReads) {
  const everything = viewer.tier === 'SYSTEM' ? (ids: readonly string[]) => ids.map(() => true) : null;
  return {
    Member: visibilityLoader('Member', (ids) => directory.members.visible(ids, authorization), reads, everything),
    PartyOrganization: visibilityLoader('PartyOrganization', (ids) => directory.organization.visible('PartyOrganization', ids, authorization), reads, everything),
    Institution: visibilityLoader('Institution', (ids) => directory.organization.visible('Institution', ids, authorization), reads, everything),
  };
}

export type Visibility = ReturnType<typeof createVisibility>;
