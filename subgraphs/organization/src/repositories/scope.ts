import { regionScopeSql, type SqlParams } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';

/**
 * The tier test of each table, as SQL. A BRANCH caller sees its own organization and the
 * institutions it covers; every other tier sees the rows whose region lies in its subtree.
 */
export const scopeSql = {
  region: (p: SqlParams, alias: string, scope: Scope) => regionScopeSql(p, `${alias}.code`, scope),

  station: (p: SqlParams, alias: string, scope: Scope) => regionScopeSql(p, `${alias}.region_code`, scope),

  institution: (p: SqlParams, alias: string, scope: Scope) =>
    scope.organizationId
      ? `${alias}.party_organization_id = ${p.add(scope.organizationId)}`
      : regionScopeSql(p, `${alias}.region_code`, scope),

  organization: (p: SqlParams, alias: string, scope: Scope) =>
    scope.organizationId ? `${alias}.id = ${p.add(scope.organizationId)}` : regionScopeSql(p, `${alias}.region_code`, scope),

  assignment: (p: SqlParams, alias: string, scope: Scope) =>
    scope.organizationId
      ? `${alias}.institution_id IN (SELECT id FROM institution WHERE party_organization_id = ${p.add(scope.organizationId)})`
      : regionScopeSql(p, `${alias}.region_code`, scope),
};
