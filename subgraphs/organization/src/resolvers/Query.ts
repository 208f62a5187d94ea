import { badUserInput, forbidden } from '../../../../shared/src/errors';
import { MAX_IMPORT_ROWS } from '../../../../shared/src/import';
import { isRegionCode } from '../../../../shared/src/regions';
import { isUuid } from '../../../../shared/src/sql';
import type { QueryResolvers } from '../generated/graphql';
import { decodeChangeCursor, encodeChangeCursor } from '../repositories/changes';
import { coverageSectorsAsked } from './coverage-sectors';
import { institutionConnection, rootRegionOf } from './connections';

export const Query: QueryResolvers = {
  // One trail object per request; each subgraph adds its own part of it.
  auditTrail: () => ({ id: 'audit-trail' }),

  viewer: (_parent, _args, ctx) => ctx.viewer,

  region: (_parent, { code }, ctx, info) => (isRegionCode(code) ? ctx.loaders.regionWithChildren(code, coverageSectorsAsked(info)) : null),

  regions: (_parent, { level, parentCode }, ctx) => {
    if (parentCode && !isRegionCode(parentCode)) return [];
    return ctx.repos.regions.list(ctx.scope, level ?? null, parentCode ?? null);
  },

  institution: (_parent, { id }, ctx) => (isUuid(id) ? ctx.loaders.institution.load(id) : null),

  institutions: (_parent, { filter, first, after }, ctx) => {
    const { regionCode, ...rest } = filter ?? {};
    return institutionConnection(ctx, regionCode ?? rootRegionOf(ctx), rest, first, after);
  },

  partyOrganization: (_parent, { id }, ctx) => (isUuid(id) ? ctx.loaders.organization.load(id) : null),

  guidanceStation: (_parent, { id }, ctx) => (isUuid(id) ? ctx.loaders.station.load(id) : null),

  institutionsByLicenseNumber: async (_parent, { licenseNumbers }, ctx) => {
    if (licenseNumbers.length > MAX_IMPORT_ROWS) throw badUserInput(`at most ${MAX_IMPORT_ROWS} licence numbers are looked up at once.`, 'licenseNumbers');
    const found = new Map((await ctx.repos.institutions.findByLicenseNumbers(licenseNumbers, ctx.scope)).map((i) => [i.licenseNumber, i]));
    return licenseNumbers.map((licence) => found.get(licence) ?? null);
  },

  partyOrganizationChanges: async (_parent, { after, first }, ctx) => {
    // Every organization in the country, whatever a caller's tier: only a service reads it for itself.
    if (ctx.viewer.tier !== 'SYSTEM') throw forbidden('only a Sanji service reads the changes of Party organizations.');
    const size = first ?? 500;
    if (!Number.isInteger(size) || size < 1 || size > 1000) throw badUserInput('first must be between 1 and 1000.', 'first');
    const cursor = decodeChangeCursor(after ?? null);
    if (!cursor) throw badUserInput('after is not a cursor this field gave.', 'after');
    const { descriptions, next, hasMore } = await ctx.repos.organizations.changesAfter(cursor, size);
    return { descriptions, cursor: encodeChangeCursor(next), hasMore };
  },

  institutionChanges: async (_parent, { after, first }, ctx) => {
    // Every institution in the country, whatever a caller's tier: only a service reads it for itself.
    if (ctx.viewer.tier !== 'SYSTEM') throw forbidden('only a Sanji service reads the changes of institutions.');
    const size = first ?? 500;
    if (!Number.isInteger(size) || size < 1 || size > 1000) throw badUserInput('first must be between 1 and 1000.', 'first');
    const cursor = decodeChangeCursor(after ?? null);
    if (!cursor) throw badUserInput('after is not a cursor this field gave.', 'after');
    const { descriptions, next, hasMore } = await ctx.repos.institutions.changesAfter(cursor, size);
    return { descriptions, cursor: encodeChangeCursor(next), hasMore };
  },
};
