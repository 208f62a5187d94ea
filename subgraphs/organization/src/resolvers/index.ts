import { DateScalar, DateTimeScalar, JSONScalar } from '../../../../shared/src/scalars';
import { AuditTrail } from './AuditTrail';
import type { Resolvers } from '../generated/graphql';
import { Coverage, CoverageYear } from './Coverage';
import { GuidanceOfficerAssignment } from './GuidanceOfficerAssignment';
import { GuidanceStation } from './GuidanceStation';
import { Institution } from './Institution';
import { Mutation } from './Mutation';
import { PartyOrganization } from './PartyOrganization';
import { Query } from './Query';
import { Region } from './Region';
import { Viewer } from './Viewer';

export const resolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  AuditTrail,
  Query,
  Mutation,
  Viewer,
  Region,
  Coverage,
  CoverageYear,
  GuidanceStation,
  Institution,
  PartyOrganization,
  GuidanceOfficerAssignment,
};
