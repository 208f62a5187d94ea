/**
 * `npm run bench:import -- [--rows 5000] [--runs 3]`
 *
 * How long a full ledger of people takes through `importMembers`: builds Sanji and starts the
 * compiled services on a fresh database with the demo dataset (embedded PostgreSQL, or
 * DATABASE_URL's server), then, as a CITY editor of 鞍山, sends one file of new lawyers spread over
 * the city's operating law firms: as a dry run (validation alone), applied (every record
 * registered), the same file again (nothing to change), and the file with every phone changed
 * (every record updated), checked and applied. Each time is the whole request through the
 * gateway, as a client waits for it. Writes bench/results/import.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { signToken } from '../shared/src/auth';
import { PROJECT_ROOT } from '../shared/src/config';
import { idNumberCheckCharacter } from '../shared/src/id-number';
import { parseOptions } from '../scripts/lib/args';
import { build, children, prepareDatabase, startServices } from './services';

const options = parseOptions(process.argv.slice(2));
const ROWS = Number(options.get('rows')?.at(-1) ?? 5000);
const RUNS = Number(options.get('runs')?.at(-1) ?? 3);
const say = (message: string) => process.stdout.write(`[bench:import] ${message}\n`);

const IMPORT = `mutation ($rows: [ImportMemberInput!]!, $dryRun: Boolean) {
  importMembers(rows: $rows, dryRun: $dryRun) { dryRun rows created updated unchanged errors { row field code message } }
}`;

interface Report {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: unknown[];
}

/** A file of new lawyers, each at one of the firms, with ID numbers and licences no one holds. */
function ledger(firms: { licence: string; region: string }[], phoneEnd: number): Record<string, unknown>[] {
  return Array.from({ length: ROWS }, (_, i) => {
    const firm = firms[i % firms.length];
    const birth = `19${70 + (i % 25)}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`;
    const first17 = `${firm.region}${birth}${String(i % 1000).padStart(3, '0')}`;
    return {
      name: `台账律师${i}`,
      gender: i % 2 ? 'MALE' : 'FEMALE',
      ethnicity: '汉族',
      birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`,
      idNumber: first17 + idNumberCheckCharacter(first17),
      education: 'BACHELOR',
      phone: `139${phoneEnd}${String(i).padStart(7, '0')}`,
      institutionLicenseNumber: firm.licence,
      practice: 'LAWYER',
      licenseNumber: `1210320209${String(i).padStart(7, '0')}`,
    };
  });
}

async function timed(url: string, token: string, rows: unknown[], dryRun: boolean): Promise<{ ms: number; report: Report }> {
  const body = JSON.stringify({ query: IMPORT, variables: { rows, dryRun } });
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
  const answer = (await response.json()) as { data?: { importMembers: Report }; errors?: unknown[] };
  const ms = Math.round(performance.now() - started);
  if (!answer.data || answer.errors) throw new Error(`the import failed: ${JSON.stringify(answer.errors)}`);
  const report = answer.data.importMembers;
  if (report.errors.length > 0) throw new Error(`the file has row errors: ${JSON.stringify(report.errors.slice(0, 3))}`);
  return { ms, report };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  say('building');
  build();
  const database = await prepareDatabase('liaoning', 'sanji_bench_import', say);
  try {
    const stack = await startServices(database.env, false, say);
    try {
      const db = new Client({ connectionString: database.url });
      await db.connect();
      const { rows: firms } = await db.query<{ licence: string; region: string }>(
        `SELECT license_number AS licence, region_code AS region FROM organization.institution
          WHERE kind = 'LAW_FIRM' AND state = 'OPERATING' AND region_code LIKE '2103%' ORDER BY license_number`,
      );
      await db.end();
      const token = await signToken(database.config, { subject: 'bench-import', tier: 'CITY', regionCode: '210300', roles: ['editor'], organizationId: null });
      const file = ledger(firms, 1);
      const bodyBytes = Buffer.byteLength(JSON.stringify({ query: IMPORT, variables: { rows: file, dryRun: true } }));
      say(`${ROWS} rows over ${firms.length} law firms of 鞍山, ${(bodyBytes / 1e6).toFixed(2)} MB a request`);

      // The first request of a process pays for its warm-up: one small file first.
      await timed(stack.url, token, file.slice(0, 10), true);
      const validate = [];
      for (let i = 0; i < RUNS; i++) validate.push((await timed(stack.url, token, file, true)).ms);
      say(`validate (dry run): ${validate.join(', ')} ms`);
      const apply = await timed(stack.url, token, file, false);
      say(`apply (${apply.report.created} created): ${apply.ms} ms`);
      const again = await timed(stack.url, token, file, false);
      say(`the same file again (${again.report.unchanged} unchanged): ${again.ms} ms`);
      const changed = ledger(firms, 2);
      const validateUpdate = [];
      for (let i = 0; i < RUNS; i++) validateUpdate.push((await timed(stack.url, token, changed, true)).ms);
      const update = await timed(stack.url, token, changed, false);
      say(`validate updates: ${validateUpdate.join(', ')} ms; apply (${update.report.updated} updated): ${update.ms} ms`);

      const summary = {
        rows: ROWS,
        requestBytes: bodyBytes,
        caller: 'CITY editor, 210300',
        machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', node: process.version },
        database: process.env.DATABASE_URL ? 'DATABASE_URL server' : 'embedded PostgreSQL',
        ms: {
          validateNew: median(validate),
          applyNew: apply.ms,
          applyUnchanged: again.ms,
          validateUpdates: median(validateUpdate),
          applyUpdates: update.ms,
        },
        runs: { validateNew: validate, validateUpdates: validateUpdate },
        targets: { validateMs: 5000, applyMs: 10000 },
        at: new Date().toISOString(),
      };
      const folder = join(PROJECT_ROOT, 'bench', 'results');
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'import.json'), `${JSON.stringify(summary, null, 2)}\n`);
      say('wrote bench/results/import.json');
    } finally {
      await stack.stop();
    }
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  console.error(err);
  for (const child of children) child.kill('SIGTERM');
  process.exit(1);
});
