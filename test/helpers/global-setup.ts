import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevelopmentKeys } from '../../shared/src/auth';
import { loadConfig } from '../../shared/src/config';
import { configurePgTypes } from '../../shared/src/pg-types';
import { loadDemoData, migrateAll } from '../../scripts/lib/database';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../scripts/lib/embedded-postgres';
import { dropDatabase, ensureDatabase } from '../../scripts/lib/postgres';
import { freePort } from './ports';

declare global {
  var sanjiTestRun: { embedded: EmbeddedServer | null; adminUrl: string; template: string } | undefined;
}

/**
 * Prepares one template database with the migrations and the Liaoning demo dataset; every test
 * file then gets a fresh copy of it. The server is DATABASE_URL's when set, else an embedded one.
 */
export default async function globalSetup(): Promise<void> {
  configurePgTypes();
  const stateDir = mkdtempSync(join(tmpdir(), 'sanji-test-'));
  process.env.SANJI_STATE_DIR = stateDir;
  const config = loadConfig();
  await ensureDevelopmentKeys(config);

  let embedded: EmbeddedServer | null = null;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: join(stateDir, 'pgdata'), port: await freePort(), persistent: false });
    adminUrl = embedded.adminUrl;
  }
  const template = `sanji_template_${process.pid}`;
  await dropDatabase(adminUrl, template);
  const url = await ensureDatabase(adminUrl, template);
  await migrateAll(config, url);
  await loadDemoData(url, 'liaoning');

  process.env.SANJI_TEST_ADMIN_URL = adminUrl;
  process.env.SANJI_TEST_TEMPLATE = template;
  globalThis.sanjiTestRun = { embedded, adminUrl, template };
}
