import type { AuditTrailResolvers } from '../generated/graphql';

export const AuditTrail: AuditTrailResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  activityRecords: (_trail, args, ctx) => ctx.auditTrail(args),
};
