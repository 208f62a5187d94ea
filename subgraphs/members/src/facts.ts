/**
 * The rules of the member facts Party-building platforms keep (appraisal grades, vanguard posts
 * and pledges, Party dues), as pure functions the mutations apply and the unit tests pin down.
 */

export type AppraisalGrade = 'EXCELLENT' | 'QUALIFIED' | 'BASICALLY_QUALIFIED' | 'UNQUALIFIED';
export const APPRAISAL_GRADES: readonly AppraisalGrade[] = ['EXCELLENT', 'QUALIFIED', 'BASICALLY_QUALIFIED', 'UNQUALIFIED'];

export type VanguardKind = 'VANGUARD_POST' | 'RESPONSIBILITY_ZONE';

/** Whose income the dues are reckoned on, as the 2008 rule tells them apart. */
export type DuesCategory = 'EMPLOYED' | 'RETIRED' | 'STUDENT' | 'HARDSHIP';

/** A fixed monthly amount: 0.2 yuan. */
const FIXED_MINIMUM_FEN = 20;

export interface DuesTerms {
  /** The rate in basis points of the base (0.5% = 50), or null where the amount is fixed. */
  rateBasisPoints: number | null;
  /** What one month costs, in fen (分). */
  monthlyFen: number;
}

/**
 * Party dues by the Central Organization Department's rule of 2008 (《关于中国共产党党费收缴、使用和
 * 管理的规定》, 中组发〔2008〕3号), on a monthly base in fen:
 *
 * - members with an income, lawyers and other practitioners included (在职党员, 参照执行), on the
 *   monthly income after tax: up to 3,000 yuan 0.5%, above 3,000 to 5,000 1%, above 5,000 to
 *   10,000 1.5%, above 10,000 2% (each upper bound included in its bracket, 含);
 * - retirees (离退休), on the pension actually received: up to 5,000 yuan 0.5%, above it 1%;
 * - students, and members who are unemployed or live on relief or the minimum living allowance
 *   (学生党员、下岗失业、依靠抚恤或救济生活、领取最低生活保障金的党员): 0.2 yuan a month, whatever
 *   their base.
 *
 * Amounts are rounded to the fen, half up.
 */
export function duesTerms(category: DuesCategory, baseFen: number): DuesTerms {
  if (category === 'STUDENT' || category === 'HARDSHIP') return { rateBasisPoints: null, monthlyFen: FIXED_MINIMUM_FEN };
  const yuan = 100;
  let rateBasisPoints: number;
  if (category === 'RETIRED') rateBasisPoints = baseFen <= 5000 * yuan ? 50 : 100;
  else if (baseFen <= 3000 * yuan) rateBasisPoints = 50;
  else if (baseFen <= 5000 * yuan) rateBasisPoints = 100;
  else if (baseFen <= 10000 * yuan) rateBasisPoints = 150;
  else rateBasisPoints = 200;
  return { rateBasisPoints, monthlyFen: Math.round((baseFen * rateBasisPoints) / 10_000) };
}

/** Yuan with up to two decimals to fen, or null when it is not such an amount. */
export function toFen(yuan: number): number | null {
  const fen = Math.round(yuan * 100);
  return Number.isFinite(yuan) && yuan >= 0 && Math.abs(fen - yuan * 100) < 1e-6 && fen <= 1e12 ? fen : null;
}

export function toYuan(fen: number): number {
  return fen / 100;
}

/** `YYYY-MM`, a calendar month. */
export function isMonth(text: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(text);
}

/** A month as a count of months, so that months subtract. */
export function monthIndex(month: string): number {
  const [year, m] = month.split('-').map(Number);
  return year * 12 + (m - 1);
}

export function monthOf(index: number): string {
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/**
 * Months in arrears (欠缴): the months from the first owed to the one before `currentMonth` that
 * are not paid. The current month may still be paid within it. Months are paid in order, so
 * everything after `paidThrough` is unpaid; `paidThrough` null means nothing paid since `fromMonth`.
 */
export function monthsInArrears(fromMonth: string, paidThrough: string | null, currentMonth: string): number {
  const lastPaid = paidThrough === null ? monthIndex(fromMonth) - 1 : monthIndex(paidThrough);
  return Math.max(0, monthIndex(currentMonth) - 1 - lastPaid);
}

/** The one month a payment may be for: the month after the last paid, or the first owed. */
export function nextDueMonth(fromMonth: string, paidThrough: string | null): string {
  return paidThrough === null ? fromMonth : monthOf(monthIndex(paidThrough) + 1);
}
