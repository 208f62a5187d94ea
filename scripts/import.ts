/**
 * Brings a ledger in from Excel or CSV through the gateway, or writes a ledger template:
 *   npm run import -- --kind institutions|organizations|members --file ledger.xlsx|ledger.csv [--apply]
 *   npm run import -- --template members|institutions|organizations --out members.xlsx
 * The token is SANJI_TOKEN; the gateway SANJI_GATEWAY_URL (http://127.0.0.1:4000/graphql).
 * Without --apply the file is only checked (a dry run). Exit status: 0 when every row is fine,
 * 1 when a row or the file is refused, 2 on a usage mistake.
 */
import { SingleBar } from 'cli-progress';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { LEDGER_KINDS, type LedgerKind } from '../shared/src/ledger/columns';
import { LedgerRefused, readLedger } from '../shared/src/ledger/read';
import { formatProblems, formatReport, ImportRefused, sendLedger } from '../shared/src/ledger/send';
import { ledgerTemplate } from '../shared/src/ledger/template';
import { parseOptions } from './lib/args';

const USAGE = `usage: npm run import -- --kind ${LEDGER_KINDS.join('|')} --file LEDGER.xlsx|LEDGER.csv [--apply]
       npm run import -- --template ${LEDGER_KINDS.join('|')} --out TEMPLATE.xlsx
The token is taken from SANJI_TOKEN, the gateway from SANJI_GATEWAY_URL (default http://127.0.0.1:4000/graphql).`;

function usage(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function kindOf(value: string | undefined, option: string): LedgerKind {
  if (!value || !LEDGER_KINDS.includes(value as LedgerKind)) usage(`--${option} must be one of ${LEDGER_KINDS.join(', ')}.`);
  return value as LedgerKind;
}

async function main(): Promise<number> {
  let options: Map<string, string[]>;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    usage((err as Error).message);
  }
  const one = (name: string) => options.get(name)?.at(-1);

  if (options.has('template')) {
    const kind = kindOf(one('template'), 'template');
    const out = one('out') ?? usage('--out names the .xlsx file to write.');
    writeFileSync(out, await ledgerTemplate(kind));
    console.log(`wrote the ${kind} template to ${out}`);
    return 0;
  }

  const kind = kindOf(one('kind'), 'kind');
  const file = one('file') ?? usage('--file names the ledger to import.');
  const apply = options.has('apply');
  const token = process.env.SANJI_TOKEN ?? usage('SANJI_TOKEN must hold a token (npm run --silent token -- --tier COUNTY --region CODE --role editor).');
  const url = process.env.SANJI_GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';

  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    console.error(`${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return 1;
  }
  let ledger;
  try {
    ledger = await readLedger(kind, basename(file), bytes);
  } catch (err) {
    if (!(err instanceof LedgerRefused)) throw err;
    console.error(`refused: ${err.message}`);
    return 1;
  }
  if (ledger.encoding && ledger.encoding !== 'UTF-8') console.error(`note: read as ${ledger.encoding}.`);
  for (const warning of ledger.warnings) console.error(`warning: ${warning}`);
  if (ledger.problems.length > 0) {
    console.error(`refused: ${ledger.problems.length} cells cannot be read; nothing was sent.\n${formatProblems(ledger)}`);
    return 1;
  }
  if (ledger.rows.length === 0) {
    console.error('refused: the file has no rows under its header.');
    return 1;
  }

  // A bar only where someone watches it: a terminal, not a log or a pipe.
  const bar = process.stderr.isTTY && ledger.rows.length > 200 ? new SingleBar({ format: `${apply ? 'applying' : 'checking'} [{bar}] {value}/{total} rows`, stream: process.stderr }) : null;
  bar?.start(ledger.rows.length, 0);
  try {
    const report = await sendLedger(ledger, { url, token, apply, onProgress: (done) => bar?.update(done) });
    bar?.stop();
    console.log(formatReport(report, ledger));
    return report.errors.length > 0 ? 1 : 0;
  } catch (err) {
    bar?.stop();
    if (!(err instanceof ImportRefused)) throw err;
    console.error(`refused (${err.code}): ${err.message}`);
    return 1;
  }
}

main().then(
  (status) => process.exit(status),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
