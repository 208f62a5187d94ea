import { badUserInput } from '../../../../shared/src/errors';
import { decodeCursor, pageSize, toConnection } from '../../../../shared/src/pagination';
import { isRegionCode } from '../../../../shared/src/regions';
import { isUuid } from '../../../../shared/src/sql';
import type { QueryResolvers } from '../generated/graphql';
import { commendationSortKey } from '../repositories/CommendationRepository';
import { programSortKey } from '../repositories/ProgramRepository';

const YEAR = /^\d{4}$/;

/** A cursor of these connections is (region or year, year or region, id): anything else was not made here. */
function decodeKey(after: string, year: 0 | 1): string[] {
  const key = decodeCursor(after, 3);
  if (!YEAR.test(key[year]) || !isRegionCode(key[1 - year]) || !isUuid(key[2])) throw badUserInput('after is not a cursor this field produced.', 'after');
  return key;
}

export const Query: QueryResolvers = {
  // One trail object per request; each subgraph adds its own part of it.
  auditTrail: () => ({ id: 'audit-trail' }),

  commendation: (_parent, { id }, ctx) => (isUuid(id) ? ctx.loaders.commendation.load(id) : null),

  commendations: async (_parent, { filter, first, after }, ctx) => {
    const size = pageSize(first, ctx.config.maxPageSize);
    const afterKey = after ? decodeKey(after, 1) : null;
    const malformed = (filter?.regionCode && !isRegionCode(filter.regionCode)) || (filter?.programId && !isUuid(filter.programId));
    if (malformed) return toConnection([], size, 0, commendationSortKey, afterKey !== null);
    const page = await ctx.repos.commendations.findPage(filter ?? {}, size, afterKey, ctx.scope);
    return toConnection(page.rows, size, page.totalCount, commendationSortKey, afterKey !== null);
  },

  commendationProgram: (_parent, { id }, ctx) => (isUuid(id) ? ctx.loaders.program.load(id) : null),

  commendationPrograms: async (_parent, { filter, first, after }, ctx) => {
    const size = pageSize(first, ctx.config.maxPageSize);
    const afterKey = after ? decodeKey(after, 0) : null;
    const page = await ctx.repos.programs.findPage(filter ?? {}, size, afterKey, ctx.scope);
    return toConnection(page.rows, size, page.totalCount, programSortKey, afterKey !== null);
  },
};
