import { entity } from '../../../../shared/src/references';
import { canWrite } from '../../../../shared/src/viewer';
import type { MembersContext } from '../context';
import type { MemberResolvers } from '../generated/graphql';
import type { Member as MemberRecord } from '../entities';
import { maskBirthDate, maskIdNumber, maskPhone } from '../rules';
import { institutionRef, organizationRef, regionRef } from './references';

/**
 * Who reads a member's personal data in full (ID number, phone, birth date): editors and admins,
 * whose tier already holds the member. The one place that decides it; everyone else gets the
 * masked forms, which together leave too many candidates to rebuild the ID number.
 */
export const seesPersonalData = (ctx: MembersContext, _member: MemberRecord) => canWrite(ctx.viewer);

export const Member: MemberResolvers = {
  __resolveReference: (reference, ctx) => entity(ctx.loaders.member.load(reference.id)),
  idNumber: (member, _args, ctx) => (seesPersonalData(ctx, member) ? member.idNumber : maskIdNumber(member.idNumber)),
  phone: (member, _args, ctx) => (member.phone && !seesPersonalData(ctx, member) ? maskPhone(member.phone) : member.phone),
  birthDate: (member, _args, ctx) => (seesPersonalData(ctx, member) ? member.birthDate : maskBirthDate(member.birthDate)),
  birthYear: (member) => Number(member.birthDate.slice(0, 4)),
  practice: (member) => (member.practiceKind && member.licenseNumber ? { kind: member.practiceKind, licenseNumber: member.licenseNumber } : null),
  institution: (member) => institutionRef(member.institutionId),
  region: (member) => regionRef(member.regionCode),
  partyOrganization: (member) => organizationRef(member.organizationId),
  temporaryOrganizations: async (member, _args, ctx) =>
    (await ctx.loaders.temporaryOrganizationIds.load(member.id)).map((row) => organizationRef(row.organizationId)!),
  roles: (member, { activeOnly }, ctx) => (activeOnly === false ? ctx.loaders.allRolesOfMember : ctx.loaders.activeRolesOfMember).load(member.id),
  transfers: (member, _args, ctx) => ctx.loaders.transfersOfMember.load(member.id),
  organizationHistory: (member, _args, ctx) => ctx.loaders.membershipsOfMember.load(member.id),
};
