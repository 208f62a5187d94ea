import { DateScalar, DateTimeScalar, JSONScalar } from '../../../../shared/src/scalars';
import { AuditTrail } from './AuditTrail';
import type { Resolvers } from '../generated/graphql';
import { GuidanceStation } from './GuidanceStation';
import { Institution } from './Institution';
import { Member } from './Member';
import { Mutation } from './Mutation';
import { OrganizationMembership } from './OrganizationMembership';
import { PartyOrganization } from './PartyOrganization';
import { PendingTransferEdge } from './PendingTransferEdge';
import { ProbationDueEdge } from './ProbationDueEdge';
import { Query } from './Query';
import { Region } from './Region';
import { Role } from './Role';
import { Transfer } from './Transfer';

export const resolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  AuditTrail,
  Query,
  Mutation,
  Member,
  OrganizationMembership,
  Role,
  Transfer,
  Institution,
  PartyOrganization,
  GuidanceStation,
  Region,
  ProbationDueEdge,
  PendingTransferEdge,
};
