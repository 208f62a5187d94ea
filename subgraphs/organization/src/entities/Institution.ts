import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type InstitutionKind = 'LAW_FIRM' | 'NOTARY_OFFICE' | 'JUDICIAL_APPRAISAL' | 'GRASSROOTS_LEGAL_SERVICE';
export type InstitutionState = 'OPERATING' | 'CLOSED';

/** A legal-service institution (法律服务机构) registered in one county-level region. */
@Entity({ name: 'institution' })
export class Institution {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  kind!: InstitutionKind;

  @Column({ name: 'license_number', type: 'text' })
  licenseNumber!: string;

  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode!: string;

  @Column({ name: 'head_office_id', type: 'uuid', nullable: true })
  headOfficeId!: string | null;

  @Column({ type: 'text' })
  state!: InstitutionState;

  @Column({ name: 'approved_on', type: 'date', nullable: true })
  approvedOn!: string | null;

  @Column({ name: 'party_organization_id', type: 'uuid', nullable: true })
  partyOrganizationId!: string | null;
}

export type CoverageStatus = 'STANDALONE_BRANCH' | 'JOINT_BRANCH' | 'UNCOVERED';

/** An institution as read, with how it is covered. */
export interface InstitutionRecord extends Institution {
  coverageStatus: CoverageStatus;
}
