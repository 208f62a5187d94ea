import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A Party organization as the organization subgraph last described it to this one, through its
 * stream of changes or the lookup made when an activity is recorded: where it is, what kind, and
 * when it was founded and dissolved. Compliance counts the branches that owed organizational life
 * in a year from these rows, for any number of regions in one statement.
 */
@Entity({ name: 'registered_organization' })
export class RegisteredOrganization {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' }) organizationId!: string;
  @Column({ name: 'region_code', type: 'char', length: 6 }) regionCode!: string;
  @Column({ type: 'text' }) kind!: string;
  @Column({ name: 'founded_on', type: 'date' }) foundedOn!: string;
  @Column({ name: 'dissolved_on', type: 'date', nullable: true }) dissolvedOn!: string | null;
  @Column({ name: 'described_at', type: 'timestamptz' }) describedAt!: Date;
  /** The organization subgraph's revision of the organization; 0 when described as an activity was recorded. */
  @Column({ type: 'integer' }) revision!: number;
}
