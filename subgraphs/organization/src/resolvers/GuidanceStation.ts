import { entity } from '../../../../shared/src/references';
import type { GuidanceStationResolvers } from '../generated/graphql';

export const GuidanceStation: GuidanceStationResolvers = {
  __resolveReference: (reference, ctx) => entity(ctx.loaders.station.load(reference.id)),
  region: (station, _args, ctx) => ctx.loaders.region.load(station.regionCode),
  parent: (station, _args, ctx) => (station.parentId ? ctx.loaders.station.load(station.parentId) : null),
  children: (station, _args, ctx) => ctx.loaders.stationChildren.load(station.id),
  guidanceOfficerAssignments: (station, { activeOnly }, ctx) =>
    (activeOnly === false ? ctx.loaders.allAssignmentsOfStation : ctx.loaders.activeAssignmentsOfStation).load(station.id),
};
