import type { MemberResolvers } from '../generated/graphql';
import { requireYear } from '../services/access';

/**
 * A member outside the caller's tier (an attendee from another county, reached through an
 * activity's attendance) has nothing here: each field answers null, as the member does.
 */
export const Member: MemberResolvers = {
  __resolveReference: async (reference, ctx) => ((await ctx.visible.Member.load(reference.id)) ? { id: reference.id } : null),
  activities: async (member, { year }, ctx) => {
    if (year != null) requireYear(year);
    if (!(await ctx.visible.Member.load(member.id))) return null;
    return ctx.loaders.activitiesOfMember.load(`${member.id}|${year ?? ''}`);
  },
  trainingHours: async (member, { year }, ctx) => {
    requireYear(year);
    return (await ctx.visible.Member.load(member.id)) ? (await ctx.loaders.trainingHours.load(`${member.id}|${year}`)).hours : null;
  },
  serviceHours: async (member, { year }, ctx) => {
    requireYear(year);
    return (await ctx.visible.Member.load(member.id)) ? (await ctx.loaders.serviceHours.load(`${member.id}|${year}`)).hours : null;
  },
};
