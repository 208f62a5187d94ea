import type { DataSource, EntityManager } from 'typeorm';
import { writeAudit } from '../../../../shared/src/audit';
import type { Config } from '../../../../shared/src/config';
import { badUserInput, conflict, forbidden, notFound } from '../../../../shared/src/errors';
import { isUuid } from '../../../../shared/src/sql';
import { inTransaction } from '../../../../shared/src/transaction';
import { requireName, requirePastDate, todayInChina } from '../../../../shared/src/validation';
import { ALL_REGIONS, regionInScope, type Caller } from '../../../../shared/src/viewer';
import type { OrganizationDirectory } from '../directory';
import type { Transfer } from '../entities';
import type { Repositories } from '../repositories';
import { addMonths } from '../rules';
import { requireEditor, usableBranch, type MemberService } from './MemberService';

export interface InitiateTransfer {
  memberId: string;
  toOrganizationId: string;
  letterNumber: string;
  initiatedOn: string;
}

const RECEIVING_KINDS = ['STANDALONE_BRANCH', 'JOINT_BRANCH', 'GENERAL_BRANCH'];

/**
 * Transfers of the formal relation (组织关系转接). The sending side initiates and may cancel; the
 * receiving side, which may be in any tier, confirms or returns. The member's formal branch
 * changes only on receipt, together with its history, in one transaction.
 */
export class TransferService {
  constructor(
    private readonly db: DataSource,
    private readonly repos: Repositories,
    private readonly directory: OrganizationDirectory,
    private readonly config: Config,
    private readonly records: MemberService,
  ) {}

