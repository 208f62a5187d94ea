import type { ActivityStatsResolvers } from '../generated/graphql';
import { ACTIVITY_KINDS } from '../rules';

export const ActivityStats: ActivityStatsResolvers = {
  byKind: (stats) => ACTIVITY_KINDS.map((kind, i) => ({ kind, count: stats.kindCounts[i] })),
};
