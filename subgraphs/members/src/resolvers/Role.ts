import { entity } from '../../../../shared/src/references';
import type { RoleResolvers } from '../generated/graphql';
import { organizationRef, stationRef } from './references';

export const Role: RoleResolvers = {
  __resolveReference: (reference, ctx) => entity(ctx.loaders.role.load(reference.id)),
  member: (role, _args, ctx) => ctx.loaders.member.load(role.memberId),
  organization: (role) => organizationRef(role.organizationId),
  station: (role) => stationRef(role.stationId),
};
