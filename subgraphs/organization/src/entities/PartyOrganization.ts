import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { InstitutionKind } from './Institution';

export type PartyOrganizationKind = 'INDUSTRY_COMMITTEE' | 'GENERAL_BRANCH' | 'STANDALONE_BRANCH' | 'JOINT_BRANCH' | 'TEMPORARY_BRANCH';

/** A Party organization (党组织) of the legal-service sector. */
@Entity({ name: 'party_organization' })
export class PartyOrganization {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  kind!: PartyOrganizationKind;

  @Column({ type: 'text' })
  sector!: InstitutionKind;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId!: string | null;

  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode!: string;

  @Column({ name: 'founded_on', type: 'date' })
  foundedOn!: string;

  @Column({ name: 'dissolved_on', type: 'date', nullable: true })
  dissolvedOn!: string | null;

  @Column({ name: 'dissolution_reason', type: 'text', nullable: true })
  dissolutionReason!: string | null;
}
