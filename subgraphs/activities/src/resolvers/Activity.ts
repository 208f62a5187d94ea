import { entity } from '../../../../shared/src/references';
import type { ActivityResolvers } from '../generated/graphql';
import { institutionRef, memberRef, organizationRef, regionRef, stationRef } from './references';

export const Activity: ActivityResolvers = {
  __resolveReference: (reference, ctx) => entity(ctx.loaders.activity.load(reference.id)),
  organization: (activity) => organizationRef(activity.organizationId),
  station: (activity) => stationRef(activity.stationId),
  region: (activity) => regionRef(activity.regionCode),
  institution: (activity) => institutionRef(activity.institutionId),
  officer: (activity) => memberRef(activity.officerId),
  attendanceCount: async (activity, _args, ctx) => (await ctx.loaders.attendanceCount.load(activity.id))?.count ?? 0,
  attendanceItemized: (activity) => activity.headcount === null,
  attendance: (activity, _args, ctx) => ctx.loaders.attendance.load(activity.id),
  enrolments: (activity, _args, ctx) => ctx.loaders.enrolments.load(activity.id),
};
