import { badUserInput } from './errors';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Today's date in China, where every date of the domain is reckoned. */
export function todayInChina(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** A date argument: a real date, not in the future. */
export function requirePastDate(text: string, field: string, now = new Date()): string {
  if (!isCalendarDate(text)) throw badUserInput(`${field} must be a date written YYYY-MM-DD.`, field);
  if (text > todayInChina(now)) throw badUserInput(`${field} cannot be in the future.`, field);
  return text;
}

/** A required name: trimmed, not empty, not too long. */
export function requireName(text: string, field: string, maxLength = 100): string {
  const name = text.trim();
  if (name.length === 0 || name.length > maxLength) {
    throw badUserInput(`${field} must be between 1 and ${maxLength} characters.`, field);
  }
  return name;
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)$/;

/** Whether `text` is an ISO 8601 timestamp with its zone, on a real calendar date. */
export function isTimestamp(text: string): boolean {
  const match = TIMESTAMP.exec(text);
  return match !== null && isCalendarDate(match[1]) && !Number.isNaN(Date.parse(text));
}
