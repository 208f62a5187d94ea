import type { CheckpointResolvers } from '../generated/graphql';
import { institutionRef } from './references';

export const Checkpoint: CheckpointResolvers = {
  institution: (checkpoint) => institutionRef(checkpoint.institutionId),
};
