import type { MutationResolvers } from '../generated/graphql';

export const Mutation: MutationResolvers = {
  registerInstitution: (_parent, { input }, ctx) => ctx.structure.registerInstitution(ctx, input),
  updateInstitution: (_parent, { id, input }, ctx) => ctx.structure.updateInstitution(ctx, id, input),
  establishPartyOrganization: (_parent, { input }, ctx) => ctx.structure.establishPartyOrganization(ctx, input),
  addInstitutionsToJointBranch: (_parent, { organizationId, institutionIds }, ctx) =>
    ctx.structure.addInstitutionsToJointBranch(ctx, organizationId, institutionIds),
  removeInstitutionsFromJointBranch: (_parent, { organizationId, institutionIds }, ctx) =>
    ctx.structure.removeInstitutionsFromJointBranch(ctx, organizationId, institutionIds),
  dissolvePartyOrganization: (_parent, { id, dissolvedOn, reason }, ctx) =>
    ctx.structure.dissolvePartyOrganization(ctx, id, dissolvedOn, reason),
  assignGuidanceOfficer: (_parent, { input }, ctx) => ctx.structure.assignGuidanceOfficer(ctx, input),
  endGuidanceOfficerAssignment: (_parent, { id, endedOn }, ctx) => ctx.structure.endGuidanceOfficerAssignment(ctx, id, endedOn),
  importInstitutions: (_parent, { rows, dryRun }, ctx) => ctx.imports.importInstitutions(ctx, rows, dryRun ?? true),
  importPartyOrganizations: (_parent, { rows, dryRun }, ctx) => ctx.imports.importPartyOrganizations(ctx, rows, dryRun ?? true),
};
