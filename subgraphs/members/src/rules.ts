import type { Member, PartyStatus, PracticeKind } from './entities';

/**
 * The rules of member records, as pure functions the mutations apply and the unit tests pin down.
 * Each returns a message when broken and null when it holds.
 */

/** The order of Party status (发展党员程序): each step follows the one before. */
export const STATUS_ORDER: readonly PartyStatus[] = ['APPLICANT', 'ACTIVIST', 'CANDIDATE', 'PROBATIONARY', 'FULL'];

/** `date` plus whole years; 29 February falls back to 28 February. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y + years, m - 1, d));
  if (target.getUTCDate() !== d) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}

export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, d));
  if (target.getUTCDate() !== d) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}

export function nextStatusProblem(current: PartyStatus | null, to: PartyStatus): string | null {
  const expected = STATUS_ORDER[current === null ? 0 : STATUS_ORDER.indexOf(current) + 1];
  if (current === 'FULL') return 'a full member has no further status to advance to.';
  return to === expected ? null : `${current ?? 'a person who has not applied'} advances to ${expected}, not ${to}.`;
}

type StatusDates = Pick<Member, 'birthDate' | 'appliedOn' | 'activistOn' | 'candidateOn' | 'joinedOn' | 'probationExtendedUntil'>;

/**
 * The minimum stays: an applicant is at least 18; an activist is trained and observed for a year
 * before becoming a candidate (培养考察一年以上); probation lasts a year, or until an extension ends.
 */
export function stepDateProblem(member: StatusDates, to: PartyStatus, on: string): string | null {
  switch (to) {
    case 'APPLICANT':
      return on >= addYears(member.birthDate, 18) ? null : 'an applicant must be at least 18 years old.';
    case 'ACTIVIST':
      return member.appliedOn && on >= member.appliedOn ? null : 'a person becomes an activist after applying.';
    case 'CANDIDATE': {
      const earliest = member.activistOn ? addYears(member.activistOn, 1) : null;
      return earliest && on >= earliest ? null : `an activist is observed for at least a year: not before ${earliest}.`;
    }
    case 'PROBATIONARY':
      return member.candidateOn && on >= member.candidateOn ? null : 'a person is admitted after becoming a development candidate.';
    case 'FULL': {
      const earliest = member.probationExtendedUntil ?? (member.joinedOn ? addYears(member.joinedOn, 1) : null);
      return earliest && on >= earliest ? null : `probation lasts until ${earliest}: the member cannot be made full before then.`;
    }
  }
}

/** Probation may be extended once, to at most two years from admission (延长预备期不超过一年). */
export function probationExtensionProblem(member: Pick<Member, 'partyStatus' | 'joinedOn'>, until: string): string | null {
  if (member.partyStatus !== 'PROBATIONARY' || !member.joinedOn) return 'only a probationary member’s probation can be extended.';
  const normalEnd = addYears(member.joinedOn, 1);
  const latest = addYears(member.joinedOn, 2);
  return until > normalEnd && until <= latest ? null : `an extended probation ends after ${normalEnd} and no later than ${latest}.`;
}

/** Practice licence numbers (执业证号): a lawyer's has 17 digits; others 8 to 20 digits and capitals. */
export function licenseNumberProblem(kind: PracticeKind, licenseNumber: string): string | null {
  if (kind === 'LAWYER') return /^\d{17}$/.test(licenseNumber) ? null : 'a lawyer’s licence number has 17 digits.';
  return /^[0-9A-Z]{8,20}$/.test(licenseNumber) ? null : 'a licence number has 8 to 20 digits and capital letters.';
}

export function phoneProblem(phone: string): string | null {
  return /^1[3-9]\d{9}$/.test(phone) ? null : 'phone must be an 11-digit mobile number.';
}

/**
 * `2103**************`: the city, which the record's region shows anyway, and nothing else. Every
 * other character narrows the rest down: the county is the record's region, the birth date's year
 * is readable, the 17th digit's parity is the gender and the check character confirms a guess, so
 * a mask that kept the last four let the birth date alone rebuild the number.
 */
export function maskIdNumber(idNumber: string): string {
  return `${idNumber.slice(0, 4)}${'*'.repeat(Math.max(idNumber.length - 4, 0))}`;
}

/** A birth date as far as a caller who sees the ID number masked may know it: its year, as 1 January. */
export function maskBirthDate(birthDate: string): string {
  return `${birthDate.slice(0, 4)}-01-01`;
}

export function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}
