import type { InstitutionResolvers } from '../generated/graphql';
import { requireYear } from '../services/access';

export const Institution: InstitutionResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  checkpoints: (institution, { year }, ctx) => {
    if (year != null) requireYear(year);
    return ctx.loaders.checkpointsOfInstitution.load(`${institution.id}|${year ?? ''}`);
  },
};
