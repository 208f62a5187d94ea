import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A period in which one branch held a member's formal relation (组织关系). */
@Entity({ name: 'organization_membership' })
export class OrganizationMembership {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'member_id', type: 'uuid' }) memberId!: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId!: string;
  @Column({ name: 'from_date', type: 'date' }) from!: string;
  @Column({ name: 'to_date', type: 'date', nullable: true }) to!: string | null;
  @Column({ name: 'transfer_id', type: 'uuid', nullable: true }) transferId!: string | null;
}
