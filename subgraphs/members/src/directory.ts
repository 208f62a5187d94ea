import type { Config } from '../../../shared/src/config';
import { SubgraphClient, type EntityOf } from '../../../shared/src/subgraph-client';
import { ActivityFactsDocument, type ActivityFactsQuery } from './generated/activities';
import {
  ExistsDocument,
  InstitutionFactsDocument,
  InstitutionsByLicenseNumberDocument,
  OrganizationFactsDocument,
  OrganizationRegionsDocument,
  StationFactsDocument,
  type InstitutionFactsQuery,
  type OrganizationFactsQuery,
  type StationFactsQuery,
} from './generated/organization';

export type InstitutionFacts = EntityOf<InstitutionFactsQuery>;
export type OrganizationFacts = EntityOf<OrganizationFactsQuery>;
export type StationFacts = EntityOf<StationFactsQuery>;
export type ActivityFacts = EntityOf<ActivityFactsQuery>;

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
    return this.client.lookup(InstitutionFactsDocument, 'Institution', id, field, { authorization });
  }

  async organization(id: string, field: string, access: { authorization: string } | 'anyTier'): Promise<OrganizationFacts> {
    return this.client.lookup(OrganizationFactsDocument, 'PartyOrganization', id, field, access === 'anyTier' ? 'service' : access);
  }

  async station(id: string, authorization: string, field: string): Promise<StationFacts> {
    return this.client.lookup(StationFactsDocument, 'GuidanceStation', id, field, { authorization });
  }

  /**
   * Which of the given records of one type the caller's tier can see, in one fetch: the
   * organization subgraph answers null for a record outside the tier, exactly as for a missing one.
   */
  async visible(typename: 'Institution' | 'PartyOrganization' | 'GuidanceStation', ids: readonly string[], authorization: string): Promise<boolean[]> {
    return (await this.client.byIds(ExistsDocument, typename, ids, { authorization })).map((found) => found !== null);
  }

  /**
   * The regions of Party organizations in any tier, for deciding which tier owns a member's formal
   * relation. Runs as the members service and never leaves this subgraph.
   */
  async organizationRegions(ids: readonly string[]): Promise<(string | null)[]> {
    return (await this.client.byIds(OrganizationRegionsDocument, 'PartyOrganization', ids, 'service')).map((found) => found?.region?.code ?? null);
  }

  /**
   * Institutions by licence number (the key a ledger row names them by), in one fetch: null where
   * none is registered or it lies outside the caller's tier.
   */
  async institutionsByLicenseNumber(licenseNumbers: readonly string[], authorization: string): Promise<Map<string, InstitutionFacts>> {
    if (licenseNumbers.length === 0) return new Map();
    const { institutionsByLicenseNumber: found } = await this.client.request(InstitutionsByLicenseNumberDocument, { licenseNumbers: [...licenseNumbers] }, { authorization });
    return new Map(found.filter((i) => i !== null).map((i) => [i!.licenseNumber, i!]));
  }

  /** Which of the given regions exist in the caller's tier, in one fetch. */
  async regionsVisible(codes: readonly string[], authorization: string): Promise<Set<string>> {
    const found = await this.client.entities(ExistsDocument, 'Region', codes.map((code) => ({ code })), { authorization });
    return new Set(codes.filter((_, i) => found[i] !== null));
  }

  async regionExists(code: string, authorization: string): Promise<boolean> {
    const [found] = await this.client.entities(ExistsDocument, 'Region', [{ code }], { authorization });
    return found !== null;
  }
}

/**
 * What the members subgraph needs to know of activities: the meeting a democratic appraisal grade
 * names, on the caller's behalf, so a meeting outside the caller's tier reads as missing.
 */
export class ActivitiesDirectory {
  private readonly client: SubgraphClient;

  constructor(config: Config) {
    this.client = new SubgraphClient(config, 'members', 'activities');
  }

  async activity(id: string, authorization: string, field: string): Promise<ActivityFacts> {
    return this.client.lookup(ActivityFactsDocument, 'Activity', id, field, { authorization });
  }
}
