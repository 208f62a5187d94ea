import type { OrganizationalLifeGapEdgeResolvers } from '../generated/graphql';
import { organizationRef } from './references';

export const OrganizationalLifeGapEdge: OrganizationalLifeGapEdgeResolvers = {
  node: (edge) => organizationRef(edge.node.organizationId)!,
  periodsMissed: (edge) => edge.node.periodsMissed,
  firstMissedDueOn: (edge) => edge.node.firstMissedDueOn,
  kinds: (edge) => edge.node.kinds,
};
