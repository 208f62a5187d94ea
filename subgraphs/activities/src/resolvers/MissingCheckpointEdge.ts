import type { MissingCheckpointEdgeResolvers } from '../generated/graphql';
import { institutionRef } from './references';

export const MissingCheckpointEdge: MissingCheckpointEdgeResolvers = {
  node: (edge) => institutionRef(edge.node.institutionId)!,
  missingStages: (edge) => edge.node.missingStages,
};
