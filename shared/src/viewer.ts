import { isRegionCode, prefixRange, regionLevel, regionPrefix } from './regions';

export type Tier = 'PROVINCE' | 'CITY' | 'COUNTY' | 'BRANCH';
/** Callers' tiers, and SYSTEM for Sanji's own services (never in a caller's token). */
export type ViewerTier = Tier | 'SYSTEM';
export type AccessRole = 'viewer' | 'editor' | 'admin';

export const TIERS: readonly Tier[] = ['PROVINCE', 'CITY', 'COUNTY', 'BRANCH'];
export const ACCESS_ROLES: readonly AccessRole[] = ['viewer', 'editor', 'admin'];

/** The caller, as their verified token names them. */
export interface Viewer {
  /** Who the caller is (the token's `sub`), recorded in the audit trail. */
  subject: string;
  tier: ViewerTier;
  /** The root region of the caller's tier: the province, a city, or a county (also for BRANCH). */
  regionCode: string;
  /** For a BRANCH caller, the Party organization they belong to. */
  organizationId: string | null;
  roles: AccessRole[];
}

/**
 * What a caller may see, in a form every repository pushes into SQL: a region-code range, and for
 * a BRANCH caller also the one Party organization whose records they may see.
 */
export interface Scope {
  /** The region-code prefix of the caller's subtree: `21`, `2103` or `210302`. */
  prefix: string;
  /** The same subtree as a half-open code range, for index range scans. */
  from: string;
  to: string;
  organizationId: string | null;
}

const TIER_LEVEL: Record<Exclude<Tier, 'BRANCH'>, string> = { PROVINCE: 'PROVINCE', CITY: 'CITY', COUNTY: 'COUNTY' };

/** Checks that a viewer's claims are coherent: a CITY viewer's region is a city, and so on. */
export function viewerProblem(viewer: Viewer): string | null {
  if (viewer.tier === 'SYSTEM') return 'SYSTEM is not a caller tier';
  if (!isRegionCode(viewer.regionCode)) return 'region must be a 6-digit GB/T 2260 code';
  if (viewer.tier === 'BRANCH') {
    if (!viewer.organizationId) return 'a BRANCH viewer needs an organization';
    if (regionLevel(viewer.regionCode) !== 'COUNTY') return 'a BRANCH viewer belongs to a county-level region';
  } else if (regionLevel(viewer.regionCode) !== TIER_LEVEL[viewer.tier]) {
    return `a ${viewer.tier} viewer's region must be ${TIER_LEVEL[viewer.tier].toLowerCase()}-level`;
  }
  if (viewer.roles.length === 0) return 'a viewer needs at least one role';
  return null;
}

export function scopeOf(viewer: Viewer): Scope {
  const prefix = viewer.tier === 'SYSTEM' ? '' : regionPrefix(viewer.regionCode);
  return { prefix, ...prefixRange(prefix), organizationId: viewer.tier === 'BRANCH' ? viewer.organizationId : null };
}

/** Every region: for reading back a record a write has just moved out of the caller's tier. */
export const ALL_REGIONS: Scope = { prefix: '', ...prefixRange(''), organizationId: null };

/** Whether a region lies in the caller's subtree. */
export function regionInScope(scope: Scope, code: string): boolean {
  return code.startsWith(scope.prefix);
}

export function canWrite(viewer: Viewer): boolean {
  return viewer.tier !== 'SYSTEM' && (viewer.roles.includes('editor') || viewer.roles.includes('admin'));
}

/**
 * What a service needs of the request it serves, and nothing more: who calls, what they may see,
 * the token that lookups in other subgraphs carry on their behalf, and the request id. A
 * subgraph's context is a Caller, and holds its services without the services knowing it.
 */
export interface Caller {
  viewer: Viewer;
  scope: Scope;
  /** The caller's own bearer token, for lookups in other subgraphs made on the caller's behalf. */
  authorization: string;
  requestId: string;
}
