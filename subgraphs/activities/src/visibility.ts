import type { ScopedReads } from '../../../shared/src/read-cache';
import { visibilityLoader } from '../../../shared/src/visibility';
import type { Viewer } from '../../../shared/src/viewer';
import type { MembersDirectory, OrganizationDirectory } from './directory';

/**
 * Whether the caller's tier holds a record another subgraph owns, as that subgraph decides, for the
 * fields this subgraph adds to it: outside the tier they answer null, as the record itself does,
 * never an empty list or a zero. One batched lookup per type and request, on the caller's behalf,
 * kept until the owner announces a change of the record (see `visibilityLoader`).
 */
export function createVisibility(directory: { organization: OrganizationDirectory; members: MembersDirectory }, viewer: Viewer, authorization: string, reads: ScopedReads) {
  const everything = viewer.tier === 'SYSTEM' ? (ids: readonly string[]) => ids.map(() => true) : null;
  return {
    Member: visibilityLoader('Member', (ids) => directory.members.visible(ids, authorization), reads, everything),
    Institution: visibilityLoader('Institution', (ids) => directory.organization.visible('Institution', ids, authorization), reads, everything),
    GuidanceStation: visibilityLoader('GuidanceStation', (ids) => directory.organization.visible('GuidanceStation', ids, authorization), reads, everything),
  };
}

export type Visibility = ReturnType<typeof createVisibility>;
