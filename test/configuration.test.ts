import { spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { decodeJwt } from 'jose';
import { PROJECT_ROOT } from '../shared/src/config';
import { startGateway } from '../gateway/src/server';
import { isLoopbackRequest } from '../gateway/src/explorer';
import type { RunningServer } from '../shared/src/subgraph-server';
import { startStack, type Stack } from './helpers/stack';

/** Starts one service as `npm start` does, with the given environment, and reports how it ended. */
function startService(entry: string, env: Record<string, string>) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', entry], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('configuration that fails closed', () => {
  it('stops the gateway at start-up when NODE_ENV is not one of the accepted values', () => {
    const { status, output } = startService('gateway/src/main.ts', { NODE_ENV: 'staging', PORT: '0' });
    expect(status).not.toBe(0);
    expect(output).toContain('NODE_ENV must be one of production, test, development (unset means development), got "staging"');
    expect(output).not.toContain('gateway listening');
  });

  it('stops a subgraph at start-up when an on/off setting has another value', () => {
    const { status, output } = startService('subgraphs/members/src/main.ts', { NODE_ENV: 'test', SANJI_SAFELIST: 'yes', SANJI_MEMBERS_PORT: '0' });
    expect(status).not.toBe(0);
    expect(output).toContain('SANJI_SAFELIST must be one of on, true, off, false, got "yes"');
    expect(output).not.toContain('subgraph listening');
  });
});

describe('demo tokens in the explorer', () => {
  let stack: Stack;
  /** The same supergraph behind a gateway with demo tokens switched off. */
  let withoutDemoTokens: RunningServer;

  beforeAll(async () => {
    stack = await startStack({ demoTokens: true });
    withoutDemoTokens = await startGateway({ ...stack.config, demoTokens: false }, { port: 0 });
  });
  afterAll(async () => {
    await withoutDemoTokens?.stop();
    await stack?.stop();
  });

  const viewersUrl = (graphqlUrl: string) => graphqlUrl.replace('/graphql', '/explorer/viewers.json');

  /** GET with exactly the headers given (fetch would not let a test set Host). */
  const get = (url: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = httpRequest(url, { headers }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
      req.on('error', reject).end();
    });

  it('hands a caller on this machine a token per tier when switched on, and each token reads its own tier', async () => {
    const { status, body } = await get(viewersUrl(stack.gatewayUrl));
    expect(status).toBe(200);
    expect(body.map((viewer: { label: string }) => viewer.label)).toEqual(['辽宁省 · PROVINCE', '鞍山市 · CITY', '铁东区 · COUNTY', '辽宁弘扬律师事务所支部 · BRANCH']);
    const tiers = [];
    for (const { token } of body) {
      const answer = await stack.request('{ viewer { tier region { code } } }', {}, token);
      expect(answer.status).toBe(200);
      tiers.push(answer.body.data.viewer.tier);
    }
    expect(tiers).toEqual(['PROVINCE', 'CITY', 'COUNTY', 'BRANCH']);
    expect(decodeJwt(body[3].token)).toMatchObject({ tier: 'BRANCH', region: '210302', org: expect.any(String) });
  });

  it('hands out nothing when switched off, while the explorer itself still loads', async () => {
    const { status, body } = await get(viewersUrl(withoutDemoTokens.url));
    expect(status).toBe(404);
    expect(body).toEqual([]);
    const page = await fetch(withoutDemoTokens.url.replace('/graphql', '/'));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const operations = await fetch(withoutDemoTokens.url.replace('/graphql', '/explorer/operations.json'));
    expect((await operations.json()).length).toBeGreaterThan(0);
  });

  it('hands out nothing to a request relayed by a proxy, or addressed to a name that is not this machine’s', async () => {
    const url = viewersUrl(stack.gatewayUrl);
    const port = new URL(url).port;
    const relayed: Record<string, string>[] = [{ 'x-forwarded-for': '203.0.113.7' }, { forwarded: 'for=203.0.113.7' }, { via: '1.1 proxy' }, { 'x-real-ip': '203.0.113.7' }];
    for (const headers of relayed) {
      expect(await get(url, headers)).toEqual({ status: 404, body: [] });
    }
    expect(await get(url, { host: `attacker.example:${port}` })).toEqual({ status: 404, body: [] });
    expect((await get(url, { host: `localhost:${port}` })).status).toBe(200);
  });

  it('counts only loopback addresses as this machine', () => {
    const request = (remoteAddress: string, host = '127.0.0.1:4000', headers: Record<string, string> = {}) =>
      ({ socket: { remoteAddress }, headers: { host, ...headers } }) as unknown as Parameters<typeof isLoopbackRequest>[0];
    expect(isLoopbackRequest(request('127.0.0.1'))).toBe(true);
    expect(isLoopbackRequest(request('::1', '[::1]:4000'))).toBe(true);
    expect(isLoopbackRequest(request('::ffff:127.0.0.1', 'localhost:4000'))).toBe(true);
    expect(isLoopbackRequest(request('10.0.0.5'))).toBe(false);
    expect(isLoopbackRequest(request('::ffff:192.168.1.20'))).toBe(false);
    expect(isLoopbackRequest(request('203.0.113.7', 'localhost:4000'))).toBe(false);
    expect(isLoopbackRequest(request('127.0.0.1', 'sanji.example.org'))).toBe(false);
    expect(isLoopbackRequest(request('127.0.0.1', '127.0.0.1.nip.io'))).toBe(false);
    expect(isLoopbackRequest(request('127.0.0.1', '127.0.0.1:4000', { 'x-forwarded-for': '203.0.113.7' }))).toBe(false);
  });
});
