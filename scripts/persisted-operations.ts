/**
 * Writes `persisted-operations.json`, the contract operations as a persisted-operation manifest
 * (Apollo's format: id → document, the id being the SHA-256 of the document, which is also its
 * automatic-persisted-query hash). `--check` fails when the committed manifest is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../shared/src/config';
import { buildManifest, MANIFEST_FILE } from '../gateway/src/persisted-operations';

const target = join(PROJECT_ROOT, MANIFEST_FILE);
const manifest = `${JSON.stringify(buildManifest(PROJECT_ROOT), null, 2)}\n`;

if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== manifest) {
    console.error(`${MANIFEST_FILE} is stale: run \`npm run persisted\` and commit the result.`);
    process.exit(1);
  }
  console.log(`${MANIFEST_FILE} is up to date.`);
} else {
  writeFileSync(target, manifest);
  console.log(`wrote ${target}`);
}
