import { historyKey, requireYearRange } from '../../../../shared/src/history';
import { isRegionCode } from '../../../../shared/src/regions';
import { regionInScope } from '../../../../shared/src/viewer';
import type { RegionResolvers } from '../generated/graphql';

export const Region: RegionResolvers = {
  // A region outside the caller's tier is no region at all, here as in the organization subgraph.
  __resolveReference: (reference, ctx) => (isRegionCode(reference.code) && regionInScope(ctx.scope, reference.code) ? { code: reference.code } : null),
  memberStats: (region, { practice }, ctx) => ctx.loaders.memberStats.load(`${region.code}|${practice ?? ''}`),
  memberHistory: (region, { practice, fromYear, toYear }, ctx) => {
    const years = requireYearRange(fromYear, toYear);
    return ctx.loaders.memberHistory.load(historyKey(region.code, practice, years.fromYear, years.toYear));
  },
  standaloneQuorumInstitutionIds: async (region, _args, ctx) =>
    (await ctx.loaders.quorumInstitutionIds.load(region.code)).map((row) => row.institutionId),
};
