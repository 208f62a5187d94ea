import type { PledgeResolvers } from '../generated/graphql';
import { institutionRef, organizationRef } from './references';

export const Pledge: PledgeResolvers = {
  member: (pledge, _args, ctx) => ctx.loaders.member.load(pledge.memberId),
  institution: (pledge) => institutionRef(pledge.institutionId),
  organization: (pledge) => organizationRef(pledge.organizationId),
};
