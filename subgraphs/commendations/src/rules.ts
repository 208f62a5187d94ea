import { isCalendarDate } from '../../../shared/src/validation';
import { regionLevel, regionPrefix } from '../../../shared/src/regions';
import type { Viewer } from '../../../shared/src/viewer';
import type { MemberFacts, InstitutionFacts, OrganizationFacts } from './directory';
import type { CommendationCategory, CommendationLevel, RepresentativeBody } from './entities';

/**
 * The rules of programs, nominations and decisions, as pure functions the mutations apply and the
 * unit tests pin down. Each returns the problem when broken and null when it holds.
 */

export type Problem = { code: 'BAD_USER_INPUT'; message: string; field: string } | { code: 'CONFLICT'; message: string } | null;

/** When a rule is checked: at nomination on the nomination date, or at the decision on its date. */
export interface Stage {
  step: 'nomination' | 'decision';
  on: string;
}

const PROGRAM_LEVEL = { PROVINCE: 'PROVINCIAL', CITY: 'CITY', COUNTY: 'COUNTY' } as const;

/** A program's level follows from its region: the province's program is provincial, and so on. */
export function programLevelOf(regionCode: string): Exclude<CommendationLevel, 'NATIONAL'> {
  return PROGRAM_LEVEL[regionLevel(regionCode)];
}

/** The prefix every region code under the program starts with; '' for a national program. */
export function programPrefix(program: { level: CommendationLevel; regionCode: string }): string {
  switch (program.level) {
    case 'NATIONAL':
      return '';
    case 'PROVINCIAL':
      return program.regionCode.slice(0, 2);
    case 'CITY':
      return program.regionCode.slice(0, 4);
    case 'COUNTY':
      return program.regionCode;
  }
}

export function regionInProgram(program: { level: CommendationLevel; regionCode: string }, code: string): boolean {
  return code.startsWith(programPrefix(program));
}

/**
 * Decisions are made by editors of a guidance station whose tier holds the program's region: the
 * program's own tier or one above it. A national program is decided by the Ministry of Justice,
 * whose decisions on the province's nominees the provincial center records: no station below it
 * speaks for the province to the Ministry.
 */
export function deciderProblem(viewer: Pick<Viewer, 'tier' | 'regionCode'>, program: { level: CommendationLevel; regionCode: string }): string | null {
  if (viewer.tier !== 'PROVINCE' && viewer.tier !== 'CITY' && viewer.tier !== 'COUNTY') return 'commendations are decided by guidance stations, not by branches.';
  if (program.level === 'NATIONAL') {
    return viewer.tier === 'PROVINCE' ? null : 'the Ministry of Justice’s decisions on a national program are recorded by the provincial center.';
  }
  if (!program.regionCode.startsWith(regionPrefix(viewer.regionCode))) {
    return `a ${program.level} program of ${program.regionCode} is decided by its own station or one above it.`;
  }
  return null;
}

/** The province recommends to the Ministry of Justice as one: its stations below propose through it. */
export function nominatorProblem(viewer: Pick<Viewer, 'tier'>, program: { level: CommendationLevel }): string | null {
  if (program.level === 'NATIONAL' && viewer.tier !== 'PROVINCE') return 'recommendations to a national program come from the provincial center.';
  return null;
}

export function nominationDateProblem(program: { opensOn: string; closesOn: string }, nominatedOn: string): string | null {
  return nominatedOn >= program.opensOn && nominatedOn <= program.closesOn
    ? null
    : `the program takes nominations from ${program.opensOn} to ${program.closesOn}.`;
}

/** A program awards each category once, with a quota of at least one. */
export function categoriesProblem(categories: readonly { category: CommendationCategory; quota: number }[]): string | null {
  if (categories.length === 0) return 'a program awards at least one category.';
  const seen = new Set<CommendationCategory>();
  for (const { category, quota } of categories) {
    if (seen.has(category)) return `${category} is listed twice.`;
    seen.add(category);
    if (!Number.isInteger(quota) || quota < 1 || quota > 100_000) return `the quota of ${category} must be between 1 and 100000.`;
  }
  return null;
}

