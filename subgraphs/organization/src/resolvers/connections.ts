import { isRegionCode } from '../../../../shared/src/regions';
import { cursorCodec, pageSize, toConnection, type Connection } from '../../../../shared/src/pagination';
import type { OrganizationContext } from '../context';
import type { InstitutionRecord } from '../entities';
import { institutionPageKey } from '../loaders';
import { institutionSortKey, type InstitutionFilter } from '../repositories/InstitutionRepository';

/** A page of the institutions under one region, batched with the other regions asking the same page. */
export async function institutionConnection(
  ctx: OrganizationContext,
  regionCode: string | null,
  filter: InstitutionFilter,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<Connection<InstitutionRecord>> {
  const size = pageSize(first, ctx.config.maxPageSize);
  const cursors = cursorCodec('institutions', ['region', 'text', 'uuid'], { regionCode, filter });
  const afterKey = after ? cursors.decode(after) : null;
  if (regionCode === null || !isRegionCode(regionCode)) return toConnection([], size, 0, institutionSortKey, afterKey !== null, cursors);
  const page = await ctx.loaders.institutionPage.load(institutionPageKey(regionCode, { filter, size, after: afterKey }));
  return toConnection(page.rows, size, page.totalCount, institutionSortKey, afterKey !== null, cursors);
}

/**
 * Where a caller's institution listing starts. A BRANCH caller's institutions are those its
 * organization covers, wherever they are registered, so its listing spans the province.
 */
export function rootRegionOf(ctx: OrganizationContext): string {
  return ctx.viewer.tier === 'BRANCH' ? `${ctx.viewer.regionCode.slice(0, 2)}0000` : ctx.viewer.regionCode;
}
