import type { InstitutionResolvers } from '../generated/graphql';

export const Institution: InstitutionResolvers = {
  // One outside the caller's tier, however it was reached (a commendation's recipient, say), has nothing here: null.
  __resolveReference: async (reference, ctx) => ((await ctx.visible.Institution.load(reference.id)) ? { id: reference.id } : null),
  commendations: async (institution, _args, ctx) => ((await ctx.visible.Institution.load(institution.id)) ? ctx.loaders.commendationsOfInstitution.load(institution.id) : null),
};
