import { AuditEntry } from '../../../../shared/src/audit';
import { GuidanceOfficerAssignment } from './GuidanceOfficerAssignment';
import { GuidanceStation } from './GuidanceStation';
import { Institution } from './Institution';
import { PartyOrganization } from './PartyOrganization';
import { Region } from './Region';

export type { CoverageStatus, InstitutionKind, InstitutionRecord, InstitutionState } from './Institution';
export type { PartyOrganizationKind } from './PartyOrganization';
export type { StationTier } from './GuidanceStation';
export type { RegionRecord } from './Region';
export { AuditEntry, GuidanceOfficerAssignment, GuidanceStation, Institution, PartyOrganization, Region };

export const entities = [Region, GuidanceStation, Institution, PartyOrganization, GuidanceOfficerAssignment, AuditEntry];
