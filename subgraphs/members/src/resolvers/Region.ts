import { badUserInput } from '../../../../shared/src/errors';
import { historyKey, requireYearRange } from '../../../../shared/src/history';
import { cursorCodec, pageSize, toConnection } from '../../../../shared/src/pagination';
import { isRegionCode } from '../../../../shared/src/regions';
import { todayInChina } from '../../../../shared/src/validation';
import { regionInScope } from '../../../../shared/src/viewer';
import type { RegionResolvers } from '../generated/graphql';
import { probationSortKey, transferSortKey } from '../repositories/WorkListRepository';

function requireWithinDays(withinDays: number): number {
  if (!Number.isInteger(withinDays) || withinDays < 0 || withinDays > 3660) throw badUserInput('withinDays must be between 0 and 3660.', 'withinDays');
  return withinDays;
}

export const Region: RegionResolvers = {
  // A region outside the caller's tier is no region at all, here as in the organization subgraph.
  __resolveReference: (reference, ctx) => (isRegionCode(reference.code) && regionInScope(ctx.scope, reference.code) ? { code: reference.code } : null),
  memberStats: (region, { practice }, ctx) => ctx.loaders.memberStats.load(`${region.code}|${practice ?? ''}`),
  memberHistory: (region, { practice, fromYear, toYear }, ctx) => {
    const years = requireYearRange(fromYear, toYear);
    return ctx.loaders.memberHistory.load(historyKey(region.code, practice, years.fromYear, years.toYear));
  },
  standaloneQuorumInstitutionIds: async (region, _args, ctx) =>
    (await ctx.loaders.quorumInstitutionIds.load(region.code)).map((row) => row.institutionId),

  probationsDue: async (region, { withinDays, asOf, first, after }, ctx) => {
    requireWithinDays(withinDays);
    const size = pageSize(first, ctx.config.maxPageSize);
    const day = asOf ?? todayInChina();
    const cursors = cursorCodec('probationsDue', ['date', 'uuid'], { region: region.code, withinDays, asOf: day });
    const afterKey = after ? cursors.decode(after) : null;
    if (!regionInScope(ctx.scope, region.code)) return null;
    const page = await ctx.repos.workLists.probationsDue(region.code, withinDays, day, size, afterKey, ctx.scope);
    return toConnection(page.rows, size, page.totalCount, probationSortKey, afterKey !== null, cursors);
  },

  pendingTransfers: async (region, { withinDays, asOf, first, after }, ctx) => {
    requireWithinDays(withinDays);
    const size = pageSize(first, ctx.config.maxPageSize);
    const day = asOf ?? todayInChina();
    const cursors = cursorCodec('pendingTransfers', ['date', 'uuid'], { region: region.code, withinDays, asOf: day });
    const afterKey = after ? cursors.decode(after) : null;
    if (!regionInScope(ctx.scope, region.code)) return null;
    const page = await ctx.repos.workLists.pendingTransfers(region.code, withinDays, day, size, afterKey, ctx.scope);
    return toConnection(page.rows, size, page.totalCount, transferSortKey, afterKey !== null, cursors);
  },
};
