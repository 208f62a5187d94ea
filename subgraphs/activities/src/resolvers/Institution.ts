import type { InstitutionResolvers } from '../generated/graphql';
import { requireYear } from '../services/access';

export const Institution: InstitutionResolvers = {
  // An institution outside the caller's tier has no checkpoints here: null, as the institution is.
  __resolveReference: async (reference, ctx) => ((await ctx.visible.Institution.load(reference.id)) ? { id: reference.id } : null),
  checkpoints: async (institution, { year }, ctx) => {
    if (year != null) requireYear(year);
    if (!(await ctx.visible.Institution.load(institution.id))) return null;
    return ctx.loaders.checkpointsOfInstitution.load(`${institution.id}|${year ?? ''}`);
  },
};
