import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { extname } from 'node:path';
import { LEDGERS, type Column, type LedgerKind } from './columns';
import { CellProblem, codeCell, codesCell, dateCell, enumCell, headerKey, isBlank, textCell, type RawCell } from './normalize';

/** A file refused whole: not what its name says, no header row, a required column missing. */
export class LedgerRefused extends Error {}

export interface LedgerRow {
  /** The row's number in the file: the spreadsheet's row, or the CSV's line. */
  line: number;
  /** The row as the import mutation takes it. */
  input: Record<string, unknown>;
}

/** A cell that cannot be read, by its row and its column's header. */
export interface LedgerProblem {
  line: number;
  column: string;
  message: string;
}

export interface Ledger {
  kind: LedgerKind;
  format: 'xlsx' | 'csv';
  /** For a CSV file, the encoding it was read in. */
  encoding?: string;
  rows: LedgerRow[];
  problems: LedgerProblem[];
  warnings: string[];
}

interface GridLine {
  line: number;
  cells: RawCell[];
}

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** How far down a title and notes may push the header row. */
const HEADER_SEARCH_LINES = 20;

/**
 * Which reader a file needs, by its name and checked against its first bytes: an .xlsx workbook
 * is a zip archive; anything else named .xlsx, or a workbook named .csv, is refused.
 */
export function formatOf(fileName: string, bytes: Buffer): 'xlsx' | 'csv' {
  const extension = extname(fileName).toLowerCase();
  const isZip = bytes.subarray(0, 4).equals(ZIP);
  const isOle = bytes.subarray(0, 8).equals(OLE);
  if (isOle) throw new LedgerRefused(`${fileName} is an Excel 97-2003 workbook (.xls): open it in Excel or WPS and save it as .xlsx.`);
  if (extension === '.xlsx') {
    if (isZip) return 'xlsx';
    throw new LedgerRefused(`${fileName} is not an Excel workbook: an .xlsx file begins as a zip archive and this one does not. If it is CSV, name it .csv.`);
  }
  if (extension === '.csv' || extension === '.txt') {
    if (isZip) throw new LedgerRefused(`${fileName} is an Excel workbook (a zip archive), not CSV: name it .xlsx.`);
    return 'csv';
  }
  throw new LedgerRefused(`${fileName}: a ledger is an .xlsx workbook or a .csv file.`);
}

/**
 * The text of a CSV file: UTF-8 with or without its BOM, UTF-16 with its BOM, and otherwise, when
 * the bytes are not valid UTF-8, GB18030 (which contains GBK and GB2312), as Excel and WPS save
 * CSV on a Chinese Windows.
 */
export function decodeCsv(bytes: Buffer): { text: string; encoding: string } {
  if (bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))) return { text: bytes.subarray(3).toString('utf8'), encoding: 'UTF-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: iconv.decode(bytes.subarray(2), 'utf-16le'), encoding: 'UTF-16LE' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: iconv.decode(bytes.subarray(2), 'utf-16be'), encoding: 'UTF-16BE' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'UTF-8' };
  } catch {
    return { text: iconv.decode(bytes, 'gb18030'), encoding: 'GB18030' };
  }
}

async function xlsxGrid(bytes: Buffer): Promise<GridLine[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    throw new LedgerRefused(`the workbook cannot be read (${(err as Error).message}): open it in Excel or WPS and save it again as .xlsx.`);
  }
  // The first sheet that holds anything: a workbook often opens with an empty or a notes sheet.
  const sheet = workbook.worksheets.find((s) => s.state !== 'hidden' && s.actualRowCount > 0);
  if (!sheet) throw new LedgerRefused('the workbook has no sheet with rows in it.');
  const grid: GridLine[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    // `values` counts columns from 1; a merged cell reads as its merge's first cell.
    grid.push({ line, cells: (row.values as RawCell[]).slice(1) });
  });
  return grid;
}

function csvGrid(text: string): GridLine[] {
  const records = parse(text, { relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true, delimiter: [',', '\t'] }) as unknown as {
    record: string[];
    info: { lines: number };
  }[];
  return records.map(({ record, info }) => ({ line: info.lines, cells: record }));
}

