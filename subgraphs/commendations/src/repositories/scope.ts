import { regionScopeSql, type SqlParams } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';

/** The prefixes of the regions that hold a tier's own: `2103` is held by `2103`, `21` and the country (''). */
export function enclosingPrefixes(prefix: string): string[] {
  const prefixes = [''];
  for (const length of [2, 4, 6]) if (prefix.length >= length) prefixes.push(prefix.slice(0, length));
  return prefixes;
}

/**
 * The tier test of each table, as SQL. A BRANCH caller sees the commendations of its own
 * organization, of its members and of the institutions it covers; every other tier sees the rows
 * whose region lies in its subtree.
 */
export const scopeSql = {
  commendation: (p: SqlParams, alias: string, scope: Scope) =>
    scope.organizationId ? `${alias}.organization_id = ${p.add(scope.organizationId)}` : regionScopeSql(p, `${alias}.region_code`, scope),

  /**
   * A program concerns a tier when its region holds the tier's (a county takes part in the
   * provincial cycle) or lies inside it (the province oversees its cities' programs).
   */
  program: (p: SqlParams, alias: string, scope: Scope) => {
    const holding = `${alias}.region_prefix = ANY(${p.add(enclosingPrefixes(scope.prefix))}::text[])`;
    // A branch's region is its county, whose own programs already hold it.
    return scope.organizationId ? holding : `(${holding} OR ${regionScopeSql(p, `${alias}.region_code`, scope)})`;
  },
};
