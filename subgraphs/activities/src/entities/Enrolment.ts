import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One member's enrolment in a training class, and its completion with the class hours credited. */
@Entity({ name: 'enrolment' })
export class Enrolment {
  @PrimaryColumn({ name: 'activity_id', type: 'uuid' }) activityId!: string;
  @PrimaryColumn({ name: 'member_id', type: 'uuid' }) memberId!: string;
  @Column({ name: 'enrolled_on', type: 'date' }) enrolledOn!: string;
  @Column({ name: 'completed_on', type: 'date', nullable: true }) completedOn!: string | null;
  @Column({ type: 'numeric', nullable: true }) hours!: number | null;
  /** The member's region and formal branch at enrolment, like attendance. */
  @Column({ name: 'region_code', type: 'char', length: 6 }) regionCode!: string;
  @Column({ name: 'organization_id', type: 'uuid', nullable: true }) organizationId!: string | null;
}
