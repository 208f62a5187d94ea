import type { Config } from '../../../shared/src/config';
import { SubgraphClient, type EntityOf } from '../../../shared/src/subgraph-client';
import { ExistsDocument as MemberExistsDocument, MemberFactsDocument, type MemberFactsQuery } from './generated/members';
import { ExistsDocument, InstitutionFactsDocument, OrganizationFactsDocument, type InstitutionFactsQuery, type OrganizationFactsQuery } from './generated/organization';

export type MemberFacts = EntityOf<MemberFactsQuery>;
export type OrganizationFacts = EntityOf<OrganizationFactsQuery>;
export type InstitutionFacts = EntityOf<InstitutionFactsQuery>;

/**
 * The facts about people that nominations and decisions rest on, read from the members subgraph
 * on the caller's behalf: a recipient outside the caller's tier is not found, exactly as in a
 * query. Null means not found.
 */
export class MembersDirectory {
  private readonly client: SubgraphClient;

  constructor(config: Config) {
    this.client = new SubgraphClient(config, 'commendations', 'members');
  }

  async member(id: string, authorization: string): Promise<MemberFacts | null> {
    return this.client.find(MemberFactsDocument, 'Member', id, { authorization });
  }

  /**
   * Which of these members the caller's tier holds, as the members subgraph decides: the
   * commendations field of one outside it answers null. One request for the whole batch.
   */
  async visible(ids: readonly string[], authorization: string): Promise<boolean[]> {
    return (await this.client.byIds(MemberExistsDocument, 'Member', ids, { authorization })).map((found) => found !== null);
  }
}

/**
 * The facts about branches and institutions that nominations and decisions rest on, and the
 * regions programs name, read from the organization subgraph on the caller's behalf: a recipient
 * outside the caller's tier is not found, exactly as in a query. Null means not found.
 */
export class OrganizationDirectory {
  private readonly client: SubgraphClient;

  constructor(config: Config) {
    this.client = new SubgraphClient(config, 'commendations', 'organization');
  }

  async partyOrganization(id: string, authorization: string): Promise<OrganizationFacts | null> {
    return this.client.find(OrganizationFactsDocument, 'PartyOrganization', id, { authorization });
  }

  async institution(id: string, authorization: string): Promise<InstitutionFacts | null> {
    return this.client.find(InstitutionFactsDocument, 'Institution', id, { authorization });
  }

  /**
   * Which of these recipients the caller's tier holds, as the organization subgraph decides: the
   * commendations field of one outside it answers null. One request for the whole batch.
   */
  async visible(typename: 'PartyOrganization' | 'Institution', ids: readonly string[], authorization: string): Promise<boolean[]> {
    return (await this.client.byIds(ExistsDocument, typename, ids, { authorization })).map((found) => found !== null);
  }

  async regionExists(code: string, authorization: string): Promise<boolean> {
    const [found] = await this.client.entities(ExistsDocument, 'Region', [{ code }], { authorization });
    return found !== null;
  }
}
