import { AuditEntry } from '../../../../shared/src/audit';
import { Commendation } from './Commendation';
import { CommendationProgram, ProgramCategory } from './CommendationProgram';

export type { CommendationStatus, RecipientKind, RepresentativeBody } from './Commendation';
export type { CommendationCategory, CommendationLevel } from './CommendationProgram';
export { AuditEntry, Commendation, CommendationProgram, ProgramCategory };

export const entities = [CommendationProgram, ProgramCategory, Commendation, AuditEntry];

/** The categories in the order the schema lists them, which is the order statistics report them in. */
export const CATEGORIES = [
  'ADVANCED_BRANCH',
  'EXCELLENT_PARTY_MEMBER_LAWYER',
  'EXCELLENT_PARTY_WORKER',
  'MOST_BEAUTIFUL_PERSON',
  'DEMONSTRATION_SITE',
  'REPRESENTATIVE_RECOMMENDATION',
] as const;

/** Levels from the highest down. */
export const LEVELS = ['NATIONAL', 'PROVINCIAL', 'CITY', 'COUNTY'] as const;

/** Who each category honours: every category has exactly one kind of recipient. */
export const RECIPIENT_KIND = {
  ADVANCED_BRANCH: 'PARTY_ORGANIZATION',
  EXCELLENT_PARTY_MEMBER_LAWYER: 'MEMBER',
  EXCELLENT_PARTY_WORKER: 'MEMBER',
  MOST_BEAUTIFUL_PERSON: 'MEMBER',
  DEMONSTRATION_SITE: 'INSTITUTION',
  REPRESENTATIVE_RECOMMENDATION: 'MEMBER',
} as const;

/** The region code a national program carries: the whole country, which GB/T 2260 gives no code. */
export const NATIONAL_REGION_CODE = '000000';
