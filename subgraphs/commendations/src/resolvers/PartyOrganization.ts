import type { PartyOrganizationResolvers } from '../generated/graphql';

export const PartyOrganization: PartyOrganizationResolvers = {
  // One outside the caller's tier, however it was reached (a commendation's recipient, say), has nothing here: null.
  __resolveReference: async (reference, ctx) => ((await ctx.visible.PartyOrganization.load(reference.id)) ? { id: reference.id } : null),
  commendations: async (organization, _args, ctx) => ((await ctx.visible.PartyOrganization.load(organization.id)) ? ctx.loaders.commendationsOfOrganization.load(organization.id) : null),
};
