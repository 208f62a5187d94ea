import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PROJECT_ROOT } from '../shared/src/config';
import { idNumberCheckCharacter } from '../shared/src/id-number';
import { startStack, type Stack } from './helpers/stack';

/**
 * A county clerk brings the station's ledgers in with `npm run import`, against the running
 * stack: a template filled in Excel, and a CSV saved by WPS on a Chinese Windows, in GBK, with a
 * title line and the habits of people who type dates and numbers by hand.
 */

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

function idNumber(birth: string, serial: number): string {
  const first17 = `210302${birth.replaceAll('-', '')}${String(700 + serial)}`;
  return first17 + idNumberCheckCharacter(first17);
}

describe('npm run import against the running stack', () => {
  let stack: Stack;
  let db: Client;
  let dir: string;
  let token: string;
  let hongyangLicence: string;

  const run = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'scripts/import.ts', ...args],
        { cwd: PROJECT_ROOT, env: { ...process.env, SANJI_TOKEN: token, SANJI_GATEWAY_URL: stack.gatewayUrl, NODE_ENV: 'development' } },
        (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  const people = async (idNumbers: string[]) =>
    (await db.query(`SELECT name, birth_date::text AS birth, phone, education FROM members.member WHERE id_number = ANY($1) ORDER BY name`, [idNumbers])).rows;

  beforeAll(async () => {
    stack = await startStack();
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    dir = mkdtempSync(join(tmpdir(), 'sanji-import-'));
    token = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'], subject: 'tiedong-clerk' });
    hongyangLicence = (await db.query(`SELECT license_number FROM organization.institution WHERE name = '辽宁弘扬律师事务所'`)).rows[0].license_number;
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.end();
    await stack?.stop();
  });

  it('a template filled in Excel: a dry run, then --apply, then the same file again changes nothing', async () => {
    const template = join(dir, 'members.xlsx');
    const made = await run('--template', 'members', '--out', template);
    expect(made.status).toBe(0);

    // The clerk types over the example row and adds two more, as Excel stores them: dates as date cells.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(template);
    const sheet = workbook.worksheets[0];
    const ids = [idNumber('1986-02-14', 1), idNumber('1991-07-30', 2), idNumber('1983-12-01', 3)];
    const rows = [
      ['孙丽', '女', '汉族', new Date(Date.UTC(1986, 1, 14)), ids[0], '本科', '13811110001', hongyangLicence, '律师', '12103201990000101', ''],
      ['周强', '男', '回族', new Date(Date.UTC(1991, 6, 30)), ids[1], '硕士研究生', '13811110002', hongyangLicence, '律师', '12103201990000102', ''],
      ['吴站员', '男', '汉族', new Date(Date.UTC(1983, 11, 1)), ids[2], '大专', '', '', '', '', '210302'],
    ];
    rows.forEach((values, i) => {
      const row = sheet.getRow(i + 2);
      values.forEach((value, j) => (row.getCell(j + 1).value = value === '' ? null : value));
      row.commit();
    });
    const filled = join(dir, 'filled.xlsx');
    await workbook.xlsx.writeFile(filled);

    const dry = await run('--kind', 'members', '--file', filled);
    expect(dry.stdout).toContain('人员台账: 3 rows, 3 fine — 3 new, 0 changed, 0 unchanged (dry run, nothing written (add --apply to write)).');
    expect(dry.status).toBe(0);
    expect(await people(ids)).toEqual([]);

    const applied = await run('--kind', 'members', '--file', filled, '--apply');
    expect(applied.stdout).toContain('3 new, 0 changed, 0 unchanged (written).');
    expect(await people(ids)).toEqual([
      { name: '吴站员', birth: '1983-12-01', phone: null, education: 'JUNIOR_COLLEGE' },
      { name: '周强', birth: '1991-07-30', phone: '13811110002', education: 'MASTER' },
      { name: '孙丽', birth: '1986-02-14', phone: '13811110001', education: 'BACHELOR' },
    ]);

    const again = await run('--kind', 'members', '--file', filled, '--apply');
    expect(again.stdout).toContain('3 rows, 3 fine — 0 new, 0 changed, 3 unchanged');
    expect(again.status).toBe(0);
  });

  it('a messy GBK CSV: read, checked, applied, and the same file again changes nothing', async () => {
    const ids = [idNumber('1988-04-12', 4), idNumber('1979-11-02', 5), idNumber('1993-03-01', 6)];
    const fullWidth = (text: string) => text.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    const csv = [
      '鞍山市铁东区律师行业党员台账（2019年）,,,,,,,,,',
      ' 姓　名 ,性 别,民族,出生日期,身份证号, 手机号 ,学历,执业机构执业许可证号,执业证号,备注',
      `郑红,女,汉族,1988.4.12,${fullWidth(ids[0])},138 2222 0001,本科,${hongyangLicence},12103201990000201,`,
      `钱伟,男,满族,1979年11月2日,${ids[1].toLowerCase()},,硕士研究生,${hongyangLicence},12103201990000202,党支部委员`,
      ',,,,,,,,,',
      `冯静,女,汉族,${fullWidth('1993/3/1')},${ids[2]},13822220003,本科,${hongyangLicence},${fullWidth('12103201990000203')},`,
    ].join('\r\n');
    const file = join(dir, 'ledger.csv');
    writeFileSync(file, iconv.encode(csv, 'gbk'));

    const dry = await run('--kind', 'members', '--file', file);
    expect(dry.stderr).toContain('note: read as GB18030.');
    expect(dry.stderr).toContain('warning: the column 备注 is not part of a 人员台账: it is ignored.');
    expect(dry.stdout).toContain('3 rows, 3 fine — 3 new, 0 changed, 0 unchanged (dry run');
    expect(await people(ids)).toEqual([]);

    const applied = await run('--kind', 'members', '--file', file, '--apply');
    expect(applied.stdout).toContain('3 new, 0 changed, 0 unchanged (written).');
    expect(await people(ids)).toEqual([
      { name: '冯静', birth: '1993-03-01', phone: '13822220003', education: 'BACHELOR' },
      { name: '郑红', birth: '1988-04-12', phone: '13822220001', education: 'BACHELOR' },
      { name: '钱伟', birth: '1979-11-02', phone: null, education: 'MASTER' },
    ]);
    const trail = await db.query(`SELECT count(*)::int AS n FROM members.audit_log WHERE actor = 'tiedong-clerk' AND action = 'importMembers'`);
    expect(trail.rows[0].n).toBe(2);

    const again = await run('--kind', 'members', '--file', file, '--apply');
    expect(again.stdout).toContain('0 new, 0 changed, 3 unchanged');
  });

  it('prints the rows with errors as a table of row, Chinese column, code and message, and writes nothing', async () => {
    const file = join(dir, 'bad.csv');
    const ok = idNumber('1990-05-05', 7);
    writeFileSync(
      file,
      ['姓名,性别,民族,出生日期,公民身份号码,手机号码,执业机构执业许可证号,执业证号', `陈好,女,汉族,1990-05-05,${ok},13833330001,${hongyangLicence},12103201990000301`, `陈坏,男,汉族,1990-05-06,210302199005060000,12345,${hongyangLicence},12103201990000302`].join('\n'),
    );
    const result = await run('--kind', 'members', '--file', file, '--apply');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('2 rows, 1 fine — 1 new, 0 changed, 0 unchanged (nothing written).');
    const table = result.stdout.trimEnd().split('\n').slice(-4);
    expect(table[0]).toMatch(/^row\s+column\s+code\s+message$/);
    expect(table[2]).toMatch(/^3\s+公民身份号码\s+BAD_USER_INPUT\s+idNumber is not a valid resident ID number/);
    expect(table[3]).toMatch(/^3\s+手机号码\s+BAD_USER_INPUT\s+phone must be an 11-digit mobile number\./);
    expect(await people([ok])).toEqual([]);
  });

  it('refuses a file that is not what its name says, and one without a required column', async () => {
    const pretend = join(dir, 'pretend.xlsx');
    writeFileSync(pretend, '姓名,性别\n王,女\n');
    const refused = await run('--kind', 'members', '--file', pretend);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('refused: pretend.xlsx is not an Excel workbook: an .xlsx file begins as a zip archive and this one does not.');

    const missing = join(dir, 'missing.csv');
    writeFileSync(missing, '姓名,性别,民族,出生日期\n王,女,汉族,1990-01-01\n');
    const noColumn = await run('--kind', 'members', '--file', missing);
    expect(noColumn.status).toBe(1);
    expect(noColumn.stderr).toContain('refused: the file has no column 公民身份号码, which a 人员台账 needs');
  });
});
