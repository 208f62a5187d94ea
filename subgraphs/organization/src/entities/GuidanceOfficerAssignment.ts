import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A guidance officer (党建指导员) sent from a station to guide one institution. */
@Entity({ name: 'guidance_officer_assignment' })
export class GuidanceOfficerAssignment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'officer_member_id', type: 'uuid' })
  officerMemberId!: string;

  @Column({ name: 'station_id', type: 'uuid' })
  stationId!: string;

  @Column({ name: 'institution_id', type: 'uuid' })
  institutionId!: string;

  /** The institution's region, kept here so the scope test needs no join. */
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode!: string;

  @Column({ name: 'started_on', type: 'date' })
  startedOn!: string;

  @Column({ name: 'ended_on', type: 'date', nullable: true })
  endedOn!: string | null;
}
