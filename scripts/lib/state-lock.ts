import { openSync, readFileSync, rmSync, writeSync, closeSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** Who holds the embedded database: a process id and the command it runs. */
interface Holder {
  pid: number;
  command: string;
}

/** Another command already uses the embedded database; the message says which, and what to do. */
export class DatabaseInUseError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the embedded database for this process: `npm start`, `npm run seed` and `npm run migrate`
 * each run the embedded PostgreSQL on the same data directory, and only one of them may. A lock
 * whose holder is gone (killed) is taken over. Released when the process exits.
 */
export function lockEmbeddedDatabase(dataDir: string, command: string, port: number): () => void {
  const path = `${dataDir}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder: Holder | null = null;
      try {
        holder = JSON.parse(readFileSync(path, 'utf8')) as Holder;
      } catch {
        // half-written by a holder killed while writing it: stale
      }
      if (holder && holder.pid !== process.pid && alive(holder.pid)) {
        throw new DatabaseInUseError(
          `\`${holder.command}\` (pid ${holder.pid}) is using the embedded PostgreSQL in ${dataDir}. ` +
            `Stop it first (Ctrl-C in its terminal, or \`kill ${holder.pid}\`), then run \`${command}\` again` +
            (holder.command === 'npm start' ? `; or run it against the running server: DATABASE_URL=postgres://postgres:postgres@127.0.0.1:${port}/sanji ${command}` : '.'),
        );
      }
      rmSync(path, { force: true });
      continue;
    }
    writeSync(fd, JSON.stringify({ pid: process.pid, command } satisfies Holder));
    closeSync(fd);
    const release = () => {
      try {
        if ((JSON.parse(readFileSync(path, 'utf8')) as Holder).pid === process.pid) rmSync(path, { force: true });
      } catch {
        // already gone
      }
    };
    process.once('exit', release);
    return release;
  }
  throw new DatabaseInUseError(`cannot take ${path}: another command keeps taking it`);
}
