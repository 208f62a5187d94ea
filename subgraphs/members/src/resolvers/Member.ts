import { entity } from '../../../../shared/src/references';
import { canWrite } from '../../../../shared/src/viewer';
import type { MembersContext } from '../context';
import type { MemberResolvers } from '../generated/graphql';
import type { Member as MemberRecord } from '../entities';
import { ownedBy } from '../ownership';
import { maskBirthDate, maskIdNumber, maskPhone } from '../rules';
import { institutionRef, organizationRef, regionRef, visibleRef } from './references';

/**
 * Who reads a member's personal data in full (ID number, phone, birth date, dues money): editors and admins of
 * the tier that owns the record (holds the member's formal relation). The one place that decides
 * it; whoever else sees the record, a temporary host branch included, gets the masked forms, which
 * together leave too many candidates to rebuild the ID number.
 */
const seesPersonalData = async (member: MemberRecord, ctx: MembersContext) => canWrite(ctx.viewer) && (await ownedBy(ctx.scope, member, ctx.tier.formalRegion));

export const Member: MemberResolvers = {
  __resolveReference: (reference, ctx) => entity(ctx.loaders.member.load(reference.id)),
  idNumber: async (member, _args, ctx) => ((await seesPersonalData(member, ctx)) ? member.idNumber : maskIdNumber(member.idNumber)),
  phone: async (member, _args, ctx) => (member.phone && !(await seesPersonalData(member, ctx)) ? maskPhone(member.phone) : member.phone),
  birthDate: async (member, _args, ctx) => ((await seesPersonalData(member, ctx)) ? member.birthDate : maskBirthDate(member.birthDate)),
  birthYear: (member) => Number(member.birthDate.slice(0, 4)),
  practice: (member) => (member.practiceKind && member.licenseNumber ? { kind: member.practiceKind, licenseNumber: member.licenseNumber } : null),
  // A member is read where they are, or by a branch hosting them: their workplace and formal branch may lie in another tier.
  institution: (member, _args, ctx) => visibleRef(member.institutionId, ctx.tier.institutionVisible, institutionRef),
  region: (member) => regionRef(member.regionCode),
  partyOrganization: (member, _args, ctx) => visibleRef(member.organizationId, ctx.tier.organizationVisible, organizationRef),
  // Only the branches the caller's tier sees: one in another tier (a mobile member's host) would read as null in a non-null list.
  temporaryOrganizations: async (member, _args, ctx) => {
    const rows = await ctx.loaders.temporaryOrganizationIds.load(member.id);
    const visible = await ctx.tier.organizationVisible.loadMany(rows.map((row) => row.organizationId));
    return rows.filter((_row, i) => visible[i] === true).map((row) => organizationRef(row.organizationId)!);
  },
  roles: (member, { activeOnly }, ctx) => (activeOnly === false ? ctx.loaders.allRolesOfMember : ctx.loaders.activeRolesOfMember).load(member.id),
  transfers: (member, _args, ctx) => ctx.loaders.transfersOfMember.load(member.id),
  organizationHistory: (member, _args, ctx) => ctx.loaders.membershipsOfMember.load(member.id),
  appraisals: (member, _args, ctx) => ctx.loaders.appraisalsOfMember.load(member.id),
  vanguardPosts: async (member, { activeOnly }, ctx) => {
    const posts = await ctx.loaders.vanguardPostsOfMember.load(member.id);
    return activeOnly ? posts.filter((post) => post.endedOn === null) : posts;
  },
  pledges: (member, _args, ctx) => ctx.loaders.pledgesOfMember.load(member.id),
  // Dues money is personal data, masked by the same rule as the ID number.
  dues: async (member, _args, ctx) => {
    const dues = await ctx.loaders.duesOfMember.load(member.id);
    return dues ? { ...dues, masked: !(await seesPersonalData(member, ctx)) } : null;
  },
};
