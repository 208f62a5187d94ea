import type { Config } from '../../../shared/src/config';
import { isUuid } from '../../../shared/src/sql';
import { SubgraphClient } from '../../../shared/src/subgraph-client';

export type PracticeKind = 'LAWYER' | 'NOTARY' | 'APPRAISER' | 'GRASSROOTS_LEGAL_WORKER';

export interface MemberFacts {
  id: string;
  partyStatus: 'APPLICANT' | 'ACTIVIST' | 'CANDIDATE' | 'PROBATIONARY' | 'FULL' | null;
  fullOn: string | null;
  practice: { kind: PracticeKind } | null;
  region: { code: string } | null;
  partyOrganization: { id: string } | null;
}

export interface OrganizationFacts {
  id: string;
  kind: 'INDUSTRY_COMMITTEE' | 'GENERAL_BRANCH' | 'STANDALONE_BRANCH' | 'JOINT_BRANCH' | 'TEMPORARY_BRANCH';
  foundedOn: string;
  dissolvedOn: string | null;
  region: { code: string } | null;
}

export interface InstitutionFacts {
  id: string;
  kind: 'LAW_FIRM' | 'NOTARY_OFFICE' | 'JUDICIAL_APPRAISAL' | 'GRASSROOTS_LEGAL_SERVICE';
  state: 'OPERATING' | 'CLOSED';
  approvedOn: string | null;
  region: { code: string } | null;
  partyOrganization: { id: string } | null;
}

/**
 * The facts about recipients that nominations and decisions rest on, read from the members and
 * organization subgraphs on the caller's behalf: a recipient outside the caller's tier is not
 * found, exactly as in a query. Null means not found.
 */
export class RecipientDirectory {
  private readonly members: SubgraphClient;
  private readonly organization: SubgraphClient;

  constructor(config: Config) {
    this.members = new SubgraphClient(config, 'commendations', 'members');
    this.organization = new SubgraphClient(config, 'commendations', 'organization');
  }

  async member(id: string, authorization: string): Promise<MemberFacts | null> {
    if (!isUuid(id)) return null;
    const [found] = await this.members.entities<MemberFacts>(
      'Member',
      [{ id }],
      'id partyStatus fullOn practice { kind } region { code } partyOrganization { id }',
      { authorization },
    );
    return found;
  }

  async partyOrganization(id: string, authorization: string): Promise<OrganizationFacts | null> {
    if (!isUuid(id)) return null;
    const [found] = await this.organization.entities<OrganizationFacts>(
      'PartyOrganization',
      [{ id }],
      'id kind foundedOn dissolvedOn region { code }',
      { authorization },
    );
    return found;
  }

  async institution(id: string, authorization: string): Promise<InstitutionFacts | null> {
    if (!isUuid(id)) return null;
    const [found] = await this.organization.entities<InstitutionFacts>(
      'Institution',
      [{ id }],
      'id kind state approvedOn region { code } partyOrganization { id }',
      { authorization },
    );
    return found;
  }

  /**
   * Which of these recipients the caller's tier holds, as their own subgraph decides: the
   * commendations field of one outside it answers null. One request for the whole batch.
   */
  async visible(typename: 'Member' | 'PartyOrganization' | 'Institution', ids: readonly string[], authorization: string): Promise<boolean[]> {
    const client = typename === 'Member' ? this.members : this.organization;
    const valid = ids.filter(isUuid);
    const found = await client.entities<{ id: string }>(typename, valid.map((id) => ({ id })), 'id', { authorization });
    const held = new Set(found.filter((row) => row !== null).map((row) => row!.id));
    return ids.map((id) => held.has(id));
  }

  async regionExists(code: string, authorization: string): Promise<boolean> {
    const [found] = await this.organization.entities<{ code: string }>('Region', [{ code }], 'code', { authorization });
    return found !== null;
  }
}
