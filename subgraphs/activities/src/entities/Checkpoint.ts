import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type CheckpointStage = 'APPROVAL' | 'ANNUAL_INSPECTION' | 'ANNUAL_ASSESSMENT';
export type CheckpointResult = 'PASSED' | 'RECTIFICATION_REQUIRED' | 'FAILED';

/** A checkpoint of the three synchronizations (三个同步) of an institution. */
@Entity({ name: 'checkpoint' })
export class Checkpoint {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'institution_id', type: 'uuid' }) institutionId!: string;
  @Column({ name: 'region_code', type: 'char', length: 6 }) regionCode!: string;
  /** The Party organization covering the institution when it was checked, for the BRANCH tier. */
  @Column({ name: 'organization_id', type: 'uuid', nullable: true }) organizationId!: string | null;
  /** Generated from `checked_on` by the database. */
  @Column({ type: 'smallint', insert: false, update: false }) year!: number;
  @Column({ type: 'text' }) stage!: CheckpointStage;
  @Column({ name: 'checked_on', type: 'date' }) checkedOn!: string;
  @Column({ type: 'text' }) result!: CheckpointResult;
  @Column({ name: 'commitment_letter_received', type: 'boolean', nullable: true }) commitmentLetterReceived!: boolean | null;
  @Column({ type: 'text', nullable: true }) notes!: string | null;
}