export function programDatesProblem(opensOn: string, closesOn: string): string | null {
  if (!isCalendarDate(closesOn)) return 'closesOn must be a date written YYYY-MM-DD.';
  return closesOn >= opensOn ? null : 'closesOn cannot precede opensOn.';
}

/** Awards for Party members in their own right, which need a full member (正式党员) when decided. */
function needsFullMember(category: CommendationCategory, body: RepresentativeBody | null): boolean {
  return category === 'EXCELLENT_PARTY_MEMBER_LAWYER' || category === 'EXCELLENT_PARTY_WORKER' || body === 'PARTY_CONGRESS';
}

function fields(stage: Stage): { recipient: string; date: string } {
  return stage.step === 'nomination' ? { recipient: 'recipientId', date: 'nominatedOn' } : { recipient: 'id', date: 'decidedOn' };
}

/**
 * A person's eligibility. A Party-member award needs a full member on the decision date; a
 * probationary member may be nominated, since probation may end before the decision. A lawyer's
 * award needs a lawyer, and a recommendation (两代表一委员) a practitioner of the sector.
 */
export function memberProblem(category: CommendationCategory, body: RepresentativeBody | null, member: MemberFacts, stage: Stage): Problem {
  const field = fields(stage);
  if (category === 'EXCELLENT_PARTY_MEMBER_LAWYER' && member.practice?.kind !== 'LAWYER') {
    return { code: 'BAD_USER_INPUT', field: field.recipient, message: `${category} honours lawyers; the nominee ${member.practice ? `practises as ${member.practice.kind}` : 'does not practise'}.` };
  }
  if (category === 'REPRESENTATIVE_RECOMMENDATION' && !member.practice) {
    return { code: 'BAD_USER_INPUT', field: field.recipient, message: 'representatives are recommended from the practitioners of the sector; the nominee does not practise.' };
  }
  if (!needsFullMember(category, body)) return null;
  const what = body === 'PARTY_CONGRESS' ? 'a Party congress recommendation' : category;
  if (stage.step === 'nomination') {
    return member.partyStatus === 'FULL' || member.partyStatus === 'PROBATIONARY'
      ? null
      : { code: 'BAD_USER_INPUT', field: field.recipient, message: `${what} needs a Party member; the nominee is ${member.partyStatus ?? 'not one'}.` };
  }
  if (member.partyStatus !== 'FULL' || !member.fullOn) {
    return { code: 'BAD_USER_INPUT', field: field.recipient, message: `${what} needs a full Party member; the nominee is ${member.partyStatus ?? 'not a Party member'}.` };
  }
  if (member.fullOn > stage.on) {
    return { code: 'BAD_USER_INPUT', field: field.date, message: `${what} needs a full Party member on ${stage.on}; the nominee was made full on ${member.fullOn}.` };
  }
  return null;
}

/** An advanced branch is an existing, undissolved branch, founded by the date. */
export function organizationProblem(organization: OrganizationFacts, stage: Stage): Problem {
  const field = fields(stage);
  if (organization.kind === 'INDUSTRY_COMMITTEE') {
    return { code: 'BAD_USER_INPUT', field: field.recipient, message: 'an advanced branch is a branch, not an industry committee.' };
  }
  if (organization.dissolvedOn) return { code: 'CONFLICT', message: `party organization ${organization.id} was dissolved on ${organization.dissolvedOn}.` };
  if (organization.foundedOn > stage.on) {
    return { code: 'BAD_USER_INPUT', field: field.date, message: `party organization ${organization.id} was founded on ${organization.foundedOn}, after ${stage.on}.` };
  }
  return null;
}

/** A demonstration site is an operating institution, approved by the date. */
export function institutionProblem(institution: InstitutionFacts, stage: Stage): Problem {
  if (institution.state !== 'OPERATING') return { code: 'CONFLICT', message: `institution ${institution.id} is closed.` };
  if (institution.approvedOn && institution.approvedOn > stage.on) {
    return { code: 'BAD_USER_INPUT', field: fields(stage).date, message: `institution ${institution.id} was approved on ${institution.approvedOn}, after ${stage.on}.` };
  }
  return null;
}
