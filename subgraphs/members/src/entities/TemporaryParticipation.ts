import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A member taking part in another branch's organizational life without a vote (双重管理). */
@Entity({ name: 'temporary_participation' })
export class TemporaryParticipation {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'member_id', type: 'uuid' }) memberId!: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId!: string;
  @Column({ name: 'started_on', type: 'date' }) startedOn!: string;
  @Column({ name: 'ended_on', type: 'date', nullable: true }) endedOn!: string | null;
}
