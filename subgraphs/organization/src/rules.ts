import type { InstitutionKind, PartyOrganizationKind } from './entities';

/**
 * The rules of Party organization set-up (党组织设置), as pure functions the mutations apply and the
 * unit tests pin down. Each returns a message when broken and null when it holds.
 */

/** A practice licence number: an 18-character unified social credit code (统一社会信用代码). */
export function licenseNumberProblem(licenseNumber: string): string | null {
  return /^[0-9A-Z]{18}$/.test(licenseNumber) ? null : 'licenseNumber must be 18 characters: digits and capital letters.';
}

/** An institution with at least `minimum` full members forms a standalone branch (单独组建). */
export function standaloneBranchProblem(fullPartyMembers: number, minimum: number): string | null {
  return fullPartyMembers >= minimum
    ? null
    : `a standalone branch needs at least ${minimum} full Party members in its institution; it has ${fullPartyMembers}.`;
}

/** How many institutions each kind of organization covers when it is established. */
export function coveredInstitutionsProblem(kind: PartyOrganizationKind, count: number, jointBranchCap: number): string | null {
  switch (kind) {
    case 'STANDALONE_BRANCH':
    case 'GENERAL_BRANCH':
      return count === 1 ? null : `a ${kind === 'GENERAL_BRANCH' ? 'general' : 'standalone'} branch covers exactly one institution.`;
    case 'JOINT_BRANCH':
      return count >= 1 && count <= jointBranchCap ? null : `a joint branch covers between 1 and ${jointBranchCap} institutions.`;
    default:
      return count === 0 ? null : `${kind === 'INDUSTRY_COMMITTEE' ? 'an industry committee' : 'a temporary branch'} covers no institutions directly.`;
  }
}

/** A joint branch may not grow past the cap (联合党支部覆盖机构上限). */
export function jointBranchCapacityProblem(current: number, adding: number, cap: number): string | null {
  return current + adding <= cap
    ? null
    : `a joint branch covers at most ${cap} institutions; it has ${current} and ${adding} would be added.`;
}

/** An organization covers institutions of its own sector only. */
export function sectorProblem(sector: InstitutionKind, institutionKind: InstitutionKind): string | null {
  return sector === institutionKind ? null : `a ${sector} organization cannot cover a ${institutionKind} institution.`;
}
