import { cursorCodec, pageSize, toConnection } from '../../../../shared/src/pagination';
import { isRegionCode, regionLevel } from '../../../../shared/src/regions';
import { isUuid } from '../../../../shared/src/sql';
import type { QueryResolvers } from '../generated/graphql';
import { activitySortKey } from '../repositories/ActivityRepository';
import { requireYear } from '../services/access';

export const Query: QueryResolvers = {
  // One trail object per request; each subgraph adds its own part of it.
  auditTrail: () => ({ id: 'audit-trail' }),

  activity: (_parent, { id }, ctx) => (isUuid(id) ? ctx.loaders.activity.load(id) : null),

  activities: async (_parent, { filter, first, after }, ctx) => {
    const size = pageSize(first, ctx.config.maxPageSize);
    const cursors = cursorCodec('activities', ['date', 'uuid'], filter);
    const afterKey = after ? cursors.decode(after) : null;
    if (filter?.year != null) requireYear(filter.year, 'filter.year');
    const malformed =
      (filter?.regionCode && !isRegionCode(filter.regionCode)) ||
      (filter?.organizationId && !isUuid(filter.organizationId)) ||
      (filter?.stationId && !isUuid(filter.stationId)) ||
      (filter?.institutionId && !isUuid(filter.institutionId));
    if (malformed) return toConnection([], size, 0, activitySortKey, afterKey !== null, cursors);
    const page = await ctx.repos.activities.findPage(filter ?? {}, size, afterKey, ctx.scope);
    return toConnection(page.rows, size, page.totalCount, activitySortKey, afterKey !== null, cursors);
  },

  organizationalLifeRequirements: (_parent, { provinceCode, year }, ctx) => {
    requireYear(year);
    if (!isRegionCode(provinceCode) || regionLevel(provinceCode) !== 'PROVINCE') return null;
    // Every tier works under its own province's rules, so every tier may read them.
    const ownProvince = ctx.scope.prefix.slice(0, 2) === provinceCode.slice(0, 2);
    return ownProvince ? ctx.repos.compliance.requirementsInForce(provinceCode, year) : null;
  },
};
