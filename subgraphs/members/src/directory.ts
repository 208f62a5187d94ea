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

  async regionExists(code: string, authorization: string): Promise<boolean> {
    const [found] = await this.client.entities<{ code: string }>('Region', [{ code }], 'code', { authorization });
    return found !== null;
  }
}
