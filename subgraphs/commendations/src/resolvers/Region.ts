import { isRegionCode } from '../../../../shared/src/regions';
import { regionInScope } from '../../../../shared/src/viewer';
import type { RegionResolvers } from '../generated/graphql';

export const Region: RegionResolvers = {
  // A region outside the caller's tier is no region at all, here as in the organization subgraph.
  __resolveReference: (reference, ctx) => (isRegionCode(reference.code) && regionInScope(ctx.scope, reference.code) ? { code: reference.code } : null),
  // Also when reached through another record: null, never a row of zeros.
  commendationStats: (region, { year }, ctx) => (regionInScope(ctx.scope, region.code) ? ctx.loaders.stats.load(`${region.code}|${year}`) : null),
};
