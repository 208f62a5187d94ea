import type { GuidanceStationResolvers } from '../generated/graphql';

export const GuidanceStation: GuidanceStationResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  head: async (station, _args, ctx) => {
    const [role] = await ctx.loaders.headOfStation.load(station.id);
    return role ? ctx.loaders.member.load(role.memberId) : null;
  },
  guidanceOfficers: async (station, _args, ctx) => {
    const roles = await ctx.loaders.officersOfStation.load(station.id);
    const members = await ctx.loaders.member.loadMany(roles.map((role) => role.memberId));
    return members.filter((m): m is Exclude<typeof m, Error | null> => m !== null && !(m instanceof Error));
  },
};
