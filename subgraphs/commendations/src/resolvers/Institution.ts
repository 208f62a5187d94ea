import type { InstitutionResolvers } from '../generated/graphql';

export const Institution: InstitutionResolvers = {
  // The list below is cut to the caller's tier in SQL; an institution outside it simply has none.
  __resolveReference: (reference) => ({ id: reference.id }),
  commendations: (institution, _args, ctx) => ctx.loaders.commendationsOfInstitution.load(institution.id),
};
