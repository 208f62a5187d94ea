import { entity } from '../../../../shared/src/references';
import { todayInChina } from '../../../../shared/src/validation';
import type { TransferResolvers } from '../generated/graphql';
import { organizationRef, visibleRef } from './references';

export const Transfer: TransferResolvers = {
  __resolveReference: (reference, ctx) => entity(ctx.loaders.transfer.load(reference.id)),
  // A letter past its date is expired, whether or not anyone has touched the transfer since.
  status: (transfer) => (transfer.status === 'PENDING' && transfer.expiresOn < todayInChina() ? 'EXPIRED' : transfer.status),
  member: (transfer, _args, ctx) => ctx.loaders.member.load(transfer.memberId),
  // A letter is read at both ends: the branch at the other end may lie outside the caller's tier.
  from: (transfer, _args, ctx) => visibleRef(transfer.fromOrganizationId, ctx.tier.organizationVisible, organizationRef),
  to: (transfer, _args, ctx) => visibleRef(transfer.toOrganizationId, ctx.tier.organizationVisible, organizationRef),
};
