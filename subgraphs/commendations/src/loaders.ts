import DataLoader from 'dataloader';
import { listLoader, recordLoader } from '../../../shared/src/loaders';
import { isUuid } from '../../../shared/src/sql';
import type { Scope } from '../../../shared/src/viewer';
import type { RecipientKind } from './entities';
import type { Repositories } from './repositories';
import type { CommendationStatsRow } from './repositories/CommendationRepository';

/**
 * The loaders of one request, bound to the caller's scope. A new set is made for every request, so
 * a cached row can never reach a caller of another tier.
 */
export function createLoaders(repos: Repositories, scope: Scope) {
  // A malformed id names no record; it must not reach a uuid cast and fail the whole batch.
  const ids = (keys: readonly string[]) => keys.filter(isUuid);
  const ofRecipients = (kind: RecipientKind) =>
    listLoader((keys: readonly string[]) => repos.commendations.findByRecipients(kind, ids(keys), scope), (c) => c.recipientId);

  return {
    commendation: recordLoader((keys: readonly string[]) => repos.commendations.findByIds(ids(keys), scope), (c) => c.id),
    commendationsOfMember: ofRecipients('MEMBER'),
    commendationsOfOrganization: ofRecipients('PARTY_ORGANIZATION'),
    commendationsOfInstitution: ofRecipients('INSTITUTION'),
    program: recordLoader((keys: readonly string[]) => repos.programs.findByIds(ids(keys), scope), (p) => p.id),
    categoriesOfProgram: listLoader((keys: readonly string[]) => repos.programs.findCategories(ids(keys), scope), (c) => c.programId),
    approvedOfProgram: listLoader((keys: readonly string[]) => repos.commendations.approvedCounts(ids(keys), scope), (row) => row.programId),
    stats: new DataLoader<string, CommendationStatsRow>((keys) =>
      repos.commendations.stats(
        keys.map((key) => {
          const [regionCode, year] = key.split('|');
          return { regionCode, year: Number(year) };
        }),
        scope,
      ),
    ),
  };
}

export type CommendationsLoaders = ReturnType<typeof createLoaders>;
