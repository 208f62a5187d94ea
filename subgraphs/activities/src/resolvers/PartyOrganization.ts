import type { PartyOrganizationResolvers } from '../generated/graphql';
import { listKey } from '../loaders';
import { requireYear } from '../services/access';
import type { ActivitiesContext } from '../context';

/** Whether the caller's tier holds the organization: the register is read in the caller's scope. */
const held = async (id: string, ctx: ActivitiesContext) => (await ctx.loaders.registeredOrganization.load(id)) != null;

export const PartyOrganization: PartyOrganizationResolvers = {
  // An organization this subgraph has never been told of, or one outside the caller's tier, has nothing here.
  __resolveReference: async (reference, ctx) => ((await held(reference.id, ctx)) ? { id: reference.id } : null),
  activities: async (organization, { year, kind }, ctx) => {
    if (year != null) requireYear(year);
    if (!(await held(organization.id, ctx))) return null;
    return ctx.loaders.activitiesOfOrganization.load(listKey(organization.id, year, kind));
  },
  organizationalLife: (organization, { year }, ctx) => ctx.loaders.organizationalLife.load(`${organization.id}|${requireYear(year)}`),
};
