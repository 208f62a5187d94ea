import type { AuditTrailResolvers } from '../generated/graphql';

export const AuditTrail: AuditTrailResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  memberRecords: (_trail, args, ctx) => ctx.auditTrail(args),
};
