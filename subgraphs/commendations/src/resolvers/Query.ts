import { cursorCodec, pageSize, toConnection } from '../../../../shared/src/pagination';
import { isRegionCode } from '../../../../shared/src/regions';
import { isUuid } from '../../../../shared/src/sql';
import type { QueryResolvers } from '../generated/graphql';
import { commendationSortKey } from '../repositories/CommendationRepository';
import { programSortKey } from '../repositories/ProgramRepository';

export const Query: QueryResolvers = {
  // One trail object per request; each subgraph adds its own part of it.
  auditTrail: () => ({ id: 'audit-trail' }),

  commendation: (_parent, { id }, ctx) => (isUuid(id) ? ctx.loaders.commendation.load(id) : null),

  commendations: async (_parent, { filter, first, after }, ctx) => {
    const size = pageSize(first, ctx.config.maxPageSize);
    const cursors = cursorCodec('commendations', ['region', 'year', 'uuid'], filter);
    const afterKey = after ? cursors.decode(after) : null;
    const malformed = (filter?.regionCode && !isRegionCode(filter.regionCode)) || (filter?.programId && !isUuid(filter.programId));
    if (malformed) return toConnection([], size, 0, commendationSortKey, afterKey !== null, cursors);
    const page = await ctx.repos.commendations.findPage(filter ?? {}, size, afterKey, ctx.scope);
    return toConnection(page.rows, size, page.totalCount, commendationSortKey, afterKey !== null, cursors);
  },

  commendationProgram: (_parent, { id }, ctx) => (isUuid(id) ? ctx.loaders.program.load(id) : null),

  commendationPrograms: async (_parent, { filter, first, after }, ctx) => {
    const size = pageSize(first, ctx.config.maxPageSize);
    const cursors = cursorCodec('commendationPrograms', ['year', 'region', 'uuid'], filter);
    const afterKey = after ? cursors.decode(after) : null;
    const page = await ctx.repos.programs.findPage(filter ?? {}, size, afterKey, ctx.scope);
    return toConnection(page.rows, size, page.totalCount, programSortKey, afterKey !== null, cursors);
  },
};
