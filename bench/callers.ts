import { signToken } from '../shared/src/auth';

/** A demo caller of one tier, with what lies in its scope for the benchmarks to ask about. */
export interface Caller {
  tier: 'PROVINCE' | 'CITY' | 'COUNTY' | 'BRANCH';
  token: string;
  /** Region codes the caller may ask about. */
  regions: string[];
  branches: string[];
  members: string[];
}

/** What the callers are drawn from: Liaoning's cities and counties, its live branches and members. */
export interface CallerDataset {
  cities: string[];
  counties: string[];
  branches: { id: string; region: string }[];
  members: { id: string; region: string; organization: string | null }[];
}

/** Callers of every tier, with what lies in each one's scope; `subject` names the benchmark in each token. */
export async function callers(config: Parameters<typeof signToken>[0], data: CallerDataset, subject: string): Promise<Caller[]> {
  const within = (prefix: string) => ({
    branches: data.branches.filter((b) => b.region.startsWith(prefix)).map((b) => b.id),
    members: data.members.filter((m) => m.region.startsWith(prefix)).map((m) => m.id),
  });
  const sign = (tier: Caller['tier'], regionCode: string, organizationId: string | null = null) =>
    signToken(config, { subject: `${subject}-${tier.toLowerCase()}-${organizationId ?? regionCode}`, tier, regionCode, roles: ['viewer'], organizationId });
  const list: Caller[] = [{ tier: 'PROVINCE', token: await sign('PROVINCE', '210000'), regions: ['210000', ...data.cities, ...data.counties], ...within('21') }];
  for (const city of data.cities) {
    const prefix = city.slice(0, 4);
    list.push({ tier: 'CITY', token: await sign('CITY', city), regions: [city, ...data.counties.filter((c) => c.startsWith(prefix))], ...within(prefix) });
  }
  for (const county of data.counties) list.push({ tier: 'COUNTY', token: await sign('COUNTY', county), regions: [county], ...within(county) });
  // A branch caller for every fifth branch: its own organization and the members whose formal relation it holds.
  for (const branch of data.branches.filter((_, i) => i % 5 === 0)) {
    const members = data.members.filter((m) => m.organization === branch.id).map((m) => m.id);
    list.push({ tier: 'BRANCH', token: await sign('BRANCH', branch.region, branch.id), regions: [], branches: [branch.id], members });
  }
  return list;
}
