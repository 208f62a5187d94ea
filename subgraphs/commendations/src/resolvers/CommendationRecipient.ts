import type { CommendationRecipientResolvers } from '../generated/graphql';

export const CommendationRecipient: CommendationRecipientResolvers = {
  // Recipients are references made by `recipientRef`, which always names their type.
  __resolveType: (recipient) => recipient.__typename ?? null,
};
