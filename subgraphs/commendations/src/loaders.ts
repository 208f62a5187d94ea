import DataLoader from 'dataloader';
import { listLoader, recordLoader } from '../../../shared/src/loaders';
import { isUuid } from '../../../shared/src/sql';
import { onRecord, onRegion, type ScopedReads } from '../../../shared/src/read-cache';
import type { Scope } from '../../../shared/src/viewer';
import type { RecipientKind } from './entities';
import type { Repositories } from './repositories';
import type { CommendationStatsRow } from './repositories/CommendationRepository';

/**
 * The loaders of one request, bound to the caller's scope. A new set is made for every request;
 * what they share with other requests goes through the read cache, keyed by the same scope.
 */
export function createLoaders(repos: Repositories, scope: Scope, reads: ScopedReads) {
  // A malformed id names no record; it must not reach a uuid cast and fail the whole batch.
  const ids = (keys: readonly string[]) => keys.filter(isUuid);
  const ofRecipients = (kind: RecipientKind) =>
    listLoader(
      (keys: readonly string[]) => repos.commendations.findByRecipients(kind, ids(keys), scope),
      (c) => c.recipientId,
      reads.named(`commendationsOf:${kind}`, onRecord),
    );

  return {
    commendation: recordLoader((keys: readonly string[]) => repos.commendations.findByIds(ids(keys), scope), (c) => c.id, reads.named('commendation', onRecord)),
    commendationsOfMember: ofRecipients('MEMBER'),
    commendationsOfOrganization: ofRecipients('PARTY_ORGANIZATION'),
    commendationsOfInstitution: ofRecipients('INSTITUTION'),
    program: recordLoader((keys: readonly string[]) => repos.programs.findByIds(ids(keys), scope), (p) => p.id, reads.named('program', onRecord)),
    categoriesOfProgram: listLoader((keys: readonly string[]) => repos.programs.findCategories(ids(keys), scope), (c) => c.programId, reads.named('categoriesOfProgram', onRecord)),
    approvedOfProgram: listLoader((keys: readonly string[]) => repos.commendations.approvedCounts(ids(keys), scope), (row) => row.programId, reads.named('approvedOfProgram', onRecord)),
    stats: new DataLoader<string, CommendationStatsRow>(
      reads.named('stats', onRegion(scope))((keys) =>
        repos.commendations.stats(
          keys.map((key) => {
            const [regionCode, year] = key.split('|');
            return { regionCode, year: Number(year) };
          }),
          scope,
        ),
      ),
    ),
  };
}

export type CommendationsLoaders = ReturnType<typeof createLoaders>;
