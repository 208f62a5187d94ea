import type { Config } from '../../shared/src/config';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded-postgres';
import { ensureDatabase } from './postgres';

export interface Database {
  url: string;
  /** The embedded server, when Sanji runs one; null when DATABASE_URL names a server. */
  embedded: EmbeddedServer | null;
}

/** The configured server, or else the embedded one with its data kept under `.sanji/pgdata`. */
export async function openDatabase(config: Config): Promise<Database> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: null };
  const embedded = await startEmbeddedPostgres({ dataDir: config.embeddedDataDir, port: config.embeddedPort, persistent: true });
  try {
    return { url: await ensureDatabase(embedded.adminUrl, 'sanji'), embedded };
  } catch (err) {
    await embedded.stop();
    throw err;
  }
}
