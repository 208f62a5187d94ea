import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ActivityKind } from './Activity';

export type Frequency = 'MONTHLY' | 'QUARTERLY' | 'HALF_YEARLY' | 'YEARLY';

/**
 * How often one kind of organizational life must be held, from a year on: a province's own rule,
 * or with region code `000000` the national standard that applies where a province has none.
 */
@Entity({ name: 'requirement' })
export class Requirement {
  @PrimaryColumn({ name: 'region_code', type: 'char', length: 6 }) regionCode!: string;
  @PrimaryColumn({ type: 'text' }) kind!: ActivityKind;
  @PrimaryColumn({ name: 'from_year', type: 'smallint' }) fromYear!: number;
  @Column({ type: 'text' }) frequency!: Frequency;
}
