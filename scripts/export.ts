/**
 * Writes every record of a contract operation's connection to a spreadsheet:
 *   SANJI_TOKEN=... npm run export -- --operation InstitutionLedger --variables '{"code":"210300"}' --format xlsx --out ledger.xlsx
 * The gateway is SANJI_GATEWAY_URL (http://127.0.0.1:4000/graphql by default). Column headings
 * are the schema's Chinese terms.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { PROJECT_ROOT } from '../shared/src/config';
import { pagedOperation } from '../shared/src/report/connection';
import { loadSupergraphSchema } from '../shared/src/report/terms';
import { parseOptions } from './lib/args';
import { ExportError, fetchAllRecords } from './lib/report/pages';
import { reportFile, type ReportFormat } from './lib/report/workbook';

const USAGE =
  'usage: SANJI_TOKEN=<token> npm run export -- --operation NAME [--variables JSON] [--format xlsx|csv] --out FILE\n' +
  '  NAME is a contract operation (contract/NAME.graphql) or a .graphql file; the format defaults to the extension of FILE';

const fail = (message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};

function operationSource(name: string): string {
  const file = name.endsWith('.graphql') ? name : join(PROJECT_ROOT, 'contract', `${name}.graphql`);
  if (!existsSync(file)) fail(`no operation ${name}: expected ${file}\n${USAGE}`);
  return readFileSync(file, 'utf8');
}

async function main(): Promise<void> {
  let options: Map<string, string[]>;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    return fail(`${(err as Error).message}\n${USAGE}`);
  }
  const one = (name: string) => options.get(name)?.at(-1);
  const operation = one('operation');
  const out = one('out');
  if (!operation || !out) return fail(USAGE);
  const format = (one('format') ?? extname(out).slice(1).toLowerCase()) as ReportFormat;
  if (format !== 'xlsx' && format !== 'csv') return fail(`--format must be xlsx or csv, got "${format}"\n${USAGE}`);
  let variables: Record<string, unknown> = {};
  try {
    variables = JSON.parse(one('variables') ?? '{}') as Record<string, unknown>;
  } catch (err) {
    return fail(`--variables is not JSON: ${(err as Error).message}`);
  }
  const token = process.env.SANJI_TOKEN;
  if (!token) return fail(`SANJI_TOKEN is not set\n${USAGE}`);
  const url = process.env.SANJI_GATEWAY_URL || 'http://127.0.0.1:4000/graphql';

  let paged;
  try {
    paged = pagedOperation(loadSupergraphSchema(), operationSource(operation), operation.endsWith('.graphql') ? undefined : operation);
  } catch (err) {
    return fail((err as Error).message);
  }
  const interactive = process.stderr.isTTY;
  try {
    const { records, total } = await fetchAllRecords(url, token, paged, variables, ({ rows, total: all }) => {
      if (interactive) process.stderr.write(`\r${paged.connectionPath.join('.')}: ${rows}${all === undefined ? '' : ` / ${all}`} rows`);
    });
    if (interactive) process.stderr.write('\n');
    writeFileSync(out, await reportFile(format, paged.operationName || 'report', paged.columns, records));
    process.stdout.write(`wrote ${records.length} rows${total === undefined ? '' : ` of ${total}`} (${paged.columns.length} columns) to ${out}\n`);
  } catch (err) {
    if (err instanceof ExportError) return fail(err.message);
    if (err instanceof TypeError && /fetch failed/.test(err.message)) return fail(`no answer from ${url}: is Sanji running (npm start)? Set SANJI_GATEWAY_URL to reach another gateway`);
    throw err;
  }
}

void main();
