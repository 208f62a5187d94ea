import ExcelJS from 'exceljs';
import { buildSchema, getNamedType, isEnumType, isInputObjectType } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../config';
import iconv from 'iconv-lite';
import { LEDGERS } from './columns';
import { CellProblem, codeCell, codesCell, dateCell, enumCell, headerKey, textCell } from './normalize';
import { decodeCsv, formatOf, LedgerRefused, readLedger } from './read';
import { ledgerTemplate } from './template';

/** Ledgers as the stations keep them, cell by cell. */

describe('reading a cell', () => {
  it.each([
    ['2019-03-01', '2019-03-01'],
    ['2019/3/1', '2019-03-01'],
    ['2019.3.1', '2019-03-01'],
    ['2019年3月1日', '2019-03-01'],
    ['2019 年 3 月 1 日', '2019-03-01'],
    ['２０１９年３月１日', '2019-03-01'],
    ['２０１９．０３．０１', '2019-03-01'],
    ['20190301', '2019-03-01'],
    ['2019-03-01 00:00:00', '2019-03-01'],
    ['　2019/3/1　', '2019-03-01'],
    ['43525', '2019-03-01'],
  ])('reads the date %j as %s', (text, date) => {
    expect(dateCell(text)).toBe(date);
  });

  it('reads an Excel serial number and a date cell', () => {
    expect(dateCell(43525)).toBe('2019-03-01');
    expect(dateCell(43525.75)).toBe('2019-03-01');
    expect(dateCell(1)).toBe('1899-12-31');
    expect(dateCell(new Date(Date.UTC(2019, 2, 1)))).toBe('2019-03-01');
  });

  it('refuses what is not a day, saying how to write one', () => {
    expect(() => dateCell('2019-02-30')).toThrow(new CellProblem('"2019-02-30" is not a day of the calendar.'));
    expect(() => dateCell('三月一日')).toThrow(/is not a date: write it as 2019-03-01/);
    expect(() => dateCell(-5)).toThrow(CellProblem);
  });

  it('makes codes half-width, without spaces, in capitals', () => {
    expect(codeCell('２１０３０２１９８５０６１５１２３ｘ')).toBe('21030219850615123X');
    expect(codeCell(' 2103 0219 8506 1512 3x ')).toBe('21030219850615123X');
    expect(codeCell(13812345678)).toBe('13812345678');
    expect(codeCell({ richText: [{ text: '2103' }, { text: '02' }] })).toBe('210302');
    expect(codeCell({ formula: 'A1', result: '210302' })).toBe('210302');
  });

  it('refuses an ID number Excel stored as a number, which has lost its last digits', () => {
    expect(() => codeCell(210302198506151230)).toThrow(/stored as a number and has lost digits: format the column as text/);
  });

  it('keeps a name as registered, only the spaces around it going', () => {
    expect(textCell('　中共辽宁示例（联合）支部委员会 ')).toBe('中共辽宁示例（联合）支部委员会');
  });

  it('reads an enumeration by its Chinese term or its value, and names the terms when neither matches', () => {
    const gender = LEDGERS.members.columns.find((c) => c.field === 'gender')!.values!;
    expect(enumCell(' 女 ', gender)).toBe('FEMALE');
    expect(enumCell('male', gender)).toBe('MALE');
    expect(() => enumCell('F', gender)).toThrow(new CellProblem('"F" is not one of 男、女.'));
  });

  it('splits a cell of several licences however they are separated', () => {
    expect(codesCell('A1，B2；C3、 D4\nE5')).toEqual(['A1', 'B2', 'C3', 'D4', 'E5']);
  });

  it('compares headers without spaces, full-width spaces or required marks', () => {
    expect(headerKey(' 姓　名 ')).toBe('姓名');
    expect(headerKey('出生日期*')).toBe('出生日期');
    expect(headerKey('公民身份号码：')).toBe('公民身份号码');
  });
});

