import { AuditEntry } from '../../../../shared/src/audit';
import { Activity } from './Activity';
import { Attendance } from './Attendance';
import { Checkpoint } from './Checkpoint';
import { Enrolment } from './Enrolment';
import { RegisteredOrganization } from './RegisteredOrganization';
import { Requirement } from './Requirement';

export type { ActivityKind, ActivityStatus } from './Activity';
export type { AttendanceStatus } from './Attendance';
export type { CheckpointResult, CheckpointStage } from './Checkpoint';
export type { Frequency } from './Requirement';
export { Activity, Attendance, AuditEntry, Checkpoint, Enrolment, RegisteredOrganization, Requirement };

export const entities = [Activity, Attendance, Enrolment, Checkpoint, Requirement, RegisteredOrganization, AuditEntry];
