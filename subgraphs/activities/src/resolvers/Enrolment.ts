import type { EnrolmentResolvers } from '../generated/graphql';
import { memberRef } from './references';

export const Enrolment: EnrolmentResolvers = {
  member: (enrolment) => memberRef(enrolment.memberId),
  activity: (enrolment, _args, ctx) => ctx.loaders.activity.load(enrolment.activityId),
};