describe('reading a file', () => {
  const csvLines = (...lines: string[]) => lines.join('\r\n');

  it('tells a workbook from CSV by its first bytes, whatever its name says', () => {
    const zip = Buffer.from('PK\u0003\u0004rest', 'latin1');
    expect(formatOf('ledger.xlsx', zip)).toBe('xlsx');
    expect(() => formatOf('ledger.xlsx', Buffer.from('姓名,性别\n'))).toThrow(new LedgerRefused(
      'ledger.xlsx is not an Excel workbook: an .xlsx file begins as a zip archive and this one does not. If it is CSV, name it .csv.',
    ));
    expect(() => formatOf('ledger.csv', zip)).toThrow(/is an Excel workbook \(a zip archive\), not CSV: name it \.xlsx/);
    expect(() => formatOf('ledger.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toThrow(/97-2003 workbook/);
  });

  it('decodes UTF-8 with and without its BOM, UTF-16, and GBK when the bytes are not UTF-8', () => {
    expect(decodeCsv(Buffer.from('\ufeff姓名'))).toEqual({ text: '姓名', encoding: 'UTF-8' });
    expect(decodeCsv(Buffer.from('姓名'))).toEqual({ text: '姓名', encoding: 'UTF-8' });
    expect(decodeCsv(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('姓名', 'utf-16le')]))).toEqual({ text: '姓名', encoding: 'UTF-16LE' });
    expect(decodeCsv(iconv.encode('姓名,性别', 'gbk'))).toEqual({ text: '姓名,性别', encoding: 'GB18030' });
  });

  it('reads a GBK CSV with a title line, spaced headers, an extra column and messy cells', async () => {
    const csv = csvLines(
      '铁东区律师人员台账,,,,,,,,',
      ' 姓 名 ,性别,民族,出生日期,身份证号,手机号,执业机构执业许可证号,执业证号,备注',
      '王晓燕,女,汉族,1988.4.12,２１０３０２１９８８０４１２３０２３,138 1234 0000,31210302MA0000001X,12103201991000001,',
      ',,,,,,,,',
      '李建国,男,汉族,1979年11月2日,210302197911023013,,31210302MA0000001X,12103201991000002,新调入',
    );
    const ledger = await readLedger('members', 'ledger.csv', iconv.encode(csv, 'gbk'));
    expect(ledger.encoding).toBe('GB18030');
    expect(ledger.warnings).toEqual(['the column 备注 is not part of a 人员台账: it is ignored.']);
    expect(ledger.problems).toEqual([]);
    expect(ledger.rows).toEqual([
      {
        line: 3,
        input: {
          name: '王晓燕', gender: 'FEMALE', ethnicity: '汉族', birthDate: '1988-04-12', idNumber: '210302198804123023', phone: '13812340000',
          institutionLicenseNumber: '31210302MA0000001X', licenseNumber: '12103201991000001',
        },
      },
      {
        line: 5,
        input: {
          name: '李建国', gender: 'MALE', ethnicity: '汉族', birthDate: '1979-11-02', idNumber: '210302197911023013',
          institutionLicenseNumber: '31210302MA0000001X', licenseNumber: '12103201991000002',
        },
      },
    ]);
  });

  it('refuses a file without a required column, naming it', async () => {
    const csv = csvLines('姓名,性别,民族,出生日期', '王晓燕,女,汉族,1988-04-12');
    await expect(readLedger('members', 'ledger.csv', Buffer.from(csv))).rejects.toThrow(
      new LedgerRefused('the file has no column 公民身份号码, which a 人员台账 needs (header row 1).'),
    );
  });

  it('names the row and the column of every cell it cannot read', async () => {
    const csv = csvLines('姓名,性别,民族,出生日期,公民身份号码', '王晓燕,F,汉族,1988-02-30,210302198804123023', '李建国,,汉族,1979-11-02,210302197911023013');
    const ledger = await readLedger('members', 'ledger.csv', Buffer.from(csv));
    expect(ledger.problems).toEqual([
      { line: 2, column: '性别', message: '"F" is not one of 男、女.' },
      { line: 2, column: '出生日期', message: '"1988-02-30" is not a day of the calendar.' },
      { line: 3, column: '性别', message: 'the cell is empty; the column is required.' },
    ]);
  });

  it('reads a workbook with merged header cells, date cells, serial numbers and an ID number kept as text', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('台账');
    sheet.addRow(['铁东区律师事务所台账']);
    sheet.mergeCells('A1:G1');
    sheet.addRow(['机构名称', '行业类别', '执业许可证号', '所在地区代码', '批准设立日期', '', '执业状态']);
    // A header merged over two columns, the data under its first.
    sheet.mergeCells('E2:F2');
    sheet.addRow(['辽宁甲律师事务所', '律师事务所', '31210302MA0000001X', '210302', new Date(Date.UTC(2015, 2, 1)), '', '在业']);
    sheet.addRow(['辽宁乙律师事务所', '律师事务所', '31210302MA0000002X', 210302, 43525, '', '']);
    const ledger = await readLedger('institutions', 'ledger.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(ledger.warnings).toEqual([]);
    expect(ledger.problems).toEqual([]);
    expect(ledger.rows).toEqual([
      { line: 3, input: { name: '辽宁甲律师事务所', kind: 'LAW_FIRM', licenseNumber: '31210302MA0000001X', regionCode: '210302', approvedOn: '2015-03-01', state: 'OPERATING' } },
      { line: 4, input: { name: '辽宁乙律师事务所', kind: 'LAW_FIRM', licenseNumber: '31210302MA0000002X', regionCode: '210302', approvedOn: '2019-03-01' } },
    ]);
  });
});

describe('the columns', () => {
  it('fill the fields of each import input, with every value of each enumeration', () => {
    const schema = buildSchema(readFileSync(join(PROJECT_ROOT, 'supergraph.graphql'), 'utf8'), { assumeValidSDL: true });
    for (const { input, columns } of Object.values(LEDGERS)) {
      const type = schema.getType(input);
      if (!isInputObjectType(type)) throw new Error(`${input} is not an input type of the supergraph`);
      expect(columns.map((c) => c.field).sort()).toEqual(Object.keys(type.getFields()).sort());
      for (const column of columns.filter((c) => c.values)) {
        const named = getNamedType(type.getFields()[column.field].type);
        expect(isEnumType(named) && named.getValues().map((v) => v.name).sort()).toEqual(Object.keys(column.values!).sort());
      }
    }
  });
});

describe('a template', () => {
  it('has the Chinese header row, an example row and drop-down lists of the enumerations, and reads back as no rows', async () => {
    const bytes = await ledgerTemplate('members');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('人员台账');
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(LEDGERS.members.columns.map((c) => c.header));
    expect(sheet.getCell('A2').value).toBe('张示例');
    expect(sheet.getCell('B3').dataValidation).toMatchObject({ type: 'list', formulae: ['"男,女"'] });
    expect(sheet.getCell('F5000').dataValidation).toMatchObject({ type: 'list', formulae: ['"高中及以下,大专,本科,硕士研究生,博士研究生"'] });
    const ledger = await readLedger('members', 'members.xlsx', bytes);
    expect(ledger.rows).toEqual([]);
    expect(ledger.warnings).toEqual(["row 2 is the template's example: it is skipped."]);
  });
});
