import type { MutationResolvers } from '../generated/graphql';

export const Mutation: MutationResolvers = {
  createCommendationProgram: (_parent, { input }, ctx) => ctx.programs.create(ctx, input),
  nominateForCommendation: (_parent, { input }, ctx) => ctx.nominations.nominate(ctx, input),
  approveCommendation: (_parent, { id, decidedOn, reason }, ctx) => ctx.nominations.approve(ctx, id, decidedOn, reason),
  rejectCommendation: (_parent, { id, decidedOn, reason }, ctx) => ctx.nominations.reject(ctx, id, decidedOn, reason),
  revokeCommendation: (_parent, { id, revokedOn, reason }, ctx) => ctx.nominations.revoke(ctx, id, revokedOn, reason),
};
