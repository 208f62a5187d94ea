/// <reference lib="dom" />
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../shared/src/config';
import { startStack, type Stack } from './helpers/stack';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(PROJECT_ROOT, 'test-artifacts');
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser) {
  console.warn(`The explorer's browser test is skipped: no Chromium at ${CHROMIUM}. Install one with \`apt-get install chromium fonts-noto-cjk\` (or set CHROMIUM_PATH).`);
}

(haveBrowser ? describe : describe.skip)('the explorer in a browser', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    // The demo viewers' picker, as `npm start` on the embedded database offers it to this machine.
    stack = await startStack({ demoTokens: true });
    // The flags keep a headless Chromium from calling home on a closed network.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('an analyst picks a viewer, runs ProvinceDashboard and reads Liaoning on the page, with nothing loaded from outside', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const origin = new URL(stack.gatewayUrl).origin;
    const outside: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(origin) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) outside.push(request.url());
    });
    await page.goto(`${origin}/`);
    await page.selectOption('select[aria-label="Demo viewer"]', { label: '辽宁省 · PROVINCE' });
    const tab = page.getByRole('tab', { name: /^ProvinceDashboard/ });
    await tab.waitFor();
    await tab.click();
    await page.locator('.graphiql-query-editor', { hasText: 'query ProvinceDashboard' }).waitFor();
    // GraphiQL takes the operation's name from the editor after a short debounce.
    await page.waitForTimeout(500);
    await page.locator('.graphiql-execute-button').click();
    await page
      .waitForFunction(() => document.querySelector('.result-window')?.textContent?.includes('辽宁省'), undefined, { timeout: 20_000 })
      .catch(async (err: Error) => {
        await page.screenshot({ path: join(ARTIFACTS, 'explorer-province-dashboard-failed.png') });
        throw err;
      });
    const result = await page.locator('.result-window').textContent();
    // The result pane renders the lines in view: the province's own figures.
    expect(result).toContain('"code": "210000"');
    expect(result).toContain('"institutions": 1058');
    expect(result).toContain('"practitioners": 12599');
    await page.screenshot({ path: join(ARTIFACTS, 'explorer-province-dashboard.png') });
    expect(outside).toEqual([]);
  });

  it('opens with every contract operation as a tab, and documents the schema in the explorer', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${new URL(stack.gatewayUrl).origin}/`);
    await page.selectOption('select[aria-label="Demo viewer"]', { label: '鞍山市 · CITY' });
    const names = Object.keys(JSON.parse(readFileSync(join(PROJECT_ROOT, 'gateway', 'explorer', 'operations.json'), 'utf8')));
    expect(names).toEqual(
      expect.arrayContaining(['Viewer', 'ProvinceDashboard', 'InstitutionLedger', 'CampaignLedger', 'BranchProfile', 'MemberProfile', 'CoverageTrend', 'StationWorkList']),
    );
    for (const name of names) {
      await page.getByRole('tab', { name: new RegExp(`^${name}`) }).waitFor();
    }
    // One tab per operation: the viewer's tabs replace the ones opened before a viewer was chosen.
    await page.waitForFunction((count) => document.querySelectorAll('[role="tab"]').length === count, names.length, { timeout: 15_000 }).catch(async () => {
      await page.screenshot({ path: join(ARTIFACTS, 'explorer-tabs-failed.png') });
    });
    expect(await page.getByRole('tab').allTextContents()).toHaveLength(names.length);
    await page.locator('button[aria-label="Show Documentation Explorer"]').click();
    await page.getByText('Query', { exact: true }).first().click();
    await page.locator('.graphiql-doc-explorer-content', { hasText: 'viewer' }).waitFor();
    await page.locator('a.graphiql-doc-explorer-field-name', { hasText: /^region$/ }).first().click();
    await page.locator('a.graphiql-doc-explorer-type-name', { hasText: /^Region$/ }).first().click();
    await page.waitForFunction(() => document.querySelector('.graphiql-doc-explorer-content')?.textContent?.includes('行政区划'), undefined, { timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'explorer-docs.png') });
  });

  it.each([
    ['辽宁省 · PROVINCE', '210000'],
    ['鞍山市 · CITY', '210300'],
    ['铁东区 · COUNTY', '210302'],
    ['辽宁弘扬律师事务所支部 · BRANCH', '210302'],
  ])('gives %s the StationWorkList and CoverageTrend tabs with its own region, and both run', async (label, code) => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // What the explorer said while it asked for the viewer's example variables, for a failure to show.
    const said: string[] = [];
    page.on('console', (message) => said.push(`${message.type()}: ${message.text()}`));
    await page.goto(`${new URL(stack.gatewayUrl).origin}/`);
    await page.selectOption('select[aria-label="Demo viewer"]', { label });
    for (const [name, expected] of [
      ['StationWorkList', '"organizationalLifeGaps"'],
      ['CoverageTrend', '"coverageHistory"'],
    ]) {
      const tab = page.getByRole('tab', { name: new RegExp(`^${name}`) });
      await tab.waitFor();
      await tab.click();
      await page.locator('.graphiql-query-editor', { hasText: `query ${name}` }).waitFor();
      // The viewer's example variables come from two requests of the explorer's own, which a loaded machine answers slowly.
      await page
        .locator('.graphiql-editor-tool', { hasText: `"code": "${code}"` })
        .waitFor({ timeout: 30_000 })
        .catch(async (err: Error) => {
          await page.screenshot({ path: join(ARTIFACTS, `explorer-${name}-${code}-variables-failed.png`) });
          throw new Error(`${err.message}\nthe explorer said:\n${said.join('\n')}`);
        });
      await page.waitForTimeout(500);
      await page.locator('.graphiql-execute-button').click();
      await page
        .waitForFunction((text) => document.querySelector('.result-window')?.textContent?.includes(text), expected, { timeout: 20_000 })
        .catch(async (err: Error) => {
          await page.screenshot({ path: join(ARTIFACTS, `explorer-${name}-${code}-failed.png`) });
          throw err;
        });
      expect(await page.locator('.result-window').textContent()).not.toContain('"errors"');
    }
    if (label.startsWith('鞍山市')) await page.screenshot({ path: join(ARTIFACTS, 'explorer-station-work-list.png') });
    await page.close();
  });

  /** Runs a tab's operation and gives the API's answer to it, as the browser received it. */
  async function runTab(page: Page, name: string): Promise<{ data?: any; errors?: any[] }> {
    const tab = page.getByRole('tab', { name: new RegExp(`^${name}`) });
    await tab.waitFor();
    await tab.click();
    await page.locator('.graphiql-query-editor', { hasText: `query ${name}` }).waitFor();
    // GraphiQL takes the operation's name from the editor after a short debounce.
    await page.waitForTimeout(500);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/graphql') && r.request().method() === 'POST' && (r.request().postData() ?? '').includes(`query ${name}`), { timeout: 20_000 }),
      page.locator('.graphiql-execute-button').click(),
    ]);
    return response.json();
  }

  it('shows ProvinceDashboard’s cities as a sortable table with Chinese headings and a chart of coverage, and downloads them as CSV and XLSX', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    await page.goto(`${new URL(stack.gatewayUrl).origin}/`);
    await page.selectOption('select[aria-label="Demo viewer"]', { label: '辽宁省 · PROVINCE' });
    const answer = await runTab(page, 'ProvinceDashboard');
    expect(answer.errors).toBeUndefined();
    const cities: { name: string; coverage: { rate: number; institutions: number } }[] = answer.data.region.children;
    expect(cities).toHaveLength(14);

    await page.getByRole('button', { name: /^Table & chart/ }).click();
    const view = page.locator('.sanji-result-view');
    await view.locator('table').waitFor();
    // The longest list opens first: the 14 cities, one row each.
    expect(await view.locator('select[aria-label="List"]').inputValue()).toBe('region.children');
    expect(await view.locator('tbody tr').count()).toBe(14);
    const headings = await view.locator('thead th').allTextContents();
    expect(headings).toEqual(expect.arrayContaining(['组织覆盖·组织覆盖率', '组织覆盖·在业机构', '人员统计·执业人员', '组织生活统计·组织生活达标率']));

    // Sorting by coverage rate puts the lowest first, then (clicked again) the highest; the rate reads as a percentage.
    const rateColumn = headings.indexOf('组织覆盖·组织覆盖率');
    const byRate = [...cities].sort((a, b) => a.coverage.rate - b.coverage.rate);
    const heading = view.locator('thead th').nth(rateColumn);
    await heading.getByRole('button').click();
    expect(await heading.getAttribute('aria-sort')).toBe('ascending');
    const firstRow = () => view.locator('tbody tr').first().locator('td');
    const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;
    expect(await firstRow().nth(rateColumn).textContent()).toBe(percent(byRate[0].coverage.rate));
    await heading.getByRole('button').click();
    expect(await heading.getAttribute('aria-sort')).toBe('descending');
    expect(await firstRow().nth(rateColumn).textContent()).toBe(percent(byRate[13].coverage.rate));

    // The chart shows a rate by default: one bar per city, labelled with its name.
    const chart = view.locator('svg.sanji-chart');
    expect(await view.locator('select[aria-label="Chart column"]').inputValue()).toBe('coverage.rate');
    expect(await chart.locator('rect').count()).toBe(14);
    expect(await chart.textContent()).toContain(byRate[13].name);
    await view.locator('select[aria-label="Chart column"]').selectOption({ label: '组织覆盖·在业机构' });
    expect(await chart.getAttribute('aria-label')).toBe('组织覆盖·在业机构 bar chart');
    await view.locator('select[aria-label="Chart column"]').selectOption({ label: '组织覆盖·组织覆盖率' });
    await view.locator('.sanji-table-wrap').evaluate((element) => element.scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, 'explorer-table.png') });
    if (process.env.SANJI_UPDATE_SCREENSHOTS === 'on') await page.screenshot({ path: join(PROJECT_ROOT, 'docs', 'explorer-table.png') });

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), view.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(csvDownload.suggestedFilename()).toBe('ProvinceDashboard-region-children.csv');
    const csvFile = join(ARTIFACTS, 'explorer-download.csv');
    await csvDownload.saveAs(csvFile);
    const bytes = readFileSync(csvFile);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows: Record<string, string>[] = parse(bytes, { bom: true, columns: true });
    // Every city, with the API's figures, in the table's order: by coverage rate, highest first.
    expect(rows.map((row) => row['名称']).sort()).toEqual(cities.map((city) => city.name).sort());
    const rates = rows.map((row) => Number(row['组织覆盖·组织覆盖率']));
    expect(rates).toEqual([...rates].sort((a, b) => b - a));
    for (const city of cities) {
      const row = rows.find((r) => r['名称'] === city.name)!;
      expect(Number(row['组织覆盖·组织覆盖率'])).toBeCloseTo(city.coverage.rate, 10);
      expect(Number(row['组织覆盖·在业机构'])).toBe(city.coverage.institutions);
    }

    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), view.getByRole('button', { name: 'Download XLSX' }).click()]);
    const xlsxFile = join(ARTIFACTS, 'explorer-download.xlsx');
    await xlsxDownload.saveAs(xlsxFile);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsxFile);
    const sheet = workbook.worksheets[0];
    expect(sheet.rowCount).toBe(15);
    const xlsxHeadings = (sheet.getRow(1).values as unknown[]).slice(1);
    const rateCell = sheet.getRow(2).getCell(xlsxHeadings.indexOf('组织覆盖·组织覆盖率') + 1);
    expect(rateCell.value).toBe(byRate[13].coverage.rate);
    expect(rateCell.numFmt).toBe('0.0%');
  });

  it('downloads every page of InstitutionLedger from the table of its first page', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    await page.goto(`${new URL(stack.gatewayUrl).origin}/`);
    await page.selectOption('select[aria-label="Demo viewer"]', { label: '鞍山市 · CITY' });
    await page.getByRole('button', { name: /^Table & chart/ }).click();
    const answer = await runTab(page, 'InstitutionLedger');
    const { totalCount, edges } = answer.data.region.institutions;
    expect(edges).toHaveLength(20);
    expect(totalCount).toBeGreaterThan(20);
    const view = page.locator('.sanji-result-view');
    await view.locator('table').waitFor();
    expect(await view.locator('select[aria-label="List"]').inputValue()).toBe('region.institutions.edges.node');
    expect(await view.locator('tbody tr').count()).toBe(20);

    const [download] = await Promise.all([page.waitForEvent('download'), view.getByRole('button', { name: 'All pages: CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('InstitutionLedger-region-institutions-all.csv');
    const file = join(ARTIFACTS, 'explorer-all-pages.csv');
    await download.saveAs(file);
    const rows: Record<string, string>[] = parse(readFileSync(file), { bom: true, columns: true });
    expect(rows).toHaveLength(totalCount);
    expect(new Set(rows.map((row) => row['编号'])).size).toBe(totalCount);
    const first = edges[0].node;
    expect(rows.find((row) => row['编号'] === first.id)).toMatchObject({ '机构名称': first.name, 执业人数: String(first.practitionerCount) });
    // Done: the progress is gone.
    await view.getByRole('status').waitFor({ state: 'detached' });
  });

  it('keeps the viewer, the tabs and their variables through a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${new URL(stack.gatewayUrl).origin}/`);
    await page.selectOption('select[aria-label="Demo viewer"]', { label: '鞍山市 · CITY' });
    const tab = page.getByRole('tab', { name: /^CoverageTrend/ });
    await tab.waitFor();
    await tab.click();
    await page.locator('.graphiql-query-editor', { hasText: 'query CoverageTrend' }).waitFor();
    const variables = '{ "code": "210300", "kind": "NOTARY_OFFICE", "fromYear": 2016, "toYear": 2019 }';
    await page.evaluate((text) => (document.querySelector('.graphiql-editor-tool .CodeMirror') as any).CodeMirror.setValue(text), variables);
    // GraphiQL saves the tabs after a short debounce.
    await page.waitForFunction(() => Object.keys(localStorage).some((key) => key.endsWith('tabState') && (localStorage.getItem(key) ?? '').includes('NOTARY_OFFICE')));

    await page.reload();
    await page.locator('.graphiql-query-editor', { hasText: 'query CoverageTrend' }).waitFor();
    expect(await page.locator('select[aria-label="Demo viewer"] option:checked').textContent()).toBe('鞍山市 · CITY');
    expect(await page.getByRole('tab').count()).toBe(Object.keys(JSON.parse(readFileSync(join(PROJECT_ROOT, 'gateway', 'explorer', 'operations.json'), 'utf8'))).length);
    expect(await page.getByRole('tab', { selected: true }).textContent()).toMatch(/^CoverageTrend/);
    expect(await page.evaluate(() => (document.querySelector('.graphiql-editor-tool .CodeMirror') as any).CodeMirror.getValue())).toBe(variables);

    // Back to the examples on request.
    await page.getByRole('button', { name: /^Reset tabs/ }).click();
    await page.locator('.graphiql-query-editor', { hasText: 'query Viewer' }).waitFor();
    await page.getByRole('tab', { name: /^CoverageTrend/ }).click();
    await page.locator('.graphiql-query-editor', { hasText: 'query CoverageTrend' }).waitFor();
    expect(await page.evaluate(() => (document.querySelector('.graphiql-editor-tool .CodeMirror') as any).CodeMirror.getValue())).toContain('"kind": "LAW_FIRM"');
  });

  it('finds fields by their Chinese term: 覆盖率 finds the coverage rates', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${new URL(stack.gatewayUrl).origin}/`);
    await page.locator('button[aria-label="Show Search terms 术语检索"]').click();
    await page.locator('input[aria-label="Search terms"]').fill('覆盖率');
    const results = page.locator('.sanji-term-search li');
    await results.first().waitFor();
    const found = await results.allTextContents();
    expect(found.some((text) => text.startsWith('组织覆盖率') && text.includes('Coverage.rate: Float'))).toBe(true);
    expect(found.some((text) => text.includes('CoverageYear.rate'))).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'explorer-term-search.png') });
  });

  it('runs every contract tab with its example variables, without an error, for every demo viewer', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${new URL(stack.gatewayUrl).origin}/`);
    const names = Object.keys(JSON.parse(readFileSync(join(PROJECT_ROOT, 'gateway', 'explorer', 'operations.json'), 'utf8')));
    const viewers = ['辽宁省 · PROVINCE', '鞍山市 · CITY', '铁东区 · COUNTY', '辽宁弘扬律师事务所支部 · BRANCH'];
    const failures: string[] = [];
    for (const viewer of viewers) {
      await page.selectOption('select[aria-label="Demo viewer"]', { label: viewer });
      await page.getByRole('tab', { name: /^Viewer/ }).waitFor();
      for (const name of names) {
        const answer = await runTab(page, name);
        const root = answer.data && Object.values(answer.data)[0];
        if (answer.errors || root === null || root === undefined) failures.push(`${viewer} ${name}: ${JSON.stringify(answer.errors ?? answer.data)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
