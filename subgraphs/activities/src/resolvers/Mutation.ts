import type { MutationResolvers } from '../generated/graphql';

export const Mutation: MutationResolvers = {
  recordActivity: (_parent, { input }, ctx) => ctx.activities.record(ctx, input),
  updateActivity: (_parent, { id, input }, ctx) => ctx.activities.update(ctx, id, input),
  cancelActivity: (_parent, { id, reason }, ctx) => ctx.activities.cancel(ctx, id, reason),
  enrolInTrainingClass: (_parent, { activityId, memberIds, enrolledOn }, ctx) => ctx.training.enrol(ctx, activityId, memberIds, enrolledOn),
  recordTrainingCompletion: (_parent, { activityId, memberId, completedOn, hours }, ctx) =>
    ctx.training.complete(ctx, activityId, memberId, completedOn, hours),
  recordCheckpoint: (_parent, { input }, ctx) => ctx.checkpoints.record(ctx, input),
  setOrganizationalLifeRequirement: (_parent, { input }, ctx) => ctx.requirements.set(ctx, input),
};
