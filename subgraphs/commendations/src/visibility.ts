import DataLoader from 'dataloader';
import type { Viewer } from '../../../shared/src/viewer';
import type { MembersDirectory, OrganizationDirectory } from './directory';

export type RecipientEntity = 'Member' | 'PartyOrganization' | 'Institution';

/**
 * Whether the caller's tier holds a recipient, as the subgraph that owns it decides, for the
 * fields this subgraph adds to it: outside the tier they answer null, as the recipient itself
 * does, never an empty list. One batched lookup per type and request, on the caller's behalf;
 * never kept between requests, since the other subgraphs' records change without this one hearing.
 */
export function createVisibility(directory: { members: MembersDirectory; organization: OrganizationDirectory }, viewer: Viewer, authorization: string) {
  const visible = (typename: RecipientEntity, ids: readonly string[]) =>
    typename === 'Member' ? directory.members.visible(ids, authorization) : directory.organization.visible(typename, ids, authorization);
  const loader = (typename: RecipientEntity) =>
    new DataLoader<string, boolean>(async (ids) => (viewer.tier === 'SYSTEM' ? ids.map(() => true) : visible(typename, ids)));
  return { Member: loader('Member'), PartyOrganization: loader('PartyOrganization'), Institution: loader('Institution') };
}

export type Visibility = ReturnType<typeof createVisibility>;
