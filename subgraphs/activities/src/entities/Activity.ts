import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ActivityKind =
  | 'BRANCH_GENERAL_MEETING'
  | 'BRANCH_COMMITTEE_MEETING'
  | 'PARTY_GROUP_MEETING'
  | 'PARTY_LECTURE'
  | 'THEME_PARTY_DAY'
  | 'ORGANIZATIONAL_LIFE_MEETING'
  | 'DEMOCRATIC_APPRAISAL'
  | 'KNOWLEDGE_TEST'
  | 'TRAINING_CLASS'
  | 'VOLUNTEER_SERVICE'
  | 'LEGAL_EDUCATION'
  | 'GUIDANCE_VISIT';

export type ActivityStatus = 'HELD' | 'CANCELLED';

/** An activity of a Party organization or a guidance station, organizational life included. */
@Entity({ name: 'activity' })
export class Activity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) kind!: ActivityKind;
  @Column({ type: 'text' }) title!: string;
  @Column({ name: 'held_on', type: 'date' }) date!: string;
  @Column({ name: 'ends_on', type: 'date', nullable: true }) endDate!: string | null;
  @Column({ name: 'duration_hours', type: 'numeric', nullable: true }) durationHours!: number | null;
  @Column({ name: 'class_hours', type: 'numeric', nullable: true }) classHours!: number | null;
  @Column({ type: 'text', nullable: true }) location!: string | null;
  @Column({ name: 'organizer_organization_id', type: 'uuid', nullable: true }) organizationId!: string | null;
  @Column({ name: 'organizer_station_id', type: 'uuid', nullable: true }) stationId!: string | null;
  /** A county-level region, so every count of a province is the sum of its counties'. */
  @Column({ name: 'region_code', type: 'char', length: 6 }) regionCode!: string;
  @Column({ name: 'institution_id', type: 'uuid', nullable: true }) institutionId!: string | null;
  @Column({ name: 'officer_member_id', type: 'uuid', nullable: true }) officerId!: string | null;
  @Column({ type: 'text', nullable: true }) minutes!: string | null;
  /** The headcount of a record kept without itemized attendance; null when attendance is itemized. */
  @Column({ type: 'int', nullable: true }) headcount!: number | null;
  @Column({ type: 'text' }) status!: ActivityStatus;
  @Column({ name: 'cancelled_on', type: 'date', nullable: true }) cancelledOn!: string | null;
  @Column({ name: 'cancellation_reason', type: 'text', nullable: true }) cancellationReason!: string | null;
}
