import type { OrganizationMembershipResolvers } from '../generated/graphql';
import { organizationRef } from './references';

export const OrganizationMembership: OrganizationMembershipResolvers = {
  organization: (membership) => organizationRef(membership.organizationId)!,
  transfer: (membership, _args, ctx) => (membership.transferId ? ctx.loaders.transfer.load(membership.transferId) : null),
};
