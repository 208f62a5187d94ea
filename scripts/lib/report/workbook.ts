import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { cellValue, type ReportColumn } from '../../../shared/src/report/connection';

export type ReportFormat = 'xlsx' | 'csv';

/** Excel's own format for a fraction shown as a percentage. */
const PERCENT = '0.0%';

/** The rows as one sheet: a bold, frozen heading row in Chinese, rates as percentages. */
export function reportWorkbook(sheetName: string, columns: readonly ReportColumn[], records: readonly unknown[]): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Sanji';
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31) || 'report', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({
    header: column.heading,
    key: column.key,
    width: Math.min(40, Math.max(10, column.heading.length * 2 + 2)),
    ...(column.rate ? { style: { numFmt: PERCENT } } : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  for (const record of records) sheet.addRow(columns.map((column) => cellValue(record, column)));
  if (records.length > 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return workbook;
}

/**
 * The report as the bytes of a file. CSV is UTF-8 with a byte-order mark, which is how Excel
 * knows the Chinese in it is UTF-8 (without it, Excel on Chinese Windows reads GBK); rates stay
 * fractions there, as a CSV carries values, not formats.
 */
export async function reportFile(format: ReportFormat, sheetName: string, columns: readonly ReportColumn[], records: readonly unknown[]): Promise<Buffer> {
  const workbook = reportWorkbook(sheetName, columns, records);
  if (format === 'xlsx') return Buffer.from(await workbook.xlsx.writeBuffer());
  const chunks: Buffer[] = [];
  const sink = new PassThrough().on('data', (chunk: Buffer) => chunks.push(chunk));
  await workbook.csv.write(sink, { formatterOptions: { writeBOM: true } } as never);
  return Buffer.concat(chunks);
}
