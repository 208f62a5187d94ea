import { isRegionCode } from '../../../../shared/src/regions';
import { regionInScope } from '../../../../shared/src/viewer';
import type { RegionResolvers } from '../generated/graphql';
import { requireYear } from '../services/access';

export const Region: RegionResolvers = {
  // A region outside the caller's tier is no region at all, here as in the organization subgraph.
  __resolveReference: (reference, ctx) => (isRegionCode(reference.code) && regionInScope(ctx.scope, reference.code) ? { code: reference.code } : null),
  // Also when reached through another record (an activity's region): null, never a row of zeros.
  activityStats: (region, { year }, ctx) => {
    requireYear(year);
    return regionInScope(ctx.scope, region.code) ? ctx.loaders.activityStats.load(`${region.code}|${year}`) : null;
  },
};
