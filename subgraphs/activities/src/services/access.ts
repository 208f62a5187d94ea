import { badUserInput, forbidden } from '../../../../shared/src/errors';
import { canWrite, type Caller } from '../../../../shared/src/viewer';
import { activityOwnerProblem, type OrganizerTier } from '../rules';

/**
 * Writes need the editor or admin role. A BRANCH editor records its own organization's life;
 * enrolment, checkpoints and rules are the stations' work (`stationsOnly`).
 */
export function requireEditor(caller: Caller, options: { stationsOnly?: boolean } = {}): void {
  if (!canWrite(caller.viewer)) throw forbidden('Recording activities needs the editor or admin role.');
  if (options.stationsOnly && caller.viewer.tier === 'BRANCH') throw forbidden('This is recorded by guidance stations, not by branches.');
}

/** Refuses, FORBIDDEN, a caller whose tier does not own what the organizer owns. */
export function requireOwner(caller: Caller, organizer: OrganizerTier): void {
  const problem = activityOwnerProblem(caller.viewer, organizer);
  if (problem) throw forbidden(problem);
}

export function requireValid(problem: string | null, field: string): void {
  if (problem) throw badUserInput(problem, field);
}

/** Optional free text: trimmed, empty becomes null, bounded in length. */
export function optionalText(text: string | null | undefined, field: string, maxLength: number): string | null {
  if (text == null) return null;
  const value = text.trim();
  if (value.length > maxLength) throw badUserInput(`${field} must be at most ${maxLength} characters.`, field);
  return value.length > 0 ? value : null;
}

/** A calendar year argument, within the years a record of the sector can have. */
export function requireYear(year: number, field = 'year'): number {
  if (!Number.isInteger(year) || year < 1921 || year > 2999) throw badUserInput(`${field} must be a calendar year.`, field);
  return year;
}
