import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { PROJECT_ROOT } from '../shared/src/config';
import { pagedOperation } from '../shared/src/report/connection';
import { loadSupergraphSchema } from '../shared/src/report/terms';
import { reportWorkbook } from '../scripts/lib/report/workbook';
import { contractOperation, startStack, type Stack } from './helpers/stack';

const run = promisify(execFile);

describe('reports out: npm run export', () => {
  let stack: Stack;
  let token: string;
  let dir: string;
  /** Anshan's law firms as the API gives them, every page. */
  let ledger: { totalCount: number; nodes: any[] };

  /** The CLI as an analyst runs it, with the token and the gateway in the environment. */
  const exportCli = (args: string[], env: Record<string, string> = {}) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/export.ts', ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, SANJI_TOKEN: token, SANJI_GATEWAY_URL: stack.gatewayUrl, ...env },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
    );

  beforeAll(async () => {
    stack = await startStack();
    token = await stack.token({ tier: 'CITY', regionCode: '210300' });
    dir = mkdtempSync(join(tmpdir(), 'sanji-export-'));
    const nodes: any[] = [];
    let after: string | null = null;
    let totalCount = 0;
    do {
      const { body } = await stack.request(contractOperation('InstitutionLedger'), { code: '210300', first: 100, after }, token);
      const page: any = body.data.region.institutions;
      totalCount = page.totalCount;
      nodes.push(...page.edges.map((edge: any) => edge.node));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    ledger = { totalCount, nodes };
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await stack?.stop();
  });

  it('writes every institution of a city to .xlsx, with Chinese headings, a bold frozen heading row, and the API’s values', async () => {
    const out = join(dir, 'ledger.xlsx');
    const result = await exportCli(['--operation', 'InstitutionLedger', '--variables', '{"code":"210300"}', '--format', 'xlsx', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`wrote ${ledger.totalCount} rows of ${ledger.totalCount}`);
    // More than one page: the export pages, it does not stop at the first 100.
    expect(ledger.totalCount).toBeGreaterThan(100);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('InstitutionLedger');
    expect(sheet.rowCount).toBe(ledger.totalCount + 1);
    const headings = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headings).toEqual(expect.arrayContaining(['执业人数', '党员人数', '正式党员人数', '党组织覆盖情况', '行政区划·区划代码']));
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

    const column = (name: string) => headings.indexOf(name) + 1;
    const ids = new Set<string>();
    for (let r = 2; r <= sheet.rowCount; r++) ids.add(String(sheet.getRow(r).getCell(1).value));
    expect(ids).toEqual(new Set(ledger.nodes.map((node) => node.id)));
    // A covered institution's row, cell by cell, against the API's answer.
    const covered = ledger.nodes.find((node) => node.partyOrganization && node.practitionerCount > 0)!;
    const row = [...Array(sheet.rowCount).keys()].map((i) => sheet.getRow(i + 1)).find((r) => r.getCell(1).value === covered.id)!;
    expect(row.getCell(column('机构名称')).value).toBe(covered.name);
    expect(row.getCell(column('执业人数')).value).toBe(covered.practitionerCount);
    expect(row.getCell(column('正式党员人数')).value).toBe(covered.fullPartyMemberCount);
    expect(row.getCell(column('党组织覆盖情况')).value).toBe(covered.coverageStatus);
    expect(row.getCell(column('党组织·党组织名称')).value).toBe(covered.partyOrganization.name);
  });

  it('writes the same rows to a UTF-8 CSV with a byte-order mark, so Excel reads its Chinese right', async () => {
    const out = join(dir, 'ledger.csv');
    const result = await exportCli(['--operation', 'InstitutionLedger', '--variables', '{"code":"210300","kind":"LAW_FIRM"}', '--out', out]);
    expect(result.code).toBe(0);
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows: Record<string, string>[] = parse(bytes, { bom: true, columns: true });
    const lawFirms = ledger.nodes.filter((node) => node.kind === 'LAW_FIRM');
    expect(rows.length).toBe(lawFirms.length);
    const first = lawFirms[0];
    const row = rows.find((r) => r['编号'] === first.id)!;
    expect(row['机构名称']).toBe(first.name);
    expect(Number(row['党员人数'])).toBe(first.partyMemberCount);
    expect(row['行政区划·区划代码']).toBe(first.region.code);
  });

  it('pages an operation that has no cursor variable of its own, adding one', async () => {
    const file = join(dir, 'Names.graphql');
    writeFileSync(file, 'query Names($code: ID!) { region(code: $code) { institutions(first: 40) { edges { node { name } } } } }');
    expect(pagedOperation(loadSupergraphSchema(), readFileSync(file, 'utf8')).query).toMatch(/query Names\(\$code: ID!, \$after: String\)[\s\S]*institutions\(first: 40, after: \$after\)[\s\S]*endCursor/);
    const out = join(dir, 'names.csv');
    const result = await exportCli(['--operation', file, '--variables', '{"code":"210300"}', '--out', out]);
    expect(result.code).toBe(0);
    const rows: Record<string, string>[] = parse(readFileSync(out), { bom: true, columns: true });
    expect(rows.map((r) => r['机构名称']).sort()).toEqual(ledger.nodes.map((node) => node.name).sort());
  });

  it('says why when the region is outside the token’s tier, the token is missing, or the operation has no connection', async () => {
    const outside = await exportCli(['--operation', 'InstitutionLedger', '--variables', '{"code":"210200"}', '--out', join(dir, 'dalian.xlsx')]);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain('nothing at region.institutions: it does not exist, or it is outside your tier');
    const noToken = await exportCli(['--operation', 'InstitutionLedger', '--variables', '{"code":"210300"}', '--out', join(dir, 'x.xlsx')], { SANJI_TOKEN: '' });
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain('SANJI_TOKEN is not set');
    const noConnection = await exportCli(['--operation', 'ProvinceDashboard', '--variables', '{"code":"210300","year":2019,"awardYear":2016}', '--out', join(dir, 'x.xlsx')]);
    expect(noConnection.code).toBe(1);
    expect(noConnection.stderr).toContain('ProvinceDashboard selects no connection');
  });

  it('shows a rate as a percentage in Excel', () => {
    const schema = loadSupergraphSchema();
    const { columns } = pagedOperation(schema, 'query { regions(level: CITY) { code } institutions(first: 1) { edges { node { name } } } }');
    const rate = { path: ['rate'], key: 'rate', heading: '组织覆盖率', rate: true, list: false };
    const sheet = reportWorkbook('x', [...columns, rate], [{ name: 'a', rate: 0.753 }]).worksheets[0];
    expect(sheet.getRow(2).getCell(2).numFmt).toBe('0.0%');
    expect(sheet.getRow(2).getCell(2).value).toBe(0.753);
  });
});
