/**
 * An example of what another service does with the client: the law-firm coverage of a region's
 * children, from the ProvinceDashboard operation.
 */
import { ProvinceDashboardDocument } from './generated';
import type { SanjiClient } from './sanji-client';

export interface CoverageLine {
  code: string;
  name: string;
  lawFirms: number;
  coverageRate: number;
}

export async function coverageReport(client: SanjiClient, code: string): Promise<CoverageLine[]> {
  const { region } = await client.request(ProvinceDashboardDocument, { code, year: 2019, awardYear: 2016 });
  if (!region) return [];
  return region.children.map((child) => ({ code: child.code, name: child.name, lawFirms: child.coverage.institutions, coverageRate: child.coverage.rate }));
}
