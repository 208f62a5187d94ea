import type { GuidanceStationResolvers } from '../generated/graphql';
import { listKey } from '../loaders';
import { requireYear } from '../services/access';

export const GuidanceStation: GuidanceStationResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  activities: (station, { year, kind }, ctx) => {
    if (year != null) requireYear(year);
    return ctx.loaders.activitiesOfStation.load(listKey(station.id, year, kind));
  },
};