/** Reads a ledger file of the given kind into the rows of its import mutation. */
export async function readLedger(kind: LedgerKind, fileName: string, bytes: Buffer): Promise<Ledger> {
  const format = formatOf(fileName, bytes);
  let encoding: string | undefined;
  let grid: GridLine[];
  if (format === 'xlsx') {
    grid = await xlsxGrid(bytes);
  } else {
    const decoded = decodeCsv(bytes);
    encoding = decoded.encoding;
    grid = csvGrid(decoded.text);
  }
  return { kind, format, encoding, ...rowsOf(kind, grid) };
}

function matchColumn(columns: readonly Column[], cell: RawCell): Column | undefined {
  let key: string;
  try {
    key = headerKey(textCell(cell));
  } catch {
    return undefined;
  }
  return columns.find((c) => [c.header, ...(c.aliases ?? [])].some((h) => headerKey(h) === key));
}

function rowsOf(kind: LedgerKind, grid: GridLine[]): Omit<Ledger, 'kind' | 'format' | 'encoding'> {
  const { columns, title } = LEDGERS[kind];
  const warnings: string[] = [];

  // The header row is the one naming the most known columns, below any title or merged group headings.
  let header: GridLine | undefined;
  let best = 0;
  for (const line of grid.slice(0, HEADER_SEARCH_LINES)) {
    const matched = new Set(line.cells.map((cell) => matchColumn(columns, cell)).filter(Boolean)).size;
    if (matched > best) [header, best] = [line, matched];
  }
  if (!header) throw new LedgerRefused(`no row of the file names the columns of a ${title} (${columns.map((c) => c.header).join('、')}).`);

  const at = new Map<Column, number>();
  header.cells.forEach((cell, index) => {
    const column = matchColumn(columns, cell);
    const name = isBlank(cell) ? '' : textCell(cell);
    if (column && !at.has(column)) at.set(column, index);
    else if (column && textCell(header!.cells[index - 1]) !== name) warnings.push(`the column ${name} appears twice: the first one is read.`);
    else if (!column && name) warnings.push(`the column ${name} is not part of a ${title}: it is ignored.`);
  });
  const missing = columns.filter((c) => c.required && !at.has(c));
  if (missing.length > 0) {
    throw new LedgerRefused(`the file has no column ${missing.map((c) => c.header).join('、')}, which a ${title} needs (header row ${header.line}).`);
  }

  const rows: LedgerRow[] = [];
  const problems: LedgerProblem[] = [];
  for (const line of grid.filter((l) => l.line > header!.line)) {
    const cells = [...at].map(([column, index]) => [column, line.cells[index]] as const);
    if (cells.every(([, raw]) => isBlank(raw))) continue;
    const input: Record<string, unknown> = {};
    for (const [column, raw] of cells) {
      if (isBlank(raw)) {
        if (column.required) problems.push({ line: line.line, column: column.header, message: 'the cell is empty; the column is required.' });
        continue;
      }
      try {
        input[column.field] = readCell(column, raw);
      } catch (err) {
        if (!(err instanceof CellProblem)) throw err;
        problems.push({ line: line.line, column: column.header, message: err.message });
      }
    }
    if (isTemplateExample(kind, input)) {
      warnings.push(`row ${line.line} is the template's example: it is skipped.`);
      continue;
    }
    rows.push({ line: line.line, input });
  }
  return { rows, problems, warnings };
}

function readCell(column: Column, raw: RawCell): unknown {
  switch (column.type) {
    case 'text':
      return textCell(raw);
    case 'code':
      return codeCell(raw);
    case 'codes':
      return codesCell(raw);
    case 'date':
      return dateCell(raw);
    case 'enum':
      return enumCell(raw, column.values!);
  }
}

/** Whether a row is the example row the template came with, left in by mistake. */
export function isTemplateExample(kind: LedgerKind, input: Record<string, unknown>): boolean {
  return LEDGERS[kind].columns.every((column) => {
    if (!column.example) return input[column.field] === undefined;
    try {
      return JSON.stringify(input[column.field]) === JSON.stringify(readCell(column, column.example));
    } catch {
      return false;
    }
  });
}
