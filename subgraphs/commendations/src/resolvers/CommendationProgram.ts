import { regionInScope } from '../../../../shared/src/viewer';
import type { CommendationProgramResolvers } from '../generated/graphql';
import { regionRef } from './references';

export const CommendationProgram: CommendationProgramResolvers = {
  // The whole country is no GB/T 2260 region, and a region above the caller's tier is none of theirs.
  region: (program, _args, ctx) => (program.level !== 'NATIONAL' && regionInScope(ctx.scope, program.regionCode) ? regionRef(program.regionCode) : null),
  categories: (program, _args, ctx) => ctx.loaders.categoriesOfProgram.load(program.id),
};
