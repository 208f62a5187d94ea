import DataLoader from 'dataloader';
import type { SubgraphName } from './config';
import type { ScopedReads } from './read-cache';

/** A record another subgraph owns that a row of this one names, by its type in the supergraph. */
export type ForeignEntity = 'Member' | 'PartyOrganization' | 'Institution' | 'GuidanceStation';

/** The subgraph that owns each type, and whose schema announces its changes. */
export const OWNER_OF: Record<ForeignEntity, SubgraphName> = {
  Member: 'members',
  PartyOrganization: 'organization',
  Institution: 'organization',
  GuidanceStation: 'organization',
};

/**
 * Whether the caller's tier holds records of `typename`, as the subgraph that owns them decides
 * (`ask`, one lookup on the caller's behalf for the whole batch): a record outside the tier reads
 * as missing. The answer is kept in the read cache, per scope, as a read of that record in the
 * owner's schema: the owner announces every change of the record (created, moved to another
 * region, closed) with its id, and the reading subgraph's change feed hears the owner's channel
 * too (`hears` in `startSubgraphServer`), so the change forgets it, here and in every cache the
 * answer's report reaches. `everything` answers for the service itself, which sees every record.
 */
export function visibilityLoader(
  typename: ForeignEntity,
  ask: (ids: readonly string[]) => Promise<boolean[]>,
  reads: ScopedReads,
  everything: ((ids: readonly string[]) => boolean[]) | null,
): DataLoader<string, boolean> {
  if (everything) return new DataLoader<string, boolean>(async (ids) => everything(ids));
  const owner = OWNER_OF[typename];
  return new DataLoader<string, boolean>(reads.named(`visible${typename}`, (id) => ({ records: [id], schemas: [owner] }))((ids: readonly string[]) => ask(ids)));
}
