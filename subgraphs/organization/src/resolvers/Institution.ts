import { entity } from '../../../../shared/src/references';
import type { InstitutionResolvers } from '../generated/graphql';

export const Institution: InstitutionResolvers = {
  __resolveReference: (reference, ctx) => entity(ctx.loaders.institution.load(reference.id)),
  region: (institution, _args, ctx) => ctx.loaders.region.load(institution.regionCode),
  headOffice: (institution, _args, ctx) => (institution.headOfficeId ? ctx.loaders.institution.load(institution.headOfficeId) : null),
  branchOffices: (institution, _args, ctx) => ctx.loaders.branchOffices.load(institution.id),
  partyOrganization: (institution, _args, ctx) =>
    institution.partyOrganizationId ? ctx.loaders.organization.load(institution.partyOrganizationId) : null,
  guidanceOfficerAssignments: (institution, { activeOnly }, ctx) =>
    (activeOnly === false ? ctx.loaders.allAssignmentsOfInstitution : ctx.loaders.activeAssignmentsOfInstitution).load(institution.id),
};
