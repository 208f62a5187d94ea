import type { Config } from '../../shared/src/config';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded-postgres';
import { ensureDatabase } from './postgres';
import { lockEmbeddedDatabase } from './state-lock';

export interface Database {
  url: string;
  /** The embedded server, when Sanji runs one; null when DATABASE_URL names a server. */
  embedded: EmbeddedServer | null;
}

/**
 * The configured server, or else the embedded one with its data kept under `.sanji/pgdata`, which
 * one command at a time may run (`command` names this one in the message another gets).
 */
export async function openDatabase(config: Config, command: string, say?: (message: string) => void): Promise<Database> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: null };
  const release = lockEmbeddedDatabase(config.embeddedDataDir, command, config.embeddedPort);
  let embedded: EmbeddedServer;
  try {
    embedded = await startEmbeddedPostgres({ dataDir: config.embeddedDataDir, port: config.embeddedPort, persistent: true, say });
  } catch (err) {
    release();
    throw err;
  }
  const stop = embedded.stop;
  embedded.stop = () => stop().finally(release);
  try {
    return { url: await ensureDatabase(embedded.adminUrl, 'sanji'), embedded };
  } catch (err) {
    await embedded.stop();
    throw err;
  }
}
