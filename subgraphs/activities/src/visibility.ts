import DataLoader from 'dataloader';
import type { Viewer } from '../../../shared/src/viewer';
import type { Directory } from './directory';

export type ForeignEntity = 'Member' | 'Institution' | 'GuidanceStation';

/**
 * Whether the caller's tier holds a record another subgraph owns, as that subgraph decides, for the
 * fields this subgraph adds to it: outside the tier they answer null, as the record itself does,
 * never an empty list or a zero. One batched lookup per type and request, on the caller's behalf;
 * never kept between requests, since the other subgraph's records change without this one hearing.
 */
export function createVisibility(directory: Directory, viewer: Viewer, authorization: string) {
  const loader = (typename: ForeignEntity) =>
    new DataLoader<string, boolean>(async (ids) => (viewer.tier === 'SYSTEM' ? ids.map(() => true) : directory.visible(typename, ids, authorization)));
  return { Member: loader('Member'), Institution: loader('Institution'), GuidanceStation: loader('GuidanceStation') };
}

export type Visibility = ReturnType<typeof createVisibility>;
