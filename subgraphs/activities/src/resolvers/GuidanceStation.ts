import type { GuidanceStationResolvers } from '../generated/graphql';
import { listKey } from '../loaders';
import { requireYear } from '../services/access';

export const GuidanceStation: GuidanceStationResolvers = {
  // A station above or beside the caller's tier (the city station of a class held in a county) has nothing here.
  __resolveReference: async (reference, ctx) => ((await ctx.visible.GuidanceStation.load(reference.id)) ? { id: reference.id } : null),
  activities: async (station, { year, kind }, ctx) => {
    if (year != null) requireYear(year);
    if (!(await ctx.visible.GuidanceStation.load(station.id))) return null;
    return ctx.loaders.activitiesOfStation.load(listKey(station.id, year, kind));
  },
};
