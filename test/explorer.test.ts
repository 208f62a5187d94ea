/// <reference lib="dom" />
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
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
    expect(await page.getByRole('tab').count()).toBe(names.length);
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
      await page.locator('.graphiql-editor-tool', { hasText: `"code": "${code}"` }).waitFor({ timeout: 10_000 });
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
});
