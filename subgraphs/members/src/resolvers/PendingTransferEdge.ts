import type { PendingTransferEdgeResolvers } from '../generated/graphql';

export const PendingTransferEdge: PendingTransferEdgeResolvers = {
  node: (edge) => edge.node.transfer,
  expired: (edge) => edge.node.expired,
};
