import { entity } from '../../../../shared/src/references';
import { regionInScope } from '../../../../shared/src/viewer';
import type { CommendationResolvers } from '../generated/graphql';
import { recipientRef, regionRef } from './references';

export const Commendation: CommendationResolvers = {
  __resolveReference: (reference, ctx) => entity(ctx.loaders.commendation.load(reference.id)),
  program: (commendation, _args, ctx) => ctx.loaders.program.load(commendation.programId),
  recipient: (commendation) => recipientRef(commendation.recipientKind, commendation.recipientId),
  // A branch sees its members' awards, whose county may still lie outside its own.
  region: (commendation, _args, ctx) => (regionInScope(ctx.scope, commendation.regionCode) ? regionRef(commendation.regionCode) : null),
};
