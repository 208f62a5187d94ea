import ExcelJS from 'exceljs';
import { LEDGERS, type LedgerKind } from './columns';
import { MAX_IMPORT_ROWS } from '../import';

/**
 * A ledger template: one sheet, the Chinese header row, an example row, and drop-down lists of
 * the enumerations' Chinese terms down every row an import takes. Code columns are text, so Excel
 * keeps an ID number's 18 digits; date columns show dates as 2019-03-01.
 */
export async function ledgerTemplate(kind: LedgerKind): Promise<Buffer> {
  const { title, columns } = LEDGERS[kind];
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Sanji';
  const sheet = workbook.addWorksheet(title, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({
    header: column.header,
    key: column.field,
    width: Math.max(12, column.header.length * 2 + 4, column.example.length + 4),
    style: column.type === 'code' || column.type === 'codes' ? { numFmt: '@' } : column.type === 'date' ? { numFmt: 'yyyy-mm-dd' } : {},
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  columns.forEach((column, index) => {
    if (column.required) header.getCell(index + 1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFCE4D6' } };
  });
  sheet.addRow(Object.fromEntries(columns.map((c) => [c.field, c.type === 'date' && c.example ? new Date(`${c.example}T00:00:00Z`) : c.example])));
  const lastRow = MAX_IMPORT_ROWS + 1;
  columns.forEach((column, index) => {
    if (column.type !== 'enum') return;
    const letter = sheet.getColumn(index + 1).letter;
    // exceljs writes a range's validation once, though its typings do not list the worksheet's set.
    (sheet as unknown as { dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void } }).dataValidations.add(`${letter}2:${letter}${lastRow}`, {
      type: 'list',
      allowBlank: !column.required,
      formulae: [`"${Object.values(column.values!).join(',')}"`],
      showErrorMessage: true,
      errorTitle: column.header,
      error: `请从列表中选择：${Object.values(column.values!).join('、')}`,
    });
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
