import type { ProgramCategoryResolvers } from '../generated/graphql';

export const ProgramCategory: ProgramCategoryResolvers = {
  approved: async (row, _args, ctx) =>
    (await ctx.loaders.approvedOfProgram.load(row.programId)).find((count) => count.category === row.category)?.count ?? 0,
};
