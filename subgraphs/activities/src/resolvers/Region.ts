import { badUserInput } from '../../../../shared/src/errors';
import { cursorCodec, pageSize, toConnection } from '../../../../shared/src/pagination';
import { isRegionCode } from '../../../../shared/src/regions';
import { todayInChina } from '../../../../shared/src/validation';
import { regionInScope } from '../../../../shared/src/viewer';
import type { RegionResolvers } from '../generated/graphql';
import { checkpointSortKey, gapSortKey, visitSortKey } from '../repositories/WorkListRepository';
import { requireYear } from '../services/access';

/** The day a work list is reckoned on: the one asked for, else today in China. */
const dayOf = (asOf: string | null | undefined) => asOf ?? todayInChina();

export const Region: RegionResolvers = {
  // A region outside the caller's tier is no region at all, here as in the organization subgraph.
  __resolveReference: (reference, ctx) => (isRegionCode(reference.code) && regionInScope(ctx.scope, reference.code) ? { code: reference.code } : null),
  // Also when reached through another record (an activity's region): null, never a row of zeros.
  activityStats: (region, { year }, ctx) => {
    requireYear(year);
    return regionInScope(ctx.scope, region.code) ? ctx.loaders.activityStats.load(`${region.code}|${year}`) : null;
  },

  organizationalLifeGaps: async (region, { year, asOf, first, after }, ctx) => {
    requireYear(year);
    const size = pageSize(first, ctx.config.maxPageSize);
    const day = dayOf(asOf);
    const cursors = cursorCodec('organizationalLifeGaps', ['date', 'integer', 'uuid'], { region: region.code, year, asOf: day });
    const afterKey = after ? cursors.decode(after) : null;
    if (!regionInScope(ctx.scope, region.code)) return null;
    const page = await ctx.repos.workLists.organizationalLifeGaps(region.code, year, day, size, afterKey, ctx.scope);
    return toConnection(page.rows, size, page.totalCount, gapSortKey, afterKey !== null, cursors);
  },

  institutionsWithoutVisit: async (region, { sinceMonths, asOf, first, after }, ctx) => {
    if (!Number.isInteger(sinceMonths) || sinceMonths < 1 || sinceMonths > 120) throw badUserInput('sinceMonths must be between 1 and 120.', 'sinceMonths');
    const size = pageSize(first, ctx.config.maxPageSize);
    const day = dayOf(asOf);
    const cursors = cursorCodec('institutionsWithoutVisit', ['date', 'uuid'], { region: region.code, sinceMonths, asOf: day });
    const afterKey = after ? cursors.decode(after) : null;
    if (!regionInScope(ctx.scope, region.code)) return null;
    const page = await ctx.repos.workLists.institutionsWithoutVisit(region.code, sinceMonths, day, size, afterKey, ctx.scope);
    return toConnection(page.rows, size, page.totalCount, visitSortKey, afterKey !== null, cursors);
  },

  missingCheckpoints: async (region, { year, first, after }, ctx) => {
    requireYear(year);
    const size = pageSize(first, ctx.config.maxPageSize);
    const cursors = cursorCodec('missingCheckpoints', ['integer', 'uuid'], { region: region.code, year });
    const afterKey = after ? cursors.decode(after) : null;
    if (!regionInScope(ctx.scope, region.code)) return null;
    const page = await ctx.repos.workLists.missingCheckpoints(region.code, year, size, afterKey, ctx.scope);
    return toConnection(page.rows, size, page.totalCount, checkpointSortKey, afterKey !== null, cursors);
  },
};
