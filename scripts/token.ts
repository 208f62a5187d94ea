/**
 * Prints a development token alone on standard output:
 *   npm run --silent token -- --tier CITY --region 210300 [--organization ID] [--role editor] [--subject NAME]
 */
import { ensureDevelopmentKeys, signToken, type TokenClaims } from '../shared/src/auth';
import { loadConfig } from '../shared/src/config';
import { ACCESS_ROLES, TIERS, viewerProblem, type AccessRole, type Tier, type Viewer } from '../shared/src/viewer';
import { parseOptions } from './lib/args';

const USAGE = 'usage: npm run --silent token -- --tier PROVINCE|CITY|COUNTY|BRANCH --region CODE [--organization ID] [--role viewer|editor|admin] [--subject NAME] [--ttl SECONDS]';

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
  await ensureDevelopmentKeys(config);
  const ttl = one('ttl') ? Number(one('ttl')) : undefined;
  process.stdout.write(`${await signToken(config, viewer, ttl)}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n${USAGE}\n`);
  process.exit(2);
});
