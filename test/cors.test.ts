/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { loadConfig } from '../shared/src/config';
import { startGateway } from '../gateway/src/server';
import type { RunningServer } from '../shared/src/subgraph-server';
import { startStack, type Stack } from './helpers/stack';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with exactly the headers given, as a browser sends it (fetch would not let a test set Origin everywhere). */
function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject).end(body);
  });
}

/** What a browser sends before a page's POST with a token: no token, only the question. */
const preflight = (url: string, origin: string) =>
  send(url, 'OPTIONS', {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'authorization,content-type,x-request-id',
  });

const corsHeaders = (answer: Answer) => Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'));

describe('frontends on their own origin (CORS)', () => {
  let stack: Stack;
  let token: string;
  /** The same supergraph behind gateways configured as production would be, and with CORS switched off, and with one site allowed. */
  let productionDefault: RunningServer;
  let switchedOff: RunningServer;
  let oneSite: RunningServer;

  beforeAll(async () => {
    // The test stack runs with the development default: http://localhost:* and http://127.0.0.1:*.
    stack = await startStack();
    token = await stack.token({ tier: 'CITY', regionCode: '210300' });
    productionDefault = await startGateway({ ...stack.config, corsOrigins: loadConfig({ NODE_ENV: 'production' }).corsOrigins }, { port: 0 });
    switchedOff = await startGateway({ ...stack.config, corsOrigins: loadConfig({ SANJI_CORS_ORIGINS: 'off' }).corsOrigins }, { port: 0 });
    oneSite = await startGateway({ ...stack.config, corsOrigins: loadConfig({ SANJI_CORS_ORIGINS: 'https://ledger.example.org, https://*.sanji.example.org:8443' }).corsOrigins }, { port: 0 });
  });
  afterAll(async () => {
    await oneSite?.stop();
    await switchedOff?.stop();
    await productionDefault?.stop();
    await stack?.stop();
  });

  it('answers a preflight from a frontend dev server on this machine without a token: 204, its origin, the methods and headers it may use', async () => {
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3000', 'http://localhost']) {
      const answer = await preflight(stack.gatewayUrl, origin);
      expect(answer.status).toBe(204);
      expect(answer.headers['access-control-allow-origin']).toBe(origin);
      expect(String(answer.headers['access-control-allow-methods']).split(',')).toEqual(['GET', 'POST', 'OPTIONS']);
      const allowed = String(answer.headers['access-control-allow-headers']).split(',');
      expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-request-id', 'apollo-require-preflight', 'x-apollo-operation-name']));
      expect(Number(answer.headers['access-control-max-age'])).toBeGreaterThan(0);
      expect(answer.headers.vary).toContain('Origin');
      // The token travels in a header: no cookies, so no credentials mode.
      expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
    }
  });

  it('gives an origin that is not on the list no CORS header at all, so the browser keeps the answer from the page', async () => {
    for (const origin of ['https://evil.example', 'http://localhost.evil.example:5173', 'https://localhost:5173', 'null']) {
      const refused = await preflight(stack.gatewayUrl, origin);
      expect(corsHeaders(refused)).toEqual([]);
      expect(refused.status).not.toBe(204);
      const post = await send(stack.gatewayUrl, 'POST', { origin, 'content-type': 'application/json', authorization: `Bearer ${token}` }, JSON.stringify({ query: '{ viewer { tier } }' }));
      expect(corsHeaders(post)).toEqual([]);
    }
  });

  it('lets the page read the answer to its POST from an allowed origin, with the request id it may show', async () => {
    const answer = await send(
      stack.gatewayUrl,
      'POST',
      { origin: 'http://localhost:5173', 'content-type': 'application/json', authorization: `Bearer ${token}` },
      JSON.stringify({ query: '{ viewer { tier region { code } } }' }),
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).data.viewer).toEqual({ tier: 'CITY', region: { code: '210300' } });
    expect(answer.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(answer.headers['access-control-expose-headers']).toContain('x-request-id');
  });

  it('still wants a token for the request itself: the preflight is all that goes without one', async () => {
    const answer = await send(stack.gatewayUrl, 'POST', { origin: 'http://localhost:5173', 'content-type': 'application/json' }, JSON.stringify({ query: '{ viewer { tier } }' }));
    expect(answer.status).toBe(401);
    expect(answer.body).not.toContain('"data"');
  });

  it('allows no origin by default in production, and none when switched off', async () => {
    expect(loadConfig({ NODE_ENV: 'production' }).corsOrigins).toEqual([]);
    expect(loadConfig({ NODE_ENV: 'development' }).corsOrigins).toEqual(['http://localhost:*', 'http://127.0.0.1:*']);
    for (const gateway of [productionDefault, switchedOff]) {
      const answer = await preflight(gateway.url, 'http://localhost:5173');
      expect(answer.status).toBe(401);
      expect(corsHeaders(answer)).toEqual([]);
    }
  });

  it('allows exactly the configured sites when switched on: a fixed origin, and a pattern of subdomains on one port', async () => {
    expect((await preflight(oneSite.url, 'https://ledger.example.org')).headers['access-control-allow-origin']).toBe('https://ledger.example.org');
    expect((await preflight(oneSite.url, 'https://city.sanji.example.org:8443')).headers['access-control-allow-origin']).toBe('https://city.sanji.example.org:8443');
    for (const origin of ['http://ledger.example.org', 'https://ledger.example.org:8443', 'https://sanji.example.org:8443', 'https://city.sanji.example.org', 'http://localhost:5173']) {
      expect(corsHeaders(await preflight(oneSite.url, origin))).toEqual([]);
    }
  });

  const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  (existsSync(CHROMIUM) ? it : it.skip)('a page served by a frontend dev server on another port calls the API in a real browser, and one on a disallowed origin cannot', async () => {
    const page = `<!doctype html><script>
      window.ask = (url, token) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token }, body: JSON.stringify({ query: '{ viewer { tier region { code } } }' }) })
        .then((r) => r.json()).then((b) => JSON.stringify(b.data), (e) => 'failed: ' + e.message);
    </script>`;
    const frontend: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
    await new Promise<void>((resolve) => frontend.listen(0, '127.0.0.1', resolve));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    try {
      const tab = await browser.newPage();
      await tab.goto(`http://localhost:${(frontend.address() as AddressInfo).port}/`);
      expect(await tab.evaluate(([url, t]) => (window as any).ask(url, t), [stack.gatewayUrl, token])).toBe('{"viewer":{"tier":"CITY","region":{"code":"210300"}}}');
      expect(await tab.evaluate(([url, t]) => (window as any).ask(url, t), [switchedOff.url, token])).toMatch(/^failed: /);
    } finally {
      await browser.close();
      await new Promise((resolve) => frontend.close(resolve));
    }
  });
});
