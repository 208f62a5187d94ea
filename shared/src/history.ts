import { badUserInput } from './errors';

/** The most years one history answer covers: enough for a generation of figures, bounded in cost. */
export const MAX_HISTORY_YEARS = 30;

const FIRST_YEAR = 1900;
const LAST_YEAR = 2100;

/** A history's year range, checked: calendar years, `fromYear` ≤ `toYear`, at most MAX_HISTORY_YEARS of them. */
export function requireYearRange(fromYear: number, toYear: number): { fromYear: number; toYear: number } {
  for (const [field, year] of [['fromYear', fromYear], ['toYear', toYear]] as const) {
    if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) {
      throw badUserInput(`${field} must be a calendar year from ${FIRST_YEAR} to ${LAST_YEAR}.`, field);
    }
  }
  if (toYear < fromYear) throw badUserInput('toYear cannot precede fromYear.', 'toYear');
  if (toYear - fromYear + 1 > MAX_HISTORY_YEARS) {
    throw badUserInput(`a history covers at most ${MAX_HISTORY_YEARS} years: ask for ${fromYear} to ${fromYear + MAX_HISTORY_YEARS - 1} at most.`, 'toYear');
  }
  return { fromYear, toYear };
}

/** The key a history loader batches on: a region, what is counted, and the years. */
export function historyKey(regionCode: string, what: string, fromYear: number, toYear: number): string {
  return `${regionCode}|${what}|${fromYear}|${toYear}`;
}

export function parseHistoryKey(key: string): { regionCode: string; what: string; fromYear: number; toYear: number } {
  const [regionCode, what, fromYear, toYear] = key.split('|');
  return { regionCode, what, fromYear: Number(fromYear), toYear: Number(toYear) };
}
