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
  recordAppraisal: (_parent, { input }, ctx) => ctx.facts.recordAppraisal(ctx, input),
  recordVanguardPost: (_parent, { input }, ctx) => ctx.facts.recordVanguardPost(ctx, input),
  closeVanguardPost: (_parent, { id, endedOn }, ctx) => ctx.facts.closeVanguardPost(ctx, id, endedOn),
  recordPledge: (_parent, { input }, ctx) => ctx.facts.recordPledge(ctx, input),
  closePledge: (_parent, { id, closedOn }, ctx) => ctx.facts.closePledge(ctx, id, closedOn),
  // Only the record's owner writes dues, and the owner's editors read them in full.
  setDuesBase: async (_parent, { memberId, input }, ctx) => ({ ...(await ctx.facts.setDuesBase(ctx, memberId, input)), masked: false }),
  recordDuesPayment: async (_parent, { memberId, month, amount }, ctx) => ({ ...(await ctx.facts.recordDuesPayment(ctx, memberId, month, amount)), masked: false }),
  importMembers: (_parent, { rows, dryRun }, ctx) => ctx.imports.importMembers(ctx, rows, dryRun ?? true),
};
