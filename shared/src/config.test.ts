import { loadConfig } from './config';

describe('configuration that fails closed', () => {
  it('runs as development when NODE_ENV is unset or empty, and as each accepted environment when named', () => {
    expect(loadConfig({}).env).toBe('development');
    expect(loadConfig({ NODE_ENV: '' }).env).toBe('development');
    for (const env of ['production', 'test', 'development'] as const) expect(loadConfig({ NODE_ENV: env }).env).toBe(env);
  });

  it('stops at any other NODE_ENV, naming the accepted values', () => {
    for (const value of ['staging', 'prod', 'Production', 'dev', ' production']) {
      expect(() => loadConfig({ NODE_ENV: value })).toThrow('NODE_ENV must be one of production, test, development (unset means development), got');
    }
  });

  it('keeps 1000 whole answers at the gateway unless SANJI_RESPONSE_CACHE_ENTRIES says otherwise, 0 none, and stops at anything but a count', () => {
    expect(loadConfig({}).responseCacheEntries).toBe(20_000);
    expect(loadConfig({}).responseCacheMb).toBe(40);
    expect(loadConfig({ SANJI_RESPONSE_CACHE_MB: '8' }).responseCacheMb).toBe(8);
    expect(loadConfig({ SANJI_RESPONSE_CACHE_ENTRIES: '0' }).responseCacheEntries).toBe(0);
    expect(loadConfig({ SANJI_RESPONSE_CACHE_ENTRIES: '250' }).responseCacheEntries).toBe(250);
    for (const value of ['off', '-1', '1.5', 'many']) {
      expect(() => loadConfig({ SANJI_RESPONSE_CACHE_ENTRIES: value })).toThrow(`SANJI_RESPONSE_CACHE_ENTRIES must be a non-negative integer, got "${value}"`);
    }
  });

  const SWITCHES = [
    { variable: 'SANJI_SAFELIST', setting: 'safelist', byDefault: false },
    { variable: 'SANJI_INLINE_TRACING', setting: 'inlineTracing', byDefault: false },
    { variable: 'SANJI_PREPARED_STATEMENTS', setting: 'preparedStatements', byDefault: true },
    { variable: 'SANJI_DEMO_TOKENS', setting: 'demoTokens', byDefault: false },
  ] as const;

  it.each(SWITCHES)('reads $variable as on/true or off/false, and its default when unset', ({ variable, setting, byDefault }) => {
    expect(loadConfig({})[setting]).toBe(byDefault);
    expect(loadConfig({ [variable]: '' })[setting]).toBe(byDefault);
    for (const value of ['on', 'true']) expect(loadConfig({ [variable]: value })[setting]).toBe(true);
    for (const value of ['off', 'false']) expect(loadConfig({ [variable]: value })[setting]).toBe(false);
  });

  it.each(SWITCHES)('stops at any other value of $variable, naming the accepted values', ({ variable }) => {
    for (const value of ['1', '0', 'yes', 'no', 'ON', 'enabled']) {
      expect(() => loadConfig({ [variable]: value })).toThrow(`${variable} must be one of on, true, off, false, got "${value}"`);
    }
  });

  it('never hands out demo tokens in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SANJI_DEMO_TOKENS: 'on' })).toThrow(/SANJI_DEMO_TOKENS cannot be on with NODE_ENV=production/);
    expect(loadConfig({ NODE_ENV: 'production', SANJI_DEMO_TOKENS: 'off' }).demoTokens).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development', SANJI_DEMO_TOKENS: 'on' }).demoTokens).toBe(true);
  });

  it('allows frontends on this machine to call from the browser in development, none in production, and exactly the listed origins when set', () => {
    expect(loadConfig({}).corsOrigins).toEqual(['http://localhost:*', 'http://127.0.0.1:*']);
    expect(loadConfig({ NODE_ENV: 'production' }).corsOrigins).toEqual([]);
    expect(loadConfig({ NODE_ENV: 'production', SANJI_CORS_ORIGINS: 'https://ledger.example.org,https://*.example.org:8443' }).corsOrigins).toEqual([
      'https://ledger.example.org',
      'https://*.example.org:8443',
    ]);
    expect(loadConfig({ SANJI_CORS_ORIGINS: 'off' }).corsOrigins).toEqual([]);
  });

  it('stops at an entry of SANJI_CORS_ORIGINS that is not an origin', () => {
    for (const value of ['*', 'ledger.example.org', 'https://ledger.example.org/', 'https://ledger.example.org/app', 'ftp://example.org', 'http://localhost:*,', 'https://*']) {
      expect(() => loadConfig({ SANJI_CORS_ORIGINS: value })).toThrow('SANJI_CORS_ORIGINS must be off or a comma-separated list of origins');
    }
  });
});
