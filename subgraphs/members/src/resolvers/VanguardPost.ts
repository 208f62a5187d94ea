import type { VanguardPostResolvers } from '../generated/graphql';
import { institutionRef, organizationRef } from './references';

export const VanguardPost: VanguardPostResolvers = {
  member: (post, _args, ctx) => ctx.loaders.member.load(post.memberId),
  institution: (post) => institutionRef(post.institutionId),
  organization: (post) => organizationRef(post.organizationId),
};
