import { entity } from '../../../../shared/src/references';
import type { PartyOrganizationResolvers } from '../generated/graphql';

export const PartyOrganization: PartyOrganizationResolvers = {
  __resolveReference: (reference, ctx) => entity(ctx.loaders.organization.load(reference.id)),
  parent: (organization, _args, ctx) => (organization.parentId ? ctx.loaders.organization.load(organization.parentId) : null),
  children: (organization, _args, ctx) => ctx.loaders.organizationChildren.load(organization.id),
  region: (organization, _args, ctx) => ctx.loaders.region.load(organization.regionCode),
  coveredInstitutions: (organization, _args, ctx) => ctx.loaders.institutionsOfOrganization.load(organization.id),
};
