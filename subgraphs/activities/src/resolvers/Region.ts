import { isRegionCode } from '../../../../shared/src/regions';
import { regionInScope } from '../../../../shared/src/viewer';
import type { RegionResolvers } from '../generated/graphql';
import { requireYear } from '../services/access';

export const Region: RegionResolvers = {
  // A region outside the caller's tier is no region at all, here as in the organization subgraph.
  __resolveReference: (reference, ctx) => (isRegionCode(reference.code) && regionInScope(ctx.scope, reference.code) ? { code: reference.code } : null),
  activityStats: (region, { year }, ctx) => ctx.loaders.activityStats.load(`${region.code}|${requireYear(year)}`),
};
