import { isRegionCode } from '../../../../shared/src/regions';
import type { RegionResolvers } from '../generated/graphql';
import { institutionConnection } from './connections';

export const Region: RegionResolvers = {
  __resolveReference: (reference, ctx) => (isRegionCode(reference.code) ? ctx.loaders.region.load(reference.code) : null),
  parent: (region, _args, ctx) => (region.parentCode ? ctx.loaders.region.load(region.parentCode) : null),
  children: (region, _args, ctx) => ctx.loaders.regionChildren.load(region.code),
  guidanceStation: (region, _args, ctx) => ctx.loaders.stationOfRegion.load(region.code),
  institutions: (region, { kind, first, after }, ctx) => institutionConnection(ctx, region.code, { kind }, first, after),
  coverage: (region, { kind }, ctx) => ctx.loaders.coverage.load(`${region.code}|${kind ?? ''}`),
};
