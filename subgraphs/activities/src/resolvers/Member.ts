import type { MemberResolvers } from '../generated/graphql';
import { requireYear } from '../services/access';

export const Member: MemberResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  activities: (member, { year }, ctx) => {
    if (year != null) requireYear(year);
    return ctx.loaders.activitiesOfMember.load(`${member.id}|${year ?? ''}`);
  },
  trainingHours: (member, { year }, ctx) => ctx.loaders.trainingHours.load(`${member.id}|${requireYear(year)}`),
  serviceHours: (member, { year }, ctx) => ctx.loaders.serviceHours.load(`${member.id}|${requireYear(year)}`),
};
