import { decodeCursor, pageSize, toConnection } from '../../../../shared/src/pagination';
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
    const afterKey = after ? decodeCursor(after, 3) : null;
    const malformed =
      (filter?.regionCode && !isRegionCode(filter.regionCode)) ||
      (filter?.organizationId && !isUuid(filter.organizationId)) ||
      (filter?.institutionId && !isUuid(filter.institutionId));
    if (malformed) return toConnection([], size, 0, memberSortKey, afterKey !== null);
    const page = await ctx.repos.members.findPage(filter ?? {}, size, afterKey, ctx.scope);
    return toConnection(page.rows, size, page.totalCount, memberSortKey, afterKey !== null);
  },
};
