import { badUserInput } from '../../../../shared/src/errors';
import { historyKey, requireYearRange } from '../../../../shared/src/history';
import { cursorCodec, pageSize, toConnection } from '../../../../shared/src/pagination';
import { isRegionCode } from '../../../../shared/src/regions';
import { todayInChina } from '../../../../shared/src/validation';
import { regionInScope } from '../../../../shared/src/viewer';
import { monthIndex, monthOf } from '../facts';
import type { RegionResolvers } from '../generated/graphql';
import { probationSortKey, transferSortKey } from '../repositories/WorkListRepository';

function requireWithinDays(withinDays: number): number {
  if (!Number.isInteger(withinDays) || withinDays < 0 || withinDays > 3660) throw badUserInput('withinDays must be between 0 and 3660.', 'withinDays');
  return withinDays;
}
import { memberSortKey } from '../repositories/MemberRepository';

export const Region: RegionResolvers = {
  // A region outside the caller's tier is no region at all, here as in the organization subgraph.
  __resolveReference: (reference, ctx) => (isRegionCode(reference.code) && regionInScope(ctx.scope, reference.code) ? { code: reference.code } : null),
  memberStats: async (region, { practice }, ctx) => ({
    ...(await ctx.loaders.memberStats.load(`${region.code}|${practice ?? ''}`)),
    regionCode: region.code,
    practice: practice ?? null,
  }),
  memberHistory: (region, { practice, fromYear, toYear }, ctx) => {
    const years = requireYearRange(fromYear, toYear);
    return ctx.loaders.memberHistory.load(historyKey(region.code, practice, years.fromYear, years.toYear));
  },
  unqualifiedMembers: async (region, { year, first, after }, ctx) => {
    const size = pageSize(first, ctx.config.maxPageSize);
    const cursors = cursorCodec('unqualifiedMembers', ['region', 'text', 'uuid'], { region: region.code, year });
    const afterKey = after ? cursors.decode(after) : null;
    const page = await ctx.repos.facts.unqualifiedPage(region.code, year, size, afterKey, ctx.scope);
    return toConnection(page.rows, size, page.totalCount, memberSortKey, afterKey !== null, cursors);
  },
  duesArrears: async (region, { minMonths, first, after }, ctx) => {
    const months = minMonths ?? 3;
    if (!Number.isInteger(months) || months < 1 || months > 1200) throw badUserInput('minMonths must be between 1 and 1200.', 'minMonths');
    const size = pageSize(first, ctx.config.maxPageSize);
    const currentMonth = todayInChina().slice(0, 7);
    // The month binds the cursor too: a page of last month's list does not continue this month's.
    const cursors = cursorCodec('duesArrears', ['date', 'uuid'], { region: region.code, months, currentMonth });
    const afterKey = after ? cursors.decode(after) : null;
    const owedBy = `${monthOf(monthIndex(currentMonth) - months)}-01`;
    const page = await ctx.repos.facts.arrearsPage(region.code, owedBy, size, afterKey, ctx.scope);
    return toConnection(page.rows, size, page.totalCount, (row) => [row.owedFrom, row.id], afterKey !== null, cursors);
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
