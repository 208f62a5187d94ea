import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CommendationCategory, CommendationLevel } from './CommendationProgram';

export type CommendationStatus = 'NOMINATED' | 'APPROVED' | 'REJECTED' | 'REVOKED';
export type RecipientKind = 'MEMBER' | 'PARTY_ORGANIZATION' | 'INSTITUTION';
export type RepresentativeBody = 'PARTY_CONGRESS' | 'PEOPLES_CONGRESS' | 'POLITICAL_CONSULTATIVE_CONFERENCE';

/** A nomination for a commendation (表彰) and, once approved, the award. */
@Entity({ name: 'commendation' })
export class Commendation {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'program_id', type: 'uuid' }) programId!: string;
  @Column({ type: 'text' }) category!: CommendationCategory;
  /** The program's level and year, copied so that statistics need no join. */
  @Column({ type: 'text' }) level!: CommendationLevel;
  @Column({ type: 'int' }) year!: number;
  @Column({ type: 'text' }) status!: CommendationStatus;
  @Column({ name: 'recipient_kind', type: 'text' }) recipientKind!: RecipientKind;
  @Column({ name: 'recipient_id', type: 'uuid' }) recipientId!: string;
  /** The recipient's region when nominated. */
  @Column({ name: 'region_code', type: 'char', length: 6 }) regionCode!: string;
  /** The Party organization a BRANCH caller must be to see the row: the recipient's own, formal or covering one. */
  @Column({ name: 'organization_id', type: 'uuid', nullable: true }) organizationId!: string | null;
  @Column({ type: 'text' }) citation!: string;
  @Column({ name: 'representative_body', type: 'text', nullable: true }) representativeBody!: RepresentativeBody | null;
  @Column({ name: 'nominated_on', type: 'date' }) nominatedOn!: string;
  @Column({ name: 'decided_on', type: 'date', nullable: true }) decidedOn!: string | null;
  @Column({ name: 'decision_reason', type: 'text', nullable: true }) decisionReason!: string | null;
  @Column({ name: 'revoked_on', type: 'date', nullable: true }) revokedOn!: string | null;
  @Column({ name: 'revocation_reason', type: 'text', nullable: true }) revocationReason!: string | null;
}
