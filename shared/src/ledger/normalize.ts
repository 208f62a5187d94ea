import { isCalendarDate } from '../validation';

/**
 * How the cells of a ledger are read, as people type them: full-width digits (２０１９), spaces and
 * full-width spaces around a value, dates as Excel serial numbers, as date cells or as text in
 * any of the ways a station writes them. A cell that cannot be read is a `CellProblem`, which
 * names what is wrong; the reader adds the row and the column.
 */
export class CellProblem extends Error {}

/** What a cell holds once exceljs or csv-parse has read it. */
export type RawCell = string | number | boolean | Date | null | undefined | { [key: string]: unknown };

/** Every space a spreadsheet holds: ASCII, no-break, full-width (U+3000), zero-width. */
const SPACES = /[\s\u00a0\u3000\u200b\ufeff]+/g;

/** A header as compared with the known headers: half-width, no spaces, no required-marks or colons. */
export function headerKey(text: string): string {
  return text.normalize('NFKC').replace(SPACES, '').replace(/[*:：]/g, '');
}

/** A free-text cell (a name): the spaces around it go; full-width brackets in a name stay as registered. */
export function textCell(raw: RawCell): string {
  return plain(raw).replace(/^[\s\u00a0\u3000\u200b\ufeff]+|[\s\u00a0\u3000\u200b\ufeff]+$/g, '');
}

/**
 * A code (ID number, licence, region code, phone): half-width, no spaces, capital letters. A
 * number too large to be exact has lost digits already: the file must hold the column as text.
 */
export function codeCell(raw: RawCell): string {
  if (typeof raw === 'number' && !Number.isSafeInteger(raw)) {
    throw new CellProblem(`the number ${raw} was stored as a number and has lost digits: format the column as text and type it again.`);
  }
  return plain(raw).normalize('NFKC').replace(SPACES, '').toUpperCase();
}

/** Several codes in one cell. */
export function codesCell(raw: RawCell): string[] {
  return plain(raw)
    .normalize('NFKC')
    .split(/[,，;；、\n\r/|]+/)
    .map((code) => code.replace(SPACES, '').toUpperCase())
    .filter((code) => code.length > 0);
}

/** One of an enumeration, by its Chinese term or its GraphQL value. */
export function enumCell(raw: RawCell, values: Readonly<Record<string, string>>): string {
  const text = plain(raw).normalize('NFKC').replace(SPACES, '');
  for (const [value, term] of Object.entries(values)) {
    if (text === term || text.toUpperCase() === value) return value;
  }
  throw new CellProblem(`"${text}" is not one of ${Object.values(values).join('、')}.`);
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const DAY = 86_400_000;

/**
 * A date as `YYYY-MM-DD`, from a date cell, an Excel serial number (days since 1899-12-30, as
 * Excel counts them), or text: `2019-03-01`, `2019/3/1`, `2019.3.1`, `2019年3月1日`, `20190301`, in
 * half- or full-width digits, with or without a time of day after it.
 */
export function dateCell(raw: RawCell): string {
  if (raw instanceof Date) {
    if (Number.isNaN(raw.getTime())) throw new CellProblem('the date cell holds no date.');
    // exceljs reads a date cell as the UTC midnight of the day shown.
    return raw.toISOString().slice(0, 10);
  }
  if (typeof raw === 'number') return fromSerial(raw);
  const text = plain(raw).normalize('NFKC').replace(/^[\s]+|[\s]+$/g, '').replace(/\s+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/, '');
  if (/^\d{5}(\.\d+)?$/.test(text)) return fromSerial(Number(text));
  const match = /^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) throw new CellProblem(`"${text}" is not a date: write it as 2019-03-01, 2019/3/1, 2019.3.1 or 2019年3月1日.`);
  const date = `${match[1]}-${match[2].padStart(2, '0')}-${match[3].padStart(2, '0')}`;
  if (!isCalendarDate(date)) throw new CellProblem(`"${text}" is not a day of the calendar.`);
  return date;
}

function fromSerial(serial: number): string {
  // 2958465 is 9999-12-31, the last day Excel knows.
  if (!(serial >= 1 && serial <= 2_958_465)) throw new CellProblem(`${serial} is not a date Excel can hold.`);
  return new Date(EXCEL_EPOCH + Math.floor(serial) * DAY).toISOString().slice(0, 10);
}

/** The text of a cell as exceljs gives it: rich text, a formula's result, a hyperlink's text. */
export function plain(raw: RawCell): string {
  if (raw === null || raw === undefined) return '';
  if (raw instanceof Date) return raw.toISOString().slice(0, 10);
  if (typeof raw !== 'object') return String(raw);
  if (Array.isArray(raw.richText)) return (raw.richText as { text: string }[]).map((part) => part.text).join('');
  if ('result' in raw) return plain(raw.result as RawCell);
  if ('text' in raw) return plain(raw.text as RawCell);
  if ('error' in raw) throw new CellProblem(`the cell holds the error ${String(raw.error)}.`);
  return '';
}

/** Whether a cell holds nothing but spaces. */
export function isBlank(raw: RawCell): boolean {
  if (raw instanceof Date || typeof raw === 'number') return false;
  try {
    return plain(raw).replace(SPACES, '') === '';
  } catch {
    // An error value (#N/A) is something, and reading it says so.
    return false;
  }
}
