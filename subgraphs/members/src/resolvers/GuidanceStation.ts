import type { GuidanceStationResolvers } from '../generated/graphql';

export const GuidanceStation: GuidanceStationResolvers = {
  // Outside the caller's tier (or missing) the record is null here too, never an empty placeholder.
  __resolveReference: async (reference, ctx) => ((await ctx.tier.stationVisible.load(reference.id)) ? { id: reference.id } : null),
  head: async (station, _args, ctx) => (await ctx.loaders.stationHead.load(station.id))?.member ?? null,
  guidanceOfficers: async (station, _args, ctx) => {
    const roles = await ctx.loaders.officersOfStation.load(station.id);
    const members = await ctx.loaders.member.loadMany(roles.map((role) => role.memberId));
    return members.filter((m): m is Exclude<typeof m, Error | null> => m !== null && !(m instanceof Error));
  },
};
