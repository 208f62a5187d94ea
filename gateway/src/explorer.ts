import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isIP } from 'node:net';
import { Router, type Request, type Response } from 'express';
import { signToken, type TokenClaims } from '../../shared/src/auth';
import { PROJECT_ROOT, type Config } from '../../shared/src/config';
import { loadSupergraphSchema, schemaTerms } from '../../shared/src/report/terms';

const EXPLORER_DIR = join(PROJECT_ROOT, 'gateway', 'explorer');

/** A file shipped in a package, wherever npm installed it (the packages' exports hide their browser builds). */
const packageFile = (name: string, file: string) => join(dirname(require.resolve(`${name}/package.json`)), file);

/** The only files the explorer loads, all from this server: no CDN, no web fonts. */
const ASSETS: Record<string, { file: string; type: string }> = {
  'react.js': { file: packageFile('react', 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': { file: packageFile('react-dom', 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.js': { file: packageFile('graphiql', 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.css': { file: packageFile('graphiql', 'graphiql.min.css'), type: 'text/css' },
  // Writes the result view's .xlsx downloads in the browser.
  'exceljs.js': { file: packageFile('exceljs', 'dist/exceljs.min.js'), type: 'text/javascript' },
};

/** Nothing but this server's own scripts, styles and API, even if a page were tampered with. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'";

/** The demo viewers a developer can switch between: one per tier (a branch's county is its organization's). */
const DEMO_VIEWERS: (Omit<TokenClaims, 'organizationId'> & { label: string; branchOf?: string })[] = [
  { label: '辽宁省 · PROVINCE', subject: 'demo-province', tier: 'PROVINCE', regionCode: '210000', roles: ['viewer'] },
  { label: '鞍山市 · CITY', subject: 'demo-anshan', tier: 'CITY', regionCode: '210300', roles: ['viewer'] },
  { label: '铁东区 · COUNTY', subject: 'demo-tiedong', tier: 'COUNTY', regionCode: '210302', roles: ['viewer'] },
  { label: '辽宁弘扬律师事务所支部 · BRANCH', subject: 'demo-branch', tier: 'BRANCH', regionCode: '210302', roles: ['viewer'], branchOf: '辽宁弘扬律师事务所' },
];

interface Operation {
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

/** The contract operations as explorer tabs, each with example variables. */
function contractOperations(): Operation[] {
  const examples = JSON.parse(readFileSync(join(EXPLORER_DIR, 'operations.json'), 'utf8')) as Record<string, Record<string, unknown>>;
  return Object.entries(examples).map(([name, variables]) => ({
    name,
    query: readFileSync(join(PROJECT_ROOT, 'contract', `${name}.graphql`), 'utf8'),
    variables,
  }));
}

function sendFile(res: Response, file: string, type: string): void {
  res.type(type).set('Cache-Control', 'public, max-age=3600').send(readFileSync(file));
}

/** Header names a proxy adds: a request carrying one was relayed, whoever sent it. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip', 'via'];

/**
 * Whether a request comes from this very machine, and is meant for it: sent from a loopback
 * address, not relayed by a proxy (which would make every caller look local), and addressed to a
 * loopback name, so a web page whose own domain resolves to 127.0.0.1 (DNS rebinding) cannot read
 * the answer in a developer's browser.
 */
export function isLoopbackRequest(req: Pick<Request, 'headers' | 'socket'>): boolean {
  const address = req.socket.remoteAddress ?? '';
  const fromLoopback = address === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
  if (!fromLoopback || FORWARDING_HEADERS.some((name) => req.headers[name] !== undefined)) return false;
  const host = /^(\[[^\]]*\]|[^:]*)(:\d+)?$/.exec(req.headers.host ?? '')?.[1]?.toLowerCase() ?? '';
  return host === 'localhost' || host === '[::1]' || (isIP(host) === 4 && host.startsWith('127.'));
}

/**
 * The explorer at `/`: a bundled GraphiQL that works on an intranet with no internet access,
 * opening with the contract operations. With SANJI_DEMO_TOKENS on (never in production) it offers
 * demo viewers' tokens to callers on this machine; otherwise the analyst pastes their own.
 */
export function explorerRouter(config: Config, graphqlUrl: () => string): Router {
  const router = Router();
  const operations = contractOperations();
  const terms = schemaTerms(loadSupergraphSchema());

  router.get('/', (_req, res) => {
    res.set('Content-Security-Policy', CONTENT_SECURITY_POLICY).type('html').send(readFileSync(join(EXPLORER_DIR, 'index.html')));
  });
  router.get('/explorer/assets/:name', (req, res) => {
    const asset = ASSETS[req.params.name];
    if (!asset) return void res.status(404).end();
    sendFile(res, asset.file, asset.type);
  });
  router.get('/explorer/sanji.js', (_req, res) => sendFile(res, join(EXPLORER_DIR, 'sanji.js'), 'text/javascript'));
  router.get('/explorer/result-view.js', (_req, res) => sendFile(res, join(EXPLORER_DIR, 'result-view.js'), 'text/javascript'));
  router.get('/explorer/sanji.css', (_req, res) => sendFile(res, join(EXPLORER_DIR, 'sanji.css'), 'text/css'));
  router.get('/explorer/operations.json', (_req, res) => void res.json(operations));
  // The published schema's terms: the result view's column headings and the search of Chinese terms, introspection or not.
  router.get('/explorer/terms.json', (_req, res) => void res.set('Cache-Control', 'public, max-age=3600').json(terms));

  // A demo token is a signed token of every tier, the province's included: only for a developer's own machine.
  router.get('/explorer/viewers.json', async (req, res) => {
    if (!config.demoTokens || config.env === 'production' || !isLoopbackRequest(req)) return void res.status(404).json([]);
    const viewers = [];
    for (const { label, branchOf, ...claims } of DEMO_VIEWERS) {
      const branch = branchOf ? await branchOrganization(config, graphqlUrl(), branchOf) : null;
      if (branchOf && !branch) continue;
      viewers.push({ label, token: await signToken(config, { ...claims, regionCode: branch?.regionCode ?? claims.regionCode, organizationId: branch?.id ?? null }) });
    }
    res.json(viewers);
  });
  return router;
}

/** The branch covering a named institution, and its county, looked up through the gateway as the province. */
async function branchOrganization(config: Config, url: string, institutionName: string): Promise<{ id: string; regionCode: string } | null> {
  const token = await signToken(config, { subject: 'demo-explorer', tier: 'PROVINCE', regionCode: '210000', roles: ['viewer'] }, 60);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: 'query($name: String!) { institutions(filter: { nameContains: $name }, first: 1) { edges { node { partyOrganization { id region { code } } } } } }',
        variables: { name: institutionName },
      }),
    });
    type Branch = { id: string; region: { code: string } | null } | null;
    const body = (await response.json()) as { data?: { institutions: { edges: { node: { partyOrganization: Branch } }[] } } };
    const branch = body.data?.institutions.edges[0]?.node.partyOrganization;
    return branch?.region ? { id: branch.id, regionCode: branch.region.code } : null;
  } catch {
    return null;
  }
}
