import { AuditEntry } from '../../../../shared/src/audit';
import { Member } from './Member';
import { OrganizationMembership } from './OrganizationMembership';
import { RoleAssignment } from './RoleAssignment';
import { TemporaryParticipation } from './TemporaryParticipation';
import { Transfer } from './Transfer';

export type { Education, Gender, PartyStatus, PracticeKind } from './Member';
export type { RoleKind } from './RoleAssignment';
export type { TransferStatus } from './Transfer';
export { AuditEntry, Member, OrganizationMembership, RoleAssignment, TemporaryParticipation, Transfer };

export const entities = [Member, OrganizationMembership, TemporaryParticipation, RoleAssignment, Transfer, AuditEntry];

/** What each formal practice is called in its sector. */
export const PRACTICE_OF_SECTOR = {
  LAW_FIRM: 'LAWYER',
  NOTARY_OFFICE: 'NOTARY',
  JUDICIAL_APPRAISAL: 'APPRAISER',
  GRASSROOTS_LEGAL_SERVICE: 'GRASSROOTS_LEGAL_WORKER',
} as const;

/** Probationary and full members are Party members (党员); earlier steps are not. */
export const PARTY_MEMBER_STATUSES = ['PROBATIONARY', 'FULL'] as const;
