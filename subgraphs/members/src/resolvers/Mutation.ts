import type { MutationResolvers } from '../generated/graphql';

export const Mutation: MutationResolvers = {
  registerMember: (_parent, { input }, ctx) => ctx.records.register(ctx, input),
  updateMember: (_parent, { id, input }, ctx) => ctx.records.update(ctx, id, input),
  advancePartyStatus: (_parent, { id, input }, ctx) => ctx.records.advance(ctx, id, input),
  extendProbation: (_parent, { id, until, reason }, ctx) => ctx.records.extendProbation(ctx, id, until, reason),
  joinTemporarily: (_parent, { memberId, organizationId, startedOn }, ctx) => ctx.records.joinTemporarily(ctx, memberId, organizationId, startedOn),
  leaveTemporary: (_parent, { memberId, organizationId, endedOn }, ctx) => ctx.records.leaveTemporary(ctx, memberId, organizationId, endedOn),
  assignRole: (_parent, { input }, ctx) => ctx.records.assignRole(ctx, input),
  endRole: (_parent, { id, endedOn }, ctx) => ctx.records.endRole(ctx, id, endedOn),
  initiateTransfer: (_parent, { input }, ctx) => ctx.transfers.initiate(ctx, input),
  confirmTransfer: (_parent, { id, receivedOn }, ctx) => ctx.transfers.confirm(ctx, id, receivedOn),
  returnTransfer: (_parent, { id, reason }, ctx) => ctx.transfers.return(ctx, id, reason),
  cancelTransfer: (_parent, { id, reason }, ctx) => ctx.transfers.cancel(ctx, id, reason),
  importMembers: (_parent, { rows, dryRun }, ctx) => ctx.imports.importMembers(ctx, rows, dryRun ?? true),
};
