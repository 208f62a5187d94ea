import { historyKey, requireYearRange } from '../../../../shared/src/history';
import { isRegionCode, regionPrefix } from '../../../../shared/src/regions';
import type { InstitutionRecord } from '../entities';
import type { RegionResolvers } from '../generated/graphql';
import { institutionConnection } from './connections';

export const Region: RegionResolvers = {
  __resolveReference: async (reference, ctx) => {
    const region = isRegionCode(reference.code) ? await ctx.loaders.region.load(reference.code) : null;
    // The gateway sends what `standaloneBranchGaps` requires along with the key.
    return region && { ...region, standaloneQuorumInstitutionIds: reference.standaloneQuorumInstitutionIds ?? null };
  },
  standaloneBranchGaps: async (region, _args, ctx) => {
    if (!region.standaloneQuorumInstitutionIds) return null;
    const institutions = await ctx.loaders.institution.loadMany(region.standaloneQuorumInstitutionIds);
    return institutions
      .filter((i): i is InstitutionRecord => i !== null && !(i instanceof Error))
      .filter((i) => i.state === 'OPERATING' && i.coverageStatus !== 'STANDALONE_BRANCH' && i.regionCode.startsWith(regionPrefix(region.code)))
      .sort((a, b) => a.regionCode.localeCompare(b.regionCode) || a.name.localeCompare(b.name, 'zh-Hans-CN') || a.id.localeCompare(b.id));
  },
  parent: (region, _args, ctx) => (region.parentCode ? ctx.loaders.region.load(region.parentCode) : null),
  children: (region, _args, ctx) => ctx.loaders.regionChildren.load(region.code),
  guidanceStation: (region, _args, ctx) => ctx.loaders.stationOfRegion.load(region.code),
  institutions: (region, { kind, first, after }, ctx) => institutionConnection(ctx, region.code, { kind }, first, after),
  coverage: (region, { kind }, ctx) => ctx.loaders.coverage.load(`${region.code}|${kind ?? ''}`),
  coverageHistory: (region, { kind, fromYear, toYear }, ctx) => {
    const years = requireYearRange(fromYear, toYear);
    return ctx.loaders.coverageHistory.load(historyKey(region.code, kind, years.fromYear, years.toYear));
  },
};
