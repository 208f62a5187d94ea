/**
 * Replaces the data with the demo dataset: `npm run seed -- [--scale liaoning|national]`.
 * Uses DATABASE_URL, or the embedded PostgreSQL when it is not set.
 */
import { loadConfig } from '../shared/src/config';
import { configurePgTypes } from '../shared/src/pg-types';
import { parseOptions } from './lib/args';
import { loadDemoData, migrateAll, type Scale } from './lib/database';
import { openDatabase } from './lib/database-url';

async function main(): Promise<void> {
  configurePgTypes();
  const scale = (parseOptions(process.argv.slice(2)).get('scale')?.at(-1) ?? 'liaoning') as Scale;
  if (scale !== 'liaoning' && scale !== 'national') throw new Error('--scale must be liaoning or national');
  const config = loadConfig();
  const database = await openDatabase(config, 'npm run seed');
  try {
    const started = Date.now();
    await migrateAll(config, database.url);
    await loadDemoData(database.url, scale);
    console.log(`loaded the ${scale} demo dataset in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await database.embedded?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
