import type { PartyOrganizationResolvers } from '../generated/graphql';
import { listKey } from '../loaders';
import { requireYear } from '../services/access';

export const PartyOrganization: PartyOrganizationResolvers = {
  // An organization this subgraph has never been told of, or one outside the caller's tier, has nothing here.
  __resolveReference: async (reference, ctx) => ((await ctx.loaders.registeredOrganization.load(reference.id)) ? { id: reference.id } : null),
  activities: (organization, { year, kind }, ctx) => {
    if (year != null) requireYear(year);
    return ctx.loaders.activitiesOfOrganization.load(listKey(organization.id, year, kind));
  },
  organizationalLife: (organization, { year }, ctx) => ctx.loaders.organizationalLife.load(`${organization.id}|${requireYear(year)}`),
};
