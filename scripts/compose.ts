/**
 * Composes the supergraph in-process with @apollo/composition and writes the committed
 * `supergraph.graphql`. `--check` fails when the committed file is stale instead of writing it.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { composeSupergraph } from '../gateway/src/supergraph';

const root = join(__dirname, '..');
const target = join(root, 'supergraph.graphql');
const { supergraphSdl, hints } = composeSupergraph(root);

for (const hint of hints) console.error(`composition hint: ${hint}`);

if (process.argv.includes('--check')) {
  const committed = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (committed !== supergraphSdl) {
    console.error('supergraph.graphql is stale: run `npm run compose` and commit the result.');
    process.exit(1);
  }
  console.log('supergraph.graphql is up to date.');
} else {
  writeFileSync(target, supergraphSdl);
  console.log(`wrote ${target}`);
}
