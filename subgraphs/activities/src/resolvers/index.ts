import { DateScalar, DateTimeScalar, JSONScalar } from '../../../../shared/src/scalars';
import type { Resolvers } from '../generated/graphql';
import { Activity } from './Activity';
import { ActivityStats } from './ActivityStats';
import { Attendance } from './Attendance';
import { AuditTrail } from './AuditTrail';
import { Checkpoint } from './Checkpoint';
import { Enrolment } from './Enrolment';
import { GuidanceStation } from './GuidanceStation';
import { Institution } from './Institution';
import { InstitutionWithoutVisitEdge } from './InstitutionWithoutVisitEdge';
import { Member } from './Member';
import { MissingCheckpointEdge } from './MissingCheckpointEdge';
import { Mutation } from './Mutation';
import { OrganizationalLifeGapEdge } from './OrganizationalLifeGapEdge';
import { OrganizationalLifeLine } from './OrganizationalLifeLine';
import { OrganizationalLifeRequirement } from './OrganizationalLifeRequirement';
import { PartyOrganization } from './PartyOrganization';
import { Query } from './Query';
import { Region } from './Region';

export const resolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  AuditTrail,
  Query,
  Mutation,
  Activity,
  Attendance,
  Enrolment,
  Checkpoint,
  OrganizationalLifeLine,
  OrganizationalLifeRequirement,
  ActivityStats,
  PartyOrganization,
  Member,
  Institution,
  GuidanceStation,
  Region,
  OrganizationalLifeGapEdge,
  InstitutionWithoutVisitEdge,
  MissingCheckpointEdge,
};
