/** Applies pending migrations of every subgraph: `npm run migrate`. */
import { loadConfig } from '../shared/src/config';
import { configurePgTypes } from '../shared/src/pg-types';
import { migrateAll } from './lib/database';
import { openDatabase } from './lib/database-url';

async function main(): Promise<void> {
  configurePgTypes();
  const config = loadConfig();
  const database = await openDatabase(config, 'npm run migrate');
  try {
    await migrateAll(config, database.url);
    console.log('migrations applied');
  } finally {
    await database.embedded?.stop();
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
