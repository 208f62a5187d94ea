import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type StationTier = 'PROVINCE' | 'CITY' | 'COUNTY';

/** A guidance station (党建工作指导站) of the 1+14+100 system or of a city's own layer. */
@Entity({ name: 'guidance_station' })
export class GuidanceStation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  tier!: StationTier;

  @Column({ type: 'boolean' })
  functional!: boolean;

  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode!: string;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId!: string | null;

  @Column({ name: 'established_on', type: 'date', nullable: true })
  establishedOn!: string | null;
}
