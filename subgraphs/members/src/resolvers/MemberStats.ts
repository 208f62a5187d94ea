import type { MembersContext } from '../context';
import type { MemberStatsResolvers } from '../generated/graphql';
import type { MemberStatsView } from '../repositories/MemberFactsRepository';

const counts = (stats: MemberStatsView, year: number, ctx: MembersContext) =>
  ctx.loaders.factStats.load(`${stats.regionCode}|${stats.practice ?? ''}|${year}`);

export const MemberStats: MemberStatsResolvers = {
  appraisals: async (stats, { year }, ctx) => {
    const facts = await counts(stats, year, ctx);
    return {
      excellent: facts.EXCELLENT ?? 0,
      qualified: facts.QUALIFIED ?? 0,
      basicallyQualified: facts.BASICALLY_QUALIFIED ?? 0,
      unqualified: facts.UNQUALIFIED ?? 0,
    };
  },
  vanguardPosts: async (stats, _args, ctx) => (await counts(stats, 0, ctx)).VANGUARD_POST ?? 0,
  responsibilityZones: async (stats, _args, ctx) => (await counts(stats, 0, ctx)).RESPONSIBILITY_ZONE ?? 0,
  pledges: async (stats, { year }, ctx) => (await counts(stats, year, ctx)).PLEDGE ?? 0,
};
