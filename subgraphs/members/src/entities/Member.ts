import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type Gender = 'MALE' | 'FEMALE';
export type Education = 'SECONDARY' | 'JUNIOR_COLLEGE' | 'BACHELOR' | 'MASTER' | 'DOCTORATE';
export type PracticeKind = 'LAWYER' | 'NOTARY' | 'APPRAISER' | 'GRASSROOTS_LEGAL_WORKER';
export type PartyStatus = 'APPLICANT' | 'ACTIVIST' | 'CANDIDATE' | 'PROBATIONARY' | 'FULL';

/** A person's record (人员档案): identity, practice, Party status and formal organization. */
@Entity({ name: 'member' })
export class Member {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) gender!: Gender;
  @Column({ type: 'text' }) ethnicity!: string;
  @Column({ name: 'birth_date', type: 'date' }) birthDate!: string;
  @Column({ name: 'id_number', type: 'text' }) idNumber!: string;
  @Column({ type: 'text', nullable: true }) education!: Education | null;
  @Column({ type: 'text', nullable: true }) phone!: string | null;
  @Column({ name: 'practice_kind', type: 'text', nullable: true }) practiceKind!: PracticeKind | null;
  @Column({ name: 'license_number', type: 'text', nullable: true }) licenseNumber!: string | null;
  @Column({ name: 'institution_id', type: 'uuid', nullable: true }) institutionId!: string | null;
  @Column({ name: 'region_code', type: 'char', length: 6 }) regionCode!: string;
  @Column({ name: 'party_status', type: 'text', nullable: true }) partyStatus!: PartyStatus | null;
  @Column({ name: 'applied_on', type: 'date', nullable: true }) appliedOn!: string | null;
  @Column({ name: 'activist_on', type: 'date', nullable: true }) activistOn!: string | null;
  @Column({ name: 'candidate_on', type: 'date', nullable: true }) candidateOn!: string | null;
  @Column({ name: 'joined_on', type: 'date', nullable: true }) joinedOn!: string | null;
  @Column({ name: 'full_on', type: 'date', nullable: true }) fullOn!: string | null;
  @Column({ name: 'probation_extended_until', type: 'date', nullable: true }) probationExtendedUntil!: string | null;
  @Column({ name: 'organization_id', type: 'uuid', nullable: true }) organizationId!: string | null;
  @Column({ name: 'lost_contact', type: 'boolean' }) lostContact!: boolean;
  @Column({ type: 'boolean' }) mobile!: boolean;
}
