import type { ProbationDueEdgeResolvers } from '../generated/graphql';

export const ProbationDueEdge: ProbationDueEdgeResolvers = {
  node: (edge) => edge.node.member,
  probationEndsOn: (edge) => edge.node.probationEndsOn,
  overdue: (edge) => edge.node.overdue,
};
