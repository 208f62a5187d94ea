import { regionScopeSql, type SqlParams } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';

/**
 * The tier test of each table, as SQL. A BRANCH caller sees the members whose formal relation is
 * in its organization or who take part in its life (双重管理), and that organization's roles and
 * transfers; every other tier sees the rows whose region lies in its subtree.
 */
export const scopeSql = {
  member: (p: SqlParams, alias: string, scope: Scope) => {
    if (!scope.organizationId) return regionScopeSql(p, `${alias}.region_code`, scope);
    const org = p.add(scope.organizationId);
    return `(${alias}.organization_id = ${org} OR EXISTS (SELECT 1 FROM temporary_participation tp
              WHERE tp.member_id = ${alias}.id AND tp.organization_id = ${org} AND tp.ended_on IS NULL))`;
  },

  role: (p: SqlParams, alias: string, scope: Scope) =>
    scope.organizationId ? `${alias}.organization_id = ${p.add(scope.organizationId)}` : regionScopeSql(p, `${alias}.region_code`, scope),

  /** Both ends of a transfer see it: the sending tier and the receiving tier. */
  transfer: (p: SqlParams, alias: string, scope: Scope) => {
    if (scope.organizationId) {
      const org = p.add(scope.organizationId);
      return `(${alias}.from_organization_id = ${org} OR ${alias}.to_organization_id = ${org})`;
    }
    return `(${regionScopeSql(p, `${alias}.from_region_code`, scope)} OR ${regionScopeSql(p, `${alias}.to_region_code`, scope)})`;
  },
};
