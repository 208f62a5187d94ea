import type { MemberResolvers } from '../generated/graphql';

export const Member: MemberResolvers = {
  // The list below is cut to the caller's tier in SQL; a member outside it simply has none.
  __resolveReference: (reference) => ({ id: reference.id }),
  commendations: (member, _args, ctx) => ctx.loaders.commendationsOfMember.load(member.id),
};
