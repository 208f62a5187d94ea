import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type TransferStatus = 'PENDING' | 'COMPLETED' | 'RETURNED' | 'CANCELLED' | 'EXPIRED';

/** A transfer of a member's formal relation (组织关系转接). */
@Entity({ name: 'transfer' })
export class Transfer {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'member_id', type: 'uuid' }) memberId!: string;
  @Column({ name: 'from_organization_id', type: 'uuid' }) fromOrganizationId!: string;
  @Column({ name: 'to_organization_id', type: 'uuid' }) toOrganizationId!: string;
  @Column({ name: 'from_region_code', type: 'char', length: 6 }) fromRegionCode!: string;
  @Column({ name: 'to_region_code', type: 'char', length: 6 }) toRegionCode!: string;
  @Column({ name: 'letter_number', type: 'text' }) letterNumber!: string;
  @Column({ type: 'text' }) status!: TransferStatus;
  @Column({ name: 'initiated_on', type: 'date' }) initiatedOn!: string;
  @Column({ name: 'expires_on', type: 'date' }) expiresOn!: string;
  @Column({ name: 'completed_on', type: 'date', nullable: true }) completedOn!: string | null;
  @Column({ type: 'text', nullable: true }) reason!: string | null;
}
