import type { DataSource, EntityManager } from 'typeorm';
import { SqlParams, unseenArray } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';
import type { OrganizationMembership, Transfer } from '../entities';
import { scopeSql } from './scope';

export const TRANSFER_COLUMNS = `t.id, t.member_id AS "memberId", t.from_organization_id AS "fromOrganizationId", t.to_organization_id AS "toOrganizationId",
  t.from_region_code AS "fromRegionCode", t.to_region_code AS "toRegionCode", t.letter_number AS "letterNumber", t.status,
  t.initiated_on AS "initiatedOn", t.expires_on AS "expiresOn", t.completed_on AS "completedOn", t.reason`;

export class TransferRepository {
  constructor(private readonly db: DataSource) {}

  async findByIds(ids: readonly string[], scope: Scope, manager: EntityManager = this.db.manager): Promise<Transfer[]> {
    const p = new SqlParams();
    return manager.query(`SELECT ${TRANSFER_COLUMNS} FROM transfer t WHERE t.id = ANY(${unseenArray(p, ids, 'uuid[]')}) AND ${scopeSql.transfer(p, 't', scope)}`, p.values);
  }

  async findByMembers(memberIds: readonly string[], scope: Scope): Promise<Transfer[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT ${TRANSFER_COLUMNS} FROM transfer t WHERE t.member_id = ANY(${unseenArray(p, memberIds, 'uuid[]')}) AND ${scopeSql.transfer(p, 't', scope)}
        ORDER BY t.initiated_on DESC, t.id`,
      p.values,
    );
  }

  /** Transfers waiting for each organization to receive them. */
  async findPendingTo(organizationIds: readonly string[], scope: Scope): Promise<Transfer[]> {
    const p = new SqlParams();
    return this.db.query(
      `SELECT ${TRANSFER_COLUMNS} FROM transfer t
        WHERE t.to_organization_id = ANY(${unseenArray(p, organizationIds, 'uuid[]')}) AND t.status = 'PENDING' AND ${scopeSql.transfer(p, 't', scope)}
        ORDER BY t.initiated_on, t.id`,
      p.values,
    );
  }

  async findMemberships(memberIds: readonly string[]): Promise<OrganizationMembership[]> {
    return this.db.query(
      `SELECT id, member_id AS "memberId", organization_id AS "organizationId", from_date AS "from", to_date AS "to", transfer_id AS "transferId"
         FROM organization_membership WHERE member_id = ANY($1::uuid[]) ORDER BY from_date, id`,
      [memberIds],
    );
  }
}
