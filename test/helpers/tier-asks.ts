import type { TokenClaims } from '../../shared/src/auth';
import { contractOperation, type Stack } from './stack';

/** A caller of the tier tests: who they are, as their token's claims say. */
export interface Caller {
  name: string;
  claims: Partial<TokenClaims> & Pick<TokenClaims, 'tier' | 'regionCode'>;
}

/** One contract operation asked by one caller with one set of variables. */
export interface Ask {
  caller: Caller;
  operation: string;
  variables: Record<string, unknown>;
}

/** The regions asked about: the province, 鞍山市, its counties 铁东区 and 铁西区, and 沈阳市和平区 in another city. */
export const REGIONS = ['210000', '210300', '210302', '210303', '210102'];

/** The ids the asks name: a branch of 铁东区 and one of 铁西区, a member of each county and one of the 铁东 branch. */
export interface AskedRecords {
  tiedongBranch: string;
  otherBranch: string;
  members: string[];
}

export async function askedRecords(stack: Stack): Promise<AskedRecords> {
  const db = await stack.database();
  const one = async (sql: string) => (await db.query(sql)).rows[0].id as string;
  const tiedongBranch = await one(
    `SELECT id FROM organization.party_organization WHERE kind = 'STANDALONE_BRANCH' AND dissolved_on IS NULL AND region_code = '210302' ORDER BY id LIMIT 1`,
  );
  const otherBranch = await one(
    `SELECT id FROM organization.party_organization WHERE kind = 'STANDALONE_BRANCH' AND dissolved_on IS NULL AND region_code = '210303' ORDER BY id LIMIT 1`,
  );
  const members = (
    await db.query(
      `(SELECT id FROM members.member WHERE organization_id = $1 ORDER BY id LIMIT 1)
       UNION ALL (SELECT id FROM members.member WHERE region_code = '210303' AND party_status = 'FULL' ORDER BY id LIMIT 1)
       UNION ALL (SELECT id FROM members.member WHERE region_code = '210302' AND party_status = 'FULL' ORDER BY id LIMIT 1)`,
      [tiedongBranch],
    )
  ).rows.map((row) => row.id as string);
  return { tiedongBranch, otherBranch, members };
}

/** Callers of every tier, role and masking: the province, 鞍山市, 铁东区 (viewer and editor), 铁西区, a 铁东 branch. */
export function tierCallers(records: AskedRecords): Caller[] {
  return [
    { name: 'province viewer', claims: { tier: 'PROVINCE', regionCode: '210000' } },
    { name: 'province editor', claims: { tier: 'PROVINCE', regionCode: '210000', roles: ['editor'] } },
    { name: 'Anshan viewer', claims: { tier: 'CITY', regionCode: '210300' } },
    { name: 'Tiedong viewer', claims: { tier: 'COUNTY', regionCode: '210302' } },
    { name: 'Tiedong editor', claims: { tier: 'COUNTY', regionCode: '210302', roles: ['editor'] } },
    { name: 'Tiexi viewer', claims: { tier: 'COUNTY', regionCode: '210303' } },
    { name: 'Tiedong branch', claims: { tier: 'BRANCH', regionCode: '210302', organizationId: records.tiedongBranch } },
  ];
}

/** Every contract operation, over the regions, branches and members above. */
export function contractAsks(callers: Caller[], records: AskedRecords): Ask[] {
  const byRegion = (code: string) => [
    { operation: 'ProvinceDashboard', variables: { code, year: 2019, awardYear: 2016 } },
    { operation: 'StationWorkList', variables: { code, year: 2019, withinDays: 90 } },
    { operation: 'CoverageTrend', variables: { code, kind: 'LAW_FIRM', fromYear: 2014, toYear: 2019 } },
    { operation: 'InstitutionLedger', variables: { code, kind: 'LAW_FIRM', first: 20, after: null } },
    { operation: 'CampaignLedger', variables: { code } },
  ];
  const operations = [
    { operation: 'Viewer', variables: {} },
    ...REGIONS.flatMap(byRegion),
    ...[records.tiedongBranch, records.otherBranch].map((id) => ({ operation: 'BranchProfile', variables: { id, year: 2019 } })),
    ...records.members.map((id) => ({ operation: 'MemberProfile', variables: { id, year: 2019 } })),
  ];
  return callers.flatMap((caller) => operations.map(({ operation, variables }) => ({ caller, operation, variables })));
}

/** An answer as the caller compares it: request ids differ from request to request. */
export function comparable(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body), (key, value) => (key === 'requestId' ? undefined : value));
}

/** Signs a token for each caller. */
export async function callerTokens(stack: Stack, callers: Caller[]): Promise<Map<Caller, string>> {
  const tokens = new Map<Caller, string>();
  for (const caller of callers) tokens.set(caller, await stack.token({ subject: caller.name, ...caller.claims }));
  return tokens;
}

/** Sends an ask as its caller, and the answer as the caller compares it. */
export async function sendAsk(stack: Stack, tokens: Map<Caller, string>, one: Ask): Promise<{ status: number; body: unknown }> {
  const { status, body } = await stack.request(contractOperation(one.operation), one.variables, tokens.get(one.caller));
  return { status, body: comparable(body) };
}

/** How an ask is named in a failed expectation. */
export const askName = (one: Ask) => `${one.caller.name}: ${one.operation} ${JSON.stringify(one.variables)}`;
