import type { Config } from '../../../shared/src/config';
import { notFound } from '../../../shared/src/errors';
import { isUuid } from '../../../shared/src/sql';
import { SubgraphClient } from '../../../shared/src/subgraph-client';

export type InstitutionKind = 'LAW_FIRM' | 'NOTARY_OFFICE' | 'JUDICIAL_APPRAISAL' | 'GRASSROOTS_LEGAL_SERVICE';

export interface InstitutionFacts {
  id: string;
  kind: InstitutionKind;
  state: 'OPERATING' | 'CLOSED';
  region: { code: string } | null;
}

export interface OrganizationFacts {
  id: string;
  kind: string;
  dissolvedOn: string | null;
  region: { code: string } | null;
}

export interface StationFacts {
  id: string;
  region: { code: string } | null;
}

/**
 * What the members subgraph needs to know of the organization structure, read from the
 * organization subgraph: institutions, organizations and stations the caller names in a write.
 * Lookups on the caller's behalf see only the caller's tier; `anyTier` lookups (the receiving
 * branch of a transfer, which may lie anywhere) run as the members service and reveal only
 * existence, kind and region.
 */
export class OrganizationDirectory {
  private readonly client: SubgraphClient;

  constructor(config: Config) {
    this.client = new SubgraphClient(config, 'members', 'organization');
  }

  async institution(id: string, authorization: string, field: string): Promise<InstitutionFacts> {
    const [found] = isUuid(id)
      ? await this.client.entities<InstitutionFacts>('Institution', [{ id }], 'id kind state region { code }', { authorization })
      : [null];
    if (!found) throw notFound('Institution', id, field);
    return found;
  }

  async organization(id: string, field: string, access: { authorization: string } | 'anyTier'): Promise<OrganizationFacts> {
    const credentials = access === 'anyTier' ? 'service' : access;
    const [found] = isUuid(id)
      ? await this.client.entities<OrganizationFacts>('PartyOrganization', [{ id }], 'id kind dissolvedOn region { code }', credentials)
      : [null];
    if (!found) throw notFound('Party organization', id, field);
    return found;
  }

  async station(id: string, authorization: string, field: string): Promise<StationFacts> {
    const [found] = isUuid(id)
      ? await this.client.entities<StationFacts>('GuidanceStation', [{ id }], 'id region { code }', { authorization })
      : [null];
    if (!found) throw notFound('Guidance station', id, field);
    return found;
  }

  /**
   * Which of the given records of one type the caller's tier can see, in one fetch: the
   * organization subgraph answers null for a record outside the tier, exactly as for a missing one.
   */
  async visible(typename: 'Institution' | 'PartyOrganization' | 'GuidanceStation', ids: readonly string[], authorization: string): Promise<boolean[]> {
    const valid = ids.filter(isUuid);
    const found = await this.client.entities<{ id: string }>(typename, valid.map((id) => ({ id })), 'id', { authorization });
    const seen = new Set(found.filter((row): row is { id: string } => row !== null).map((row) => row.id));
    return ids.map((id) => seen.has(id));
  }

  /**
   * The regions of Party organizations in any tier, for deciding which tier owns a member's formal
   * relation. Runs as the members service and never leaves this subgraph.
   */
  async organizationRegions(ids: readonly string[]): Promise<(string | null)[]> {
    const valid = ids.filter(isUuid);
    const found = await this.client.entities<{ id: string; region: { code: string } | null }>(
      'PartyOrganization',
      valid.map((id) => ({ id })),
      'id region { code }',
      'service',
    );
    const regions = new Map(found.filter((row) => row !== null).map((row) => [row!.id, row!.region?.code ?? null]));
    return ids.map((id) => regions.get(id) ?? null);
  }

  /**
   * Institutions by licence number (the key a ledger row names them by), in one fetch: null where
   * none is registered or it lies outside the caller's tier.
   */
  async institutionsByLicenseNumber(licenseNumbers: readonly string[], authorization: string): Promise<Map<string, InstitutionFacts>> {
    if (licenseNumbers.length === 0) return new Map();
    const { institutionsByLicenseNumber: found } = await this.client.query<{ institutionsByLicenseNumber: ((InstitutionFacts & { licenseNumber: string }) | null)[] }>(
      `query ($licenseNumbers: [String!]!) { institutionsByLicenseNumber(licenseNumbers: $licenseNumbers) { id kind state licenseNumber region { code } } }`,
      { licenseNumbers },
      { authorization },
    );
    return new Map(found.filter((i) => i !== null).map((i) => [i!.licenseNumber, i!]));
  }

  /** Which of the given regions exist in the caller's tier, in one fetch. */
  async regionsVisible(codes: readonly string[], authorization: string): Promise<Set<string>> {
    const found = await this.client.entities<{ code: string }>('Region', codes.map((code) => ({ code })), 'code', { authorization });
    return new Set(found.filter((r) => r !== null).map((r) => r!.code));
  }

  async regionExists(code: string, authorization: string): Promise<boolean> {
    const [found] = await this.client.entities<{ code: string }>('Region', [{ code }], 'code', { authorization });
    return found !== null;
  }
}
