import type { MemberResolvers } from '../generated/graphql';

export const Member: MemberResolvers = {
  // One outside the caller's tier, however it was reached (a commendation's recipient, say), has nothing here: null.
  __resolveReference: async (reference, ctx) => ((await ctx.visible.Member.load(reference.id)) ? { id: reference.id } : null),
  commendations: async (member, _args, ctx) => ((await ctx.visible.Member.load(member.id)) ? ctx.loaders.commendationsOfMember.load(member.id) : null),
};
