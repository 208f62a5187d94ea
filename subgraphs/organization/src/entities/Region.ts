import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RegionLevel } from '../../../../shared/src/regions';

/** A GB/T 2260 administrative region (行政区划). */
@Entity({ name: 'region' })
export class Region {
  @PrimaryColumn({ type: 'char', length: 6 })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  level!: RegionLevel;

  @Column({ name: 'parent_code', type: 'char', length: 6, nullable: true })
  parentCode!: string | null;
}

/** A region as resolved, with what the members subgraph supplies for the campaign ledger. */
export type RegionRecord = Region & { standaloneQuorumInstitutionIds?: string[] | null };
