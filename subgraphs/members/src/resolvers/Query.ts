import { cursorCodec, pageSize, toConnection } from '../../../../shared/src/pagination';
import { isRegionCode } from '../../../../shared/src/regions';
import { isUuid } from '../../../../shared/src/sql';
import type { QueryResolvers } from '../generated/graphql';
import { memberSortKey } from '../repositories/MemberRepository';

export const Query: QueryResolvers = {
  // One trail object per request; each subgraph adds its own part of it.
  auditTrail: () => ({ id: 'audit-trail' }),

  member: (_parent, { id }, ctx) => (isUuid(id) ? ctx.loaders.member.load(id) : null),

  members: async (_parent, { filter, first, after }, ctx) => {
    const size = pageSize(first, ctx.config.maxPageSize);
    const cursors = cursorCodec('members', ['region', 'text', 'uuid'], filter);
    const afterKey = after ? cursors.decode(after) : null;
    const malformed =
      (filter?.regionCode && !isRegionCode(filter.regionCode)) ||
      (filter?.organizationId && !isUuid(filter.organizationId)) ||
      (filter?.institutionId && !isUuid(filter.institutionId));
    if (malformed) return toConnection([], size, 0, memberSortKey, afterKey !== null, cursors);
    const page = await ctx.repos.members.findPage(filter ?? {}, size, afterKey, ctx.scope);
    return toConnection(page.rows, size, page.totalCount, memberSortKey, afterKey !== null, cursors);
  },
};
