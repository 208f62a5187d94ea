import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type RoleKind = 'SECRETARY' | 'DEPUTY_SECRETARY' | 'COMMITTEE_MEMBER' | 'PARTY_WORKER' | 'GUIDANCE_OFFICER' | 'STATION_HEAD' | 'LIAISON';

/** A role (职务) in a Party organization or a guidance station. */
@Entity({ name: 'role_assignment' })
export class RoleAssignment {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'member_id', type: 'uuid' }) memberId!: string;
  @Column({ type: 'text' }) kind!: RoleKind;
  @Column({ name: 'organization_id', type: 'uuid', nullable: true }) organizationId!: string | null;
  @Column({ name: 'station_id', type: 'uuid', nullable: true }) stationId!: string | null;
  /** The organization's or station's region, for the tier test. */
  @Column({ name: 'region_code', type: 'char', length: 6 }) regionCode!: string;
  @Column({ name: 'started_on', type: 'date' }) startedOn!: string;
  @Column({ name: 'ended_on', type: 'date', nullable: true }) endedOn!: string | null;
}