  async initiate(caller: Caller, input: InitiateTransfer): Promise<Transfer> {
    requireEditor(caller);
    const initiatedOn = requirePastDate(input.initiatedOn, 'initiatedOn');
    const letterNumber = requireName(input.letterNumber, 'letterNumber', 50);
    const expiresOn = addMonths(initiatedOn, this.config.transferValidityMonths);
    if (expiresOn < todayInChina()) throw badUserInput(`a letter of ${initiatedOn} expired on ${expiresOn}.`, 'initiatedOn');
    // The sending side is the tier that owns the member record; the member is checked first, so a
    // caller who may not send the member learns nothing about the receiving branch.
    const owned = await this.records.ownedMember(caller, input.memberId, 'memberId');
    // The receiving branch may be anywhere in the country: outside the tier it only can or cannot receive.
    const to = await usableBranch(caller, this.directory, input.toOrganizationId, 'toOrganizationId', RECEIVING_KINDS, 'a transfer goes to a branch that holds members’ relations.');

    return inTransaction(this.db, async (m) => {
      const member = await this.records.lockOwned(caller, m, owned);
      if (!member.organizationId || (member.partyStatus !== 'PROBATIONARY' && member.partyStatus !== 'FULL')) {
        throw badUserInput('only a Party member whose relation is held by a branch of the sector can be transferred.', 'memberId');
      }
      if (member.organizationId === to.id) throw badUserInput('the member’s relation is already in that branch.', 'toOrganizationId');
      const from = await this.directory.organization(member.organizationId, 'memberId', 'anyTier');
      // A letter past its date no longer blocks a new transfer.
      await m.query(`UPDATE transfer SET status = 'EXPIRED' WHERE member_id = $1 AND status = 'PENDING' AND expires_on < $2`, [member.id, todayInChina()]);
      const open = await m.query(`SELECT id FROM transfer WHERE member_id = $1 AND status = 'PENDING'`, [member.id]);
      if (open.length > 0) throw conflict(`the member already has an open transfer (${open[0].id}): cancel it or wait for the answer.`);
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO transfer (member_id, from_organization_id, to_organization_id, from_region_code, to_region_code, letter_number, status, initiated_on, expires_on)
         VALUES ($1, $2, $3, $4, $5, $6, 'PENDING', $7, $8) RETURNING id`,
        [member.id, from.id, to.id, from.region?.code ?? member.regionCode, to.region?.code, letterNumber, initiatedOn, expiresOn],
      );
      const created = await this.reload(m, id);
      await writeAudit(m, caller, { action: 'initiateTransfer', entity: 'Transfer', entityId: id, regionCode: created.fromRegionCode, after: created });
      return created;
    });
  }

  async confirm(caller: Caller, id: string, receivedOn: string): Promise<Transfer> {
    requireEditor(caller);
    requirePastDate(receivedOn, 'receivedOn');
    return inTransaction(this.db, async (m) => {
      const transfer = await this.lockPending(caller, m, id, 'receiving');
      if (receivedOn < transfer.initiatedOn) throw badUserInput('receivedOn cannot precede the letter.', 'receivedOn');
      if (receivedOn > transfer.expiresOn) throw conflict(`the letter expired on ${transfer.expiresOn}: the sending side issues a new one.`);

      const closed = await m.query(
        `UPDATE organization_membership SET to_date = $2, transfer_id = $3 WHERE member_id = $1 AND to_date IS NULL RETURNING id`,
        [transfer.memberId, receivedOn, transfer.id],
      );
      if (closed.length === 0) {
        // Records kept before the history existed: the sending branch's period is recorded now.
        await m.query(
          `INSERT INTO organization_membership (member_id, organization_id, from_date, to_date, transfer_id)
           SELECT id, $2, least(coalesce(joined_on, $3), $3), $3, $4 FROM member WHERE id = $1`,
          [transfer.memberId, transfer.fromOrganizationId, receivedOn, transfer.id],
        );
      }
      await m.query(`INSERT INTO organization_membership (member_id, organization_id, from_date) VALUES ($1, $2, $3)`, [
        transfer.memberId, transfer.toOrganizationId, receivedOn,
      ]);
      // Roles in the sending branch end with the relation.
      await m.query(`UPDATE role_assignment SET ended_on = $3 WHERE member_id = $1 AND organization_id = $2 AND ended_on IS NULL`, [
        transfer.memberId, transfer.fromOrganizationId, receivedOn,
      ]);
      // The member is now managed where their relation is (组织关系所在地).
      await m.query(`UPDATE member SET organization_id = $2, region_code = $3 WHERE id = $1`, [transfer.memberId, transfer.toOrganizationId, transfer.toRegionCode]);
      await m.query(`UPDATE transfer SET status = 'COMPLETED', completed_on = $2 WHERE id = $1`, [transfer.id, receivedOn]);
      const after = await this.reload(m, id);
      await writeAudit(m, caller, { action: 'confirmTransfer', entity: 'Transfer', entityId: id, regionCode: transfer.toRegionCode, before: transfer, after });
      return after;
    });
  }

  async return(caller: Caller, id: string, reason: string): Promise<Transfer> {
    return this.close(caller, id, reason, 'receiving', 'RETURNED', 'returnTransfer');
  }

  async cancel(caller: Caller, id: string, reason: string): Promise<Transfer> {
    return this.close(caller, id, reason, 'sending', 'CANCELLED', 'cancelTransfer');
  }

  private async close(
    caller: Caller,
    id: string,
    reason: string,
    side: 'sending' | 'receiving',
    status: 'RETURNED' | 'CANCELLED',
    action: string,
  ): Promise<Transfer> {
    requireEditor(caller);
    const why = requireName(reason, 'reason', 500);
    return inTransaction(this.db, async (m) => {
      const transfer = await this.lockPending(caller, m, id, side);
      await m.query(`UPDATE transfer SET status = $2, completed_on = $3, reason = $4 WHERE id = $1`, [id, status, todayInChina(), why]);
      const after = await this.reload(m, id);
      const regionCode = side === 'sending' ? transfer.fromRegionCode : transfer.toRegionCode;
      await writeAudit(m, caller, { action, entity: 'Transfer', entityId: id, regionCode, before: transfer, after });
      return after;
    });
  }

  /** Locks an open transfer the caller may act on, as the sending or the receiving side. */
  private async lockPending(caller: Caller, m: EntityManager, id: string, side: 'sending' | 'receiving'): Promise<Transfer> {
    let transfer: Transfer | undefined;
    if (isUuid(id)) {
      await m.query(`SELECT 1 FROM transfer WHERE id = $1 FOR UPDATE`, [id]);
      [transfer] = await this.repos.transfers.findByIds([id], caller.scope, m);
    }
    if (!transfer) throw notFound('Transfer', id);
    const [organizationId, regionCode] =
      side === 'sending' ? [transfer.fromOrganizationId, transfer.fromRegionCode] : [transfer.toOrganizationId, transfer.toRegionCode];
    const onThisSide = caller.scope.organizationId ? caller.scope.organizationId === organizationId : regionInScope(caller.scope, regionCode);
    if (!onThisSide) throw forbidden(side === 'sending' ? 'only the sending side cancels a transfer.' : 'only the receiving side answers a transfer.');
    if (transfer.status !== 'PENDING') throw conflict(`the transfer is ${transfer.status.toLowerCase()}.`);
    return transfer;
  }

  private async reload(m: EntityManager, id: string): Promise<Transfer> {
    const [transfer] = await this.repos.transfers.findByIds([id], ALL_REGIONS, m);
    return transfer;
  }
}
