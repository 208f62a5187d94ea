import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export type CommendationLevel = 'NATIONAL' | 'PROVINCIAL' | 'CITY' | 'COUNTY';
export type CommendationCategory =
  | 'ADVANCED_BRANCH'
  | 'EXCELLENT_PARTY_MEMBER_LAWYER'
  | 'EXCELLENT_PARTY_WORKER'
  | 'MOST_BEAUTIFUL_PERSON'
  | 'DEMONSTRATION_SITE'
  | 'REPRESENTATIVE_RECOMMENDATION';

/** An evaluation program (评先选优): one cycle of a level and a region. */
@Entity({ name: 'commendation_program' })
export class CommendationProgram {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) level!: CommendationLevel;
  /** The region the program covers; `000000` for a national program, which no GB/T 2260 code names. */
  @Column({ name: 'region_code', type: 'char', length: 6 }) regionCode!: string;
  @Column({ type: 'int' }) year!: number;
  @Column({ name: 'opens_on', type: 'date' }) opensOn!: string;
  @Column({ name: 'closes_on', type: 'date' }) closesOn!: string;
}

/** A category a program awards, with its quota (名额). */
@Entity({ name: 'program_category' })
export class ProgramCategory {
  @PrimaryColumn({ name: 'program_id', type: 'uuid' }) programId!: string;
  @PrimaryColumn({ type: 'text' }) category!: CommendationCategory;
  @Column({ type: 'int' }) quota!: number;
  /** The program's region, so the quota rows carry their tier like every other row. */
  @Column({ name: 'region_code', type: 'char', length: 6 }) regionCode!: string;
}
