import { Column, Entity, PrimaryColumn } from 'typeorm';

export type AttendanceStatus = 'PRESENT' | 'EXCUSED' | 'ABSENT';

/**
 * One member's attendance at an activity. The member's region and formal branch at the time are
 * kept with it, so a member's own tier and branch see the member's attendance wherever it was.
 */
@Entity({ name: 'attendance' })
export class Attendance {
  @PrimaryColumn({ name: 'activity_id', type: 'uuid' }) activityId!: string;
  @PrimaryColumn({ name: 'member_id', type: 'uuid' }) memberId!: string;
  @Column({ type: 'text' }) status!: AttendanceStatus;
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  @Column({ type: 'numeric', nullable: true }) hours!: number | null;
  @Column({ name: 'region_code', type: 'char', length: 6 }) regionCode!: string;
  @Column({ name: 'organization_id', type: 'uuid', nullable: true }) organizationId!: string | null;
}
