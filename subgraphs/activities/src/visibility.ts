import DataLoader from 'dataloader';
import type { Viewer } from '../../../shared/src/viewer';
import type { MembersDirectory, OrganizationDirectory } from './directory';

export type ForeignEntity = 'Member' | 'Institution' | 'GuidanceStation';

/**
 * Whether the caller's tier holds a record another subgraph owns, as that subgraph decides, for the
 * fields this subgraph adds to it: outside the tier they answer null, as the record itself does,
 * never an empty list or a zero. One batched lookup per type and request, on the caller's behalf;
 * never kept between requests, since the other subgraph's records change without this one hearing.
 */
export function createVisibility(directory: { organization: OrganizationDirectory; members: MembersDirectory }, viewer: Viewer, authorization: string) {
  const visible = (typename: ForeignEntity, ids: readonly string[]) =>
    typename === 'Member' ? directory.members.visible(ids, authorization) : directory.organization.visible(typename, ids, authorization);
  const loader = (typename: ForeignEntity) =>
    new DataLoader<string, boolean>(async (ids) => (viewer.tier === 'SYSTEM' ? ids.map(() => true) : visible(typename, ids)));
  return { Member: loader('Member'), Institution: loader('Institution'), GuidanceStation: loader('GuidanceStation') };
}

export type Visibility = ReturnType<typeof createVisibility>;
