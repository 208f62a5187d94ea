import type { PartyOrganizationResolvers } from '../generated/graphql';

export const PartyOrganization: PartyOrganizationResolvers = {
  // Outside the caller's tier (or missing) the record is null here too, never an empty placeholder.
  __resolveReference: async (reference, ctx) => ((await ctx.tier.organizationVisible.load(reference.id)) ? { id: reference.id } : null),
  members: (organization, _args, ctx) => ctx.loaders.membersOfOrganization.load(organization.id),
  memberCount: async (organization, _args, ctx) => (await ctx.loaders.organizationCounts.load(organization.id))?.count ?? 0,
  secretary: async (organization, _args, ctx) => {
    const [role] = await ctx.loaders.secretaryOfOrganization.load(organization.id);
    return role ? ctx.loaders.member.load(role.memberId) : null;
  },
  temporaryParticipants: (organization, _args, ctx) => ctx.loaders.temporaryParticipants.load(organization.id),
  incomingTransfers: (organization, _args, ctx) => ctx.loaders.incomingTransfers.load(organization.id),
};
