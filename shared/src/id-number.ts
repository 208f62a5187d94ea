/**
 * Resident ID numbers (公民身份号码, GB 11643): a 6-digit region code, the birth date as
 * YYYYMMDD, a 3-digit sequence (odd for men, even for women) and a check character computed
 * with ISO 7064 MOD 11-2 over the first 17 digits.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';
const SHAPE = /^\d{6}(\d{4})(\d{2})(\d{2})\d{3}[\dX]$/;

/** The 18th character of an ID number whose first 17 digits are given. */
export function idNumberCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('an ID number check character needs exactly 17 digits');
  let total = 0;
  for (let i = 0; i < 17; i++) total += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARACTERS[total % 11];
}

/**
 * Whether `idNumber` is a well-formed 18-character ID number: digits with an upper-case X as the
 * only possible letter, a real birth date, and the right check character.
 */
export function isValidIdNumber(idNumber: string): boolean {
  const match = SHAPE.exec(idNumber);
  if (!match) return false;
  const [year, month, day] = match.slice(1, 4).map(Number);
  const birth = new Date(Date.UTC(year, month - 1, day));
  const isRealDate = birth.getUTCFullYear() === year && birth.getUTCMonth() === month - 1 && birth.getUTCDate() === day;
  return isRealDate && idNumberCheckCharacter(idNumber.slice(0, 17)) === idNumber[17];
}
