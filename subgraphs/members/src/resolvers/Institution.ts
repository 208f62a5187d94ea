import type { InstitutionResolvers } from '../generated/graphql';

const NO_PEOPLE = { practitioners: 0, partyMembers: 0, fullMembers: 0 };

export const Institution: InstitutionResolvers = {
  // Outside the caller's tier (or missing) the record is null here too, never an empty placeholder.
  __resolveReference: async (reference, ctx) => ((await ctx.tier.institutionVisible.load(reference.id)) ? { id: reference.id } : null),
  practitioners: (institution, _args, ctx) => ctx.loaders.practitionersOfInstitution.load(institution.id),
  practitionerCount: async (institution, _args, ctx) => ((await ctx.loaders.institutionCounts.load(institution.id)) ?? NO_PEOPLE).practitioners,
  partyMemberCount: async (institution, _args, ctx) => ((await ctx.loaders.institutionCounts.load(institution.id)) ?? NO_PEOPLE).partyMembers,
  fullPartyMemberCount: async (institution, _args, ctx) => ((await ctx.loaders.institutionCounts.load(institution.id)) ?? NO_PEOPLE).fullMembers,
};
