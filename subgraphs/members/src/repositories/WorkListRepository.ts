import type { DataSource } from 'typeorm';
import type { Connection, Edge } from '../../../../shared/src/pagination';
import { regionScopeSql, regionSubtreeSql, SqlParams } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';
import type { Member, Transfer } from '../entities';
import { PROBATION_ENDS_SQL } from '../migrations/1700000135000-WorkLists';
import { MEMBER_COLUMNS } from './MemberRepository';
import { TRANSFER_COLUMNS } from './TransferRepository';

export interface ProbationDue {
  member: Member;
  probationEndsOn: string;
  overdue: boolean;
}

export interface PendingTransfer {
  transfer: Transfer;
  expired: boolean;
}

export type ProbationDueConnection = Connection<ProbationDue>;
export type ProbationDueEdge = Edge<ProbationDue>;
export type PendingTransferConnection = Connection<PendingTransfer>;
export type PendingTransferEdge = Edge<PendingTransfer>;

export const probationSortKey = (row: ProbationDue) => [row.probationEndsOn, row.member.id];
export const transferSortKey = (row: PendingTransfer) => [row.transfer.expiresOn, row.transfer.id];

/**
 * The stations' work lists read in this subgraph. Each is one statement: the rows that can be on
 * the list, read by a partial index on (region, due day) so only probationary members and open
 * letters are touched, counted, and the page after the cursor in due order.
 */
export class WorkListRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Probationary members of the region whose probation ends by `asOf + withinDays`, those ended
   * longest ago first. A BRANCH caller gets its own members (their formal relation), whose
   * admission to full membership is its decision.
   */
  async probationsDue(regionCode: string, withinDays: number, asOf: string, size: number, after: string[] | null, scope: Scope): Promise<{ rows: ProbationDue[]; totalCount: number }> {
    const p = new SqlParams();
    const day = `${p.add(asOf)}::date`;
    const tier = scope.organizationId ? `m.organization_id = ${p.add(scope.organizationId)}` : regionScopeSql(p, 'm.region_code', scope);
    const where = `m.party_status = 'PROBATIONARY' AND ${regionSubtreeSql(p, 'm.region_code', regionCode)} AND ${tier}
                   AND ${PROBATION_ENDS_SQL} <= ${day} + ${p.add(withinDays)}::int`;
    const [{ count }]: { count: number }[] = await this.db.query(`SELECT count(*)::int AS count FROM member m WHERE ${where}`, [...p.values]);
    const afterSql = after ? `AND (${PROBATION_ENDS_SQL}, m.id) > (${p.add(after[0])}::date, ${p.add(after[1])}::uuid)` : '';
    const rows: (Member & { probationEndsOn: string; overdue: boolean })[] = await this.db.query(
      `SELECT ${MEMBER_COLUMNS}, ${PROBATION_ENDS_SQL}::text AS "probationEndsOn", ${PROBATION_ENDS_SQL} < ${day} AS overdue
         FROM member m WHERE ${where} ${afterSql}
        ORDER BY ${PROBATION_ENDS_SQL}, m.id LIMIT ${p.add(size + 1)}`,
      p.values,
    );
    return { rows: rows.map(({ probationEndsOn, overdue, ...member }) => ({ member, probationEndsOn, overdue })), totalCount: count };
  }

  /**
   * Transfer letters not yet received, returned or cancelled, sent from or to the region, that
   * expire by `asOf + withinDays`; expired longest ago first. A BRANCH caller gets the letters its
   * organization sent or is to receive.
   */
  async pendingTransfers(regionCode: string, withinDays: number, asOf: string, size: number, after: string[] | null, scope: Scope): Promise<{ rows: PendingTransfer[]; totalCount: number }> {
    const p = new SqlParams();
    const day = `${p.add(asOf)}::date`;
    const inRegion = `(${regionSubtreeSql(p, 't.from_region_code', regionCode)} OR ${regionSubtreeSql(p, 't.to_region_code', regionCode)})`;
    const tier = scope.organizationId
      ? `(t.from_organization_id = ${p.add(scope.organizationId)} OR t.to_organization_id = ${p.add(scope.organizationId)})`
      : `(${regionScopeSql(p, 't.from_region_code', scope)} OR ${regionScopeSql(p, 't.to_region_code', scope)})`;
    const where = `t.status = 'PENDING' AND ${inRegion} AND ${tier} AND t.expires_on <= ${day} + ${p.add(withinDays)}::int`;
    const [{ count }]: { count: number }[] = await this.db.query(`SELECT count(*)::int AS count FROM transfer t WHERE ${where}`, [...p.values]);
    const afterSql = after ? `AND (t.expires_on, t.id) > (${p.add(after[0])}::date, ${p.add(after[1])}::uuid)` : '';
    const rows: (Transfer & { expired: boolean })[] = await this.db.query(
      `SELECT ${TRANSFER_COLUMNS}, t.expires_on < ${day} AS expired
         FROM transfer t WHERE ${where} ${afterSql}
        ORDER BY t.expires_on, t.id LIMIT ${p.add(size + 1)}`,
      p.values,
    );
    return { rows: rows.map(({ expired, ...transfer }) => ({ transfer, expired })), totalCount: count };
  }
}
