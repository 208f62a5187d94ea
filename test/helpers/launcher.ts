import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { signToken, type TokenClaims } from '../../shared/src/auth';
import { loadConfig, PROJECT_ROOT, SUBGRAPHS, type SubgraphName } from '../../shared/src/config';
import { freePort } from './ports';

/** The ports one `npm start` listens on, all free when it starts. */
export interface LauncherPorts {
  gateway: number;
  subgraphs: Record<SubgraphName, number>;
  embeddedPostgres: number;
}

export async function freeLauncherPorts(): Promise<LauncherPorts> {
  const subgraphs = {} as Record<SubgraphName, number>;
  for (const name of Object.keys(SUBGRAPHS) as SubgraphName[]) subgraphs[name] = await freePort();
  return { gateway: await freePort(), subgraphs, embeddedPostgres: await freePort() };
}

/**
 * The environment of `npm start` with its own state directory and ports; `databaseUrl` null runs
 * the embedded PostgreSQL. It keeps the test run's internal secret, from which the subgraphs'
 * PostgreSQL roles, shared by every database of a server, get their passwords.
 */
export function launcherEnv(stateDir: string, ports: LauncherPorts, databaseUrl: string | null): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SANJI_STATE_DIR: stateDir,
    SANJI_INTERNAL_SECRET_FILE: loadConfig().internalSecretFile,
    PORT: String(ports.gateway),
    SANJI_EMBEDDED_PG_PORT: String(ports.embeddedPostgres),
    LOG_LEVEL: 'error',
  };
  for (const name of Object.keys(SUBGRAPHS) as SubgraphName[]) {
    env[`SANJI_${name.toUpperCase()}_PORT`] = String(ports.subgraphs[name]);
    delete env[`SANJI_${name.toUpperCase()}_URL`];
  }
  delete env.SANJI_PGDATA;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  return env;
}

/** A GraphQL answer, or how the request failed. */
export type Outcome =
  | { kind: 'answered'; status: number; body: { data?: any; errors?: any[] } }
  /** The gateway did not take the connection: it had stopped accepting, so nothing was in flight. */
  | { kind: 'refused' }
  | { kind: 'failed'; error: string };

/** One connection per request, as a client that never reuses a socket: a refused connection is then never an in-flight request. */
const freshConnections = new Agent({ keepAlive: false });

export function graphql(url: string, query: string, variables: Record<string, unknown>, token: string, headers: Record<string, string> = {}): Promise<Outcome> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve) => {
    const req = httpRequest(
      url,
      { method: 'POST', agent: freshConnections, headers: { ...headers, 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (err) => resolve({ kind: 'failed', error: err.message }));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ kind: 'answered', status: res.statusCode ?? 0, body: JSON.parse(text) });
          } catch {
            resolve({ kind: 'failed', error: `HTTP ${res.statusCode}: ${text.slice(0, 200)}` });
          }
        });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'failed', error: `${err.code ?? ''} ${err.message}` }));
    req.end(body);
  });
}

/** Whether a process runs (a zombie waiting to be reaped does not). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return existsSync('/proc') ? false : true;
  }
}

export function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function waitUntil(check: () => boolean | Promise<boolean>, seconds: number): Promise<boolean> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `npm start` as a user runs it, in a process group of its own as a terminal's foreground job. */
export class Launcher {
  readonly process: ChildProcess;
  private output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly env: NodeJS.ProcessEnv,
    readonly ports: LauncherPorts,
  ) {
    this.process = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'scripts', 'start.ts')], {
      cwd: PROJECT_ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    this.process.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => this.process.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.process.pid!;
  }

  get url(): string {
    return `http://127.0.0.1:${this.ports.gateway}/graphql`;
  }

  /** What `npm start` printed so far: its own `[sanji]` lines and its services' logs. */
  get log(): string {
    return this.output;
  }

  /** Waits for a line of the output; fails with the whole output if it does not come. */
  async waitFor(pattern: RegExp, seconds = 120): Promise<RegExpMatchArray> {
    let exited = false;
    void this.exited.then(() => (exited = true));
    await waitUntil(() => pattern.test(this.output) || exited, seconds);
    const match = this.output.match(pattern);
    if (!match) throw new Error(`npm start never printed ${pattern}; it printed:\n${this.output}`);
    return match;
  }

  /** The latest process id `npm start` reported for each service. */
  servicePids(): Record<string, number> {
    const pids: Record<string, number> = {};
    for (const [, name, pid] of this.output.matchAll(/^\[sanji\] (\w+) (?:started|restarted) \(pid (\d+)\)$/gm)) pids[name] = Number(pid);
    return pids;
  }

  token(claims: Pick<TokenClaims, 'tier' | 'regionCode'> & Partial<TokenClaims>): Promise<string> {
    return signToken(loadConfig(this.env), { subject: `faults-${claims.tier.toLowerCase()}`, roles: ['viewer'], organizationId: null, ...claims });
  }

  /** Ctrl-C in the terminal: SIGINT to the whole foreground process group. */
  interrupt(): void {
    process.kill(-this.pid, 'SIGINT');
  }

  kill(): void {
    this.process.kill('SIGKILL');
  }
}
