import { regionScopeSql, type SqlParams } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';

/**
 * The tier test of each table, as SQL. A BRANCH caller sees the activities its organization
 * organized, its members' attendance and enrolments wherever they took part, the checkpoints of
 * the institutions it covered when they were checked, and its own organization's record; every
 * other tier sees the rows whose region lies in its subtree.
 */
export const scopeSql = {
  activity: (p: SqlParams, alias: string, scope: Scope) =>
    scope.organizationId ? `${alias}.organizer_organization_id = ${p.add(scope.organizationId)}` : regionScopeSql(p, `${alias}.region_code`, scope),

  /**
   * Attendance and enrolment (`alias`) of an activity (`activityAlias`) belong to both: the tier of
   * the activity sees all of it, the member's own tier or branch sees the member's part.
   */
  participation: (p: SqlParams, alias: string, activityAlias: string, scope: Scope) => {
    if (scope.organizationId) {
      const org = p.add(scope.organizationId);
      return `(${activityAlias}.organizer_organization_id = ${org} OR ${alias}.organization_id = ${org})`;
    }
    return `(${regionScopeSql(p, `${activityAlias}.region_code`, scope)} OR ${regionScopeSql(p, `${alias}.region_code`, scope)})`;
  },

  organization: (p: SqlParams, alias: string, scope: Scope) =>
    scope.organizationId ? `${alias}.organization_id = ${p.add(scope.organizationId)}` : regionScopeSql(p, `${alias}.region_code`, scope),

  checkpoint: (p: SqlParams, alias: string, scope: Scope) =>
    scope.organizationId ? `${alias}.organization_id = ${p.add(scope.organizationId)}` : regionScopeSql(p, `${alias}.region_code`, scope),
};
