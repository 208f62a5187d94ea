import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PROJECT_ROOT } from '../shared/src/config';
import { dropDatabase, ensureDatabase } from '../scripts/lib/postgres';

/** Runs one of the README's npm scripts as a new user would, with no `.sanji` state of its own yet. */
function runScript(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'scripts', `${script}.ts`)], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('a fresh clone, before anything was ever started', () => {
  const adminUrl = process.env.SANJI_TEST_ADMIN_URL!;
  const database = `sanji_fresh_${randomBytes(4).toString('hex')}`;
  let stateDir: string;
  let databaseUrl: string;

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'sanji-fresh-'));
    databaseUrl = await ensureDatabase(adminUrl, database);
  });
  afterAll(async () => {
    await dropDatabase(adminUrl, database);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('loads the demo data with npm run seed, creating its development secret on the way', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, SANJI_STATE_DIR: stateDir, NODE_ENV: 'development' };
    delete env.SANJI_INTERNAL_SECRET;
    delete env.SANJI_INTERNAL_SECRET_FILE;
    const seeded = await runScript('seed', env);
    expect(seeded).toEqual({ code: 0, output: expect.stringContaining('loaded the liaoning demo dataset') });

    const secret = join(stateDir, 'keys', 'internal-secret');
    expect(existsSync(secret)).toBe(true);
    expect(statSync(secret).mode & 0o777).toBe(0o600);
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT count(*)::int AS organizations FROM organization.party_organization WHERE dissolved_on IS NULL`);
      expect(rows[0].organizations).toBeGreaterThan(372);
    } finally {
      await client.end();
    }

    // And again: the secret it made is the one it keeps using.
    const again = await runScript('migrate', env);
    expect(again.code).toBe(0);
  });
});
