import type { AuditTrailResolvers } from '../generated/graphql';

export const AuditTrail: AuditTrailResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  commendationRecords: (_trail, args, ctx) => ctx.auditTrail(args),
};
