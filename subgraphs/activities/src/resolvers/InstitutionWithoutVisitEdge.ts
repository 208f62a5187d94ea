import type { InstitutionWithoutVisitEdgeResolvers } from '../generated/graphql';
import { institutionRef } from './references';

export const InstitutionWithoutVisitEdge: InstitutionWithoutVisitEdgeResolvers = {
  node: (edge) => institutionRef(edge.node.institutionId)!,
  lastVisitedOn: (edge) => edge.node.lastVisitedOn,
  visitDueOn: (edge) => edge.node.visitDueOn,
};
