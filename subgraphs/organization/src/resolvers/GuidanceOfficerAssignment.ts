import { entity } from '../../../../shared/src/references';
import type { GuidanceOfficerAssignmentResolvers } from '../generated/graphql';

export const GuidanceOfficerAssignment: GuidanceOfficerAssignmentResolvers = {
  __resolveReference: (reference, ctx) => entity(ctx.loaders.assignment.load(reference.id)),
  // The members subgraph resolves the officer's record from this reference.
  officer: (assignment) => ({ __typename: 'Member', id: assignment.officerMemberId }),
  station: (assignment, _args, ctx) => ctx.loaders.station.load(assignment.stationId),
  institution: (assignment, _args, ctx) => ctx.loaders.institution.load(assignment.institutionId),
};
