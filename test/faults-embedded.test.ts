import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../shared/src/config';
import { startEmbeddedPostgres, type EmbeddedServer } from '../scripts/lib/embedded-postgres';
import { eventually } from './helpers/eventually';
import { freeLauncherPorts, graphql, isRunning, Launcher, launcherEnv, portAnswers, waitUntil, type LauncherPorts, type Outcome } from './helpers/launcher';
import { freePort } from './helpers/ports';
import { contractOperation } from './helpers/stack';

// `npm start` on the embedded PostgreSQL it runs itself, and a PostgreSQL that stops under it.
jest.setTimeout(240_000);

const DASHBOARD = contractOperation('ProvinceDashboard');
const ANSHAN = { code: '210300', year: 2018, awardYear: 2016 };
const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterInstitutionInput!) { registerInstitution(input: $input) { id name } }
`;
const whole = (outcome: Outcome) => outcome.kind === 'answered' && outcome.status === 200 && !outcome.body.errors && !!outcome.body.data;

const stateDir = mkdtempSync(join(tmpdir(), 'sanji-faults-embedded-'));
const dataDir = join(stateDir, 'pgdata');
const postmasterPid = () => Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
const launchers: Launcher[] = [];
const servers: EmbeddedServer[] = [];

afterAll(async () => {
  for (const launcher of launchers) {
    for (const pid of [launcher.pid, ...Object.values(launcher.servicePids())]) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  }
  for (const server of servers) await server.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('npm start on its own embedded PostgreSQL', () => {
  let ports: LauncherPorts;
  let env: NodeJS.ProcessEnv;
  let launcher: Launcher;

  const start = async () => {
    launcher = new Launcher(env, ports);
    launchers.push(launcher);
    await launcher.waitFor(/^\[sanji\] ready/m, 180);
  };

  beforeAll(async () => {
    ports = await freeLauncherPorts();
    env = launcherEnv(stateDir, ports, null);
    await start();
  });

  it('leaves no service and no PostgreSQL running when it is killed with kill -9', async () => {
    const pids = [...Object.values(launcher.servicePids()), postmasterPid()];
    expect(pids).toHaveLength(6);
    expect(pids.every(isRunning)).toBe(true);
    launcher.kill();
    await launcher.exited;
    expect(await waitUntil(() => !pids.some(isRunning), 30)).toBe(true);
    expect(await portAnswers(ports.embeddedPostgres)).toBe(false);
    expect(await portAnswers(ports.gateway)).toBe(false);
  });

  it('stops a PostgreSQL left running on its data directory, and a seed run meanwhile refuses, saying why', async () => {
    // A server on the data directory that no `npm start` owns any more.
    const leftover = await startEmbeddedPostgres({ dataDir, port: ports.embeddedPostgres, persistent: true });
    await start();
    expect(launcher.log).toContain(`a PostgreSQL left running by an earlier run holds ${dataDir} (pid ${leftover.pid}, port ${ports.embeddedPostgres}): stopping it`);
    expect(isRunning(leftover.pid)).toBe(false);
    const reader = await launcher.token({ tier: 'PROVINCE', regionCode: '210000' });
    expect(whole(await graphql(launcher.url, DASHBOARD, ANSHAN, reader))).toBe(true);

    const seed = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'scripts', 'seed.ts')], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    seed.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    seed.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const code = await new Promise((resolve) => seed.once('exit', resolve));
    expect(code).toBe(1);
    expect(output.trim()).toBe(
      `\`npm start\` (pid ${launcher.pid}) is using the embedded PostgreSQL in ${dataDir}. Stop it first (Ctrl-C in its terminal, or \`kill ${launcher.pid}\`), ` +
        `then run \`npm run seed\` again; or run it against the running server: DATABASE_URL=postgres://postgres:postgres@127.0.0.1:${ports.embeddedPostgres}/sanji npm run seed`,
    );
    // Sanji answered on, untouched.
    expect(whole(await graphql(launcher.url, DASHBOARD, ANSHAN, reader))).toBe(true);
  });

  it('stops on Ctrl-C in order, PostgreSQL last, and exits cleanly', async () => {
    const pids = [...Object.values(launcher.servicePids()), postmasterPid()];
    launcher.interrupt();
    expect(await launcher.exited).toEqual({ code: 0, signal: null });
    expect(launcher.log).toMatch(/^\[sanji\] stopping$[\s\S]*^\[sanji\] stopped$/m);
    expect(pids.filter(isRunning)).toEqual([]);
    expect(await portAnswers(ports.embeddedPostgres)).toBe(false);
    // A clean stop: the server wrote its shutdown checkpoint, after a smart shutdown its sessions let complete.
    const log = readFileSync(`${dataDir}.log`, 'utf8');
    const lastRun = log.slice(log.lastIndexOf('starting PostgreSQL'));
    expect(lastRun).toContain('received smart shutdown request');
    expect(lastRun).toMatch(/database system is shut down\s*$/);
  });
});

describe('a running Sanji when its PostgreSQL stops and starts again', () => {
  let server: EmbeddedServer;
  let launcher: Launcher;
  let port: number;

  beforeAll(async () => {
    // The data directory the tests above filled, under a server of the test's own, which it may stop.
    port = await freePort();
    server = await startEmbeddedPostgres({ dataDir, port, persistent: true });
    servers.push(server);
    const ports = await freeLauncherPorts();
    launcher = new Launcher(launcherEnv(stateDir, ports, `postgres://postgres:postgres@127.0.0.1:${port}/sanji`), ports);
    launchers.push(launcher);
    await launcher.waitFor(/^\[sanji\] ready/m);
  });

  afterAll(async () => {
    launcher.process.kill('SIGTERM');
    await launcher.exited;
  });

  it('lets a smart shutdown complete, answers with errors while the server is down, and is whole again once it is back', async () => {
    const reader = await launcher.token({ tier: 'PROVINCE', regionCode: '210000' });
    const editor = await launcher.token({ tier: 'COUNTY', regionCode: '210302', roles: ['viewer', 'editor'], subject: 'faults-editor' });
    expect(whole(await graphql(launcher.url, DASHBOARD, ANSHAN, reader))).toBe(true);
    const services = Object.values(launcher.servicePids());

    // SIGTERM to the postmaster: PostgreSQL waits for every session to end; Sanji's must.
    process.kill(server.pid, 'SIGTERM');
    let exited = false;
    void server.exited.then(() => (exited = true));
    expect(await waitUntil(() => exited, 30)).toBe(true);

    const down = await graphql(launcher.url, DASHBOARD, ANSHAN, reader);
    expect(down.kind).toBe('answered');
    if (down.kind === 'answered') expect(down.body.errors?.length).toBeGreaterThan(0);
    expect(services.every(isRunning)).toBe(true);

    servers.push(await startEmbeddedPostgres({ dataDir, port, persistent: true }));
    expect(whole(await eventually(() => graphql(launcher.url, DASHBOARD, ANSHAN, reader), whole, 30))).toBe(true);
    const written = await graphql(launcher.url, REGISTER, { input: { name: '恢复测试律师事务所', kind: 'LAW_FIRM', licenseNumber: 'R00000000000000001', regionCode: '210302' } }, editor);
    expect(whole(written)).toBe(true);
    expect(services.every(isRunning)).toBe(true);
  });
});
