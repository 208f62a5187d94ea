import { DateScalar, DateTimeScalar, JSONScalar } from '../../../../shared/src/scalars';
import { AuditTrail } from './AuditTrail';
import type { Resolvers } from '../generated/graphql';
import { Commendation } from './Commendation';
import { CommendationProgram } from './CommendationProgram';
import { CommendationRecipient } from './CommendationRecipient';
import { Institution } from './Institution';
import { Member } from './Member';
import { Mutation } from './Mutation';
import { PartyOrganization } from './PartyOrganization';
import { ProgramCategory } from './ProgramCategory';
import { Query } from './Query';
import { Region } from './Region';

export const resolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  AuditTrail,
  Query,
  Mutation,
  Commendation,
  CommendationRecipient,
  CommendationProgram,
  ProgramCategory,
  Member,
  PartyOrganization,
  Institution,
  Region,
};
