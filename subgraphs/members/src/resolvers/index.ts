import { DateScalar, DateTimeScalar, JSONScalar } from '../../../../shared/src/scalars';
import { Appraisal } from './Appraisal';
import { AuditTrail } from './AuditTrail';
import { Dues } from './Dues';
import type { Resolvers } from '../generated/graphql';
import { GuidanceStation } from './GuidanceStation';
import { Institution } from './Institution';
import { Member } from './Member';
import { MemberStats } from './MemberStats';
import { Mutation } from './Mutation';
import { OrganizationMembership } from './OrganizationMembership';
import { PartyOrganization } from './PartyOrganization';
import { PendingTransferEdge } from './PendingTransferEdge';
import { ProbationDueEdge } from './ProbationDueEdge';
import { Pledge } from './Pledge';
import { Query } from './Query';
import { Region } from './Region';
import { Role } from './Role';
import { Transfer } from './Transfer';
import { VanguardPost } from './VanguardPost';

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
  MemberStats,
  Appraisal,
  VanguardPost,
  Pledge,
  Dues,
};
