import type { PartyOrganizationResolvers } from '../generated/graphql';

export const PartyOrganization: PartyOrganizationResolvers = {
  // The list below is cut to the caller's tier in SQL; an organization outside it simply has none.
  __resolveReference: (reference) => ({ id: reference.id }),
  commendations: (organization, _args, ctx) => ctx.loaders.commendationsOfOrganization.load(organization.id),
};
