/**
 * Prints a development token alone on standard output:
 *   npm run --silent token -- --tier CITY --region 210300 [--organization ID] [--role editor] [--subject NAME]
 */
import { Client } from 'pg';
import { ensureDevelopmentKeys, signToken, type TokenClaims } from '../shared/src/auth';
import { loadConfig, type Config } from '../shared/src/config';
import { isUuid } from '../shared/src/sql';
import { ACCESS_ROLES, TIERS, viewerProblem, type AccessRole, type Tier, type Viewer } from '../shared/src/viewer';
import { parseOptions } from './lib/args';
import { loadRegions } from './demo/regions';

const USAGE = 'usage: npm run --silent token -- --tier PROVINCE|CITY|COUNTY|BRANCH --region CODE [--organization ID] [--role viewer|editor|admin] [--subject NAME] [--ttl SECONDS]';

/** The province whose demo dataset `npm start` loads. */
const DEMO_PROVINCE = '210000';

interface Records {
  /** Where the records were read, for the messages. */
  source: string;
  regions: Set<string>;
  /** Where an organization lies, or undefined when no database answered and it cannot be checked. */
  organization: ((id: string) => Promise<{ regionCode: string; dissolvedOn: string | null } | null>) | undefined;
  close: () => Promise<void>;
}

/**
 * The records a token is checked against before it is signed, so a token the services would refuse
 * is never made: the region table of the database Sanji runs on (DATABASE_URL, or the embedded
 * database `npm start` runs) when it answers, else the region list of the Liaoning demo dataset.
 */
async function records(config: Config): Promise<Records> {
  const url = config.databaseUrl ?? `postgres://postgres:postgres@127.0.0.1:${config.embeddedPort}/sanji`;
  const db = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await db.connect();
    const { rows } = await db.query<{ code: string }>('SELECT code FROM organization.region');
    if (rows.length === 0) throw new Error('an empty region table');
    return {
      source: 'the region table of the database',
      regions: new Set(rows.map((row) => row.code)),
      organization: async (id) => {
        if (!isUuid(id)) return null;
        const found = await db.query<{ region_code: string; dissolved_on: string | null }>(
          'SELECT region_code, dissolved_on::text FROM organization.party_organization WHERE id = $1',
          [id],
        );
        return found.rows[0] ? { regionCode: found.rows[0].region_code, dissolvedOn: found.rows[0].dissolved_on } : null;
      },
      close: () => db.end(),
    };
  } catch {
    await db.end().catch(() => undefined);
    return {
      source: 'the regions of the Liaoning demo dataset (no region table could be read)',
      regions: new Set(loadRegions([DEMO_PROVINCE]).map((row) => row.code)),
      organization: undefined,
      close: async () => undefined,
    };
  }
}

/** Why the claims name records that do not exist, or null. */
async function recordsProblem(viewer: Viewer, known: Records): Promise<string | null> {
  if (!known.regions.has(viewer.regionCode)) return `region ${viewer.regionCode} does not exist in ${known.source}`;
  if (viewer.tier !== 'BRANCH' || !known.organization) return null;
  const organization = await known.organization(viewer.organizationId ?? '');
  if (!organization) return `party organization ${viewer.organizationId} does not exist`;
  if (organization.dissolvedOn) return `party organization ${viewer.organizationId} was dissolved on ${organization.dissolvedOn}`;
  if (organization.regionCode !== viewer.regionCode) {
    return `party organization ${viewer.organizationId} lies in region ${organization.regionCode}, not ${viewer.regionCode}`;
  }
  return null;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const one = (name: string) => options.get(name)?.at(-1);
  const tier = one('tier')?.toUpperCase() as Tier;
  const roles = (options.get('role') ?? ['viewer']).flatMap((r) => r.split(',')).map((r) => r.toLowerCase()) as AccessRole[];
  if (!TIERS.includes(tier)) throw new Error(`--tier must be one of ${TIERS.join(', ')}`);
  if (!roles.every((r) => ACCESS_ROLES.includes(r))) throw new Error(`--role must be among ${ACCESS_ROLES.join(', ')}`);
  // Higher roles include the lower ones.
  const granted = ACCESS_ROLES.slice(0, Math.max(...roles.map((r) => ACCESS_ROLES.indexOf(r))) + 1);
  const viewer: Viewer & TokenClaims = {
    subject: one('subject') ?? `dev-${tier.toLowerCase()}-${one('region')}`,
    tier,
    regionCode: one('region') ?? '',
    organizationId: one('organization') ?? null,
    roles: granted,
  };
  const problem = viewerProblem(viewer);
  if (problem) throw new Error(problem);
  const config = loadConfig();
  const known = await records(config);
  try {
    const missing = await recordsProblem(viewer, known);
    if (missing) throw new Error(missing);
  } finally {
    await known.close();
  }
  await ensureDevelopmentKeys(config);
  const ttl = one('ttl') ? Number(one('ttl')) : undefined;
  process.stdout.write(`${await signToken(config, viewer, ttl)}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n${USAGE}\n`);
  process.exit(2);
});
