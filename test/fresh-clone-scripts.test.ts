import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../shared/src/config';
import { freePort } from './helpers/ports';

/** Runs one of the README's npm scripts as a new user would, with no `.sanji` state of its own yet. */
function runScript(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'scripts', `${script}.ts`)], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

/**
 * A fresh clone on a machine with no PostgreSQL: the scripts start the embedded one in a state
 * folder of their own (and a cluster of their own, so the roles they create are theirs alone).
 */
describe('a fresh clone, before anything was ever started', () => {
  let stateDir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'sanji-fresh-'));
    env = { ...process.env, SANJI_STATE_DIR: stateDir, SANJI_EMBEDDED_PG_PORT: String(await freePort()), NODE_ENV: 'development' };
    for (const name of ['DATABASE_URL', 'SANJI_INTERNAL_SECRET', 'SANJI_INTERNAL_SECRET_FILE', 'SANJI_PGDATA']) delete env[name];
  });
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  it('loads the demo data with npm run seed, creating its development secret on the way, and migrates again with it', async () => {
    const seeded = await runScript('seed', env);
    expect(seeded).toEqual({ code: 0, output: expect.stringContaining('loaded the liaoning demo dataset') });
    const secret = join(stateDir, 'keys', 'internal-secret');
    expect(existsSync(secret)).toBe(true);
    expect(statSync(secret).mode & 0o777).toBe(0o600);
    const secretWritten = statSync(secret).mtimeMs;

    // Run again, it keeps that secret and the data: the subgraphs' role passwords stay as they were set.
    const again = await runScript('migrate', env);
    expect(again).toEqual({ code: 0, output: expect.stringContaining('migrations applied') });
    expect(statSync(secret).mtimeMs).toBe(secretWritten);
  }, 180_000);
});
