import type { AppraisalResolvers } from '../generated/graphql';
import { organizationRef } from './references';

export const Appraisal: AppraisalResolvers = {
  member: (appraisal, _args, ctx) => ctx.loaders.member.load(appraisal.memberId),
  organization: (appraisal) => organizationRef(appraisal.organizationId),
  activity: (appraisal) => ({ __typename: 'Activity', id: appraisal.activityId }),
};
