import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A Party organization as the organization subgraph last described it to this one: where it is,
 * what kind, and when it was founded and dissolved. Compliance counts the branches that owed
 * organizational life in a year from these rows, for any number of regions in one statement.
 */
@Entity({ name: 'registered_organization' })
export class RegisteredOrganization {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' }) organizationId!: string;
  @Column({ name: 'region_code', type: 'char', length: 6 }) regionCode!: string;
  @Column({ type: 'text' }) kind!: string;
  @Column({ name: 'founded_on', type: 'date' }) foundedOn!: string;
  @Column({ name: 'dissolved_on', type: 'date', nullable: true }) dissolvedOn!: string | null;
  @Column({ name: 'described_at', type: 'timestamptz' }) describedAt!: Date;
}
