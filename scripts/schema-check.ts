/**
 * `npm run schema:check`: compares the supergraph composed from the subgraphs with the one on
 * main (or SANJI_SCHEMA_BASE) and fails on a breaking change that CHANGELOG.md does not
 * acknowledge with a line `- BREAKING: … \`Type.field\` …`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../shared/src/config';
import { breakingChanges } from '../gateway/src/schema-check';
import { composeSupergraph } from '../gateway/src/supergraph';

const base = process.env.SANJI_SCHEMA_BASE ?? 'main';
let baseSdl: string;
try {
  baseSdl = execFileSync('git', ['show', `${base}:supergraph.graphql`], { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
} catch {
  console.log(`No supergraph.graphql on ${base} to compare with: nothing is published yet.`);
  process.exit(0);
}
const changelogFile = join(PROJECT_ROOT, 'CHANGELOG.md');
const changelog = existsSync(changelogFile) ? readFileSync(changelogFile, 'utf8') : '';
const changes = breakingChanges(baseSdl, composeSupergraph(PROJECT_ROOT).supergraphSdl, changelog);
for (const change of changes) console.log(`${change.acknowledged ? 'acknowledged' : 'BREAKING'}: ${change.description}`);
const unacknowledged = changes.filter((change) => !change.acknowledged);
if (unacknowledged.length > 0) {
  console.error(`${unacknowledged.length} breaking change(s) against ${base}: keep the field, or acknowledge each in CHANGELOG.md as "- BREAKING: \`Type.field\` …".`);
  process.exit(1);
}
console.log(`No unacknowledged breaking change against ${base}.`);
