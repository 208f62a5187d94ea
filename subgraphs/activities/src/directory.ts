import type { Config } from '../../../shared/src/config';
import { SubgraphClient, type EntityOf } from '../../../shared/src/subgraph-client';
import { ExistsDocument as MemberExistsDocument, OfficerFactsDocument, ParticipantsDocument, PeopleDocument, type OfficerFactsQuery, type PersonFactsFragment } from './generated/members';
import {
  ExistsDocument,
  InstitutionFactsDocument,
  OrganizationFactsDocument,
  OrganizerRegionDocument,
  StationFactsDocument,
  type InstitutionFactsQuery,
  type OrganizationFactsQuery,
  type StationFactsQuery,
} from './generated/organization';
import type { OrganizerTier } from './rules';

export type OrganizationFacts = EntityOf<OrganizationFactsQuery>;
export type StationFacts = EntityOf<StationFactsQuery>;
export type InstitutionFacts = EntityOf<InstitutionFactsQuery>;
/** A person as this subgraph needs to know them: where they belong. */
export type PersonFacts = PersonFactsFragment;
export type OfficerFacts = EntityOf<OfficerFactsQuery>;

/**
 * What the activities subgraph needs to know of the organization structure, read through the
 * organization subgraph's `_entities` field on the caller's behalf, so the caller's tier applies:
 * a record the caller cannot see reads as missing. Lookups happen before a write opens its transaction.
 */
export class OrganizationDirectory {
  private readonly client: SubgraphClient;

  constructor(config: Config) {
    this.client = new SubgraphClient(config, 'activities', 'organization');
  }

  async partyOrganization(id: string, authorization: string, field: string): Promise<OrganizationFacts> {
    return this.client.lookup(OrganizationFactsDocument, 'PartyOrganization', id, field, { authorization });
  }

  async station(id: string, authorization: string, field: string): Promise<StationFacts> {
    return this.client.lookup(StationFactsDocument, 'GuidanceStation', id, field, { authorization });
  }

  async institution(id: string, authorization: string, field: string): Promise<InstitutionFacts> {
    return this.client.lookup(InstitutionFactsDocument, 'Institution', id, field, { authorization });
  }

  /**
   * Where an activity's organizer stands, for the owner check of a write: asked as this service,
   * since the organizer may lie above the caller's tier (a city station's class held in a county).
   * Only the region is read, and it never reaches the caller: the check answers FORBIDDEN or not.
   */
  async organizerTier(activity: { organizationId: string | null; stationId: string | null }): Promise<OrganizerTier> {
    const [typename, id] = activity.organizationId ? ['PartyOrganization', activity.organizationId] : ['GuidanceStation', activity.stationId!];
    const [found] = await this.client.entities(OrganizerRegionDocument, typename, [{ id }], 'service');
    return { organizationId: activity.organizationId, regionCode: found?.region?.code ?? '' };
  }

  /**
   * Which of these records the caller's tier holds, as the organization subgraph decides: the
   * fields this subgraph adds to them answer null outside it. One request for the whole batch.
   */
  async visible(typename: 'Institution' | 'GuidanceStation', ids: readonly string[], authorization: string): Promise<boolean[]> {
    return (await this.client.byIds(ExistsDocument, typename, ids, { authorization })).map((found) => found !== null);
  }

  async regionExists(code: string, authorization: string): Promise<boolean> {
    const [found] = await this.client.entities(ExistsDocument, 'Region', [{ code }], { authorization });
    return found !== null;
  }
}

/**
 * What the activities subgraph needs to know of people, read through the members subgraph's
 * `_entities` field on the caller's behalf, so the caller's tier applies: a member the caller
 * cannot see reads as missing.
 */
export class MembersDirectory {
  private readonly client: SubgraphClient;

  constructor(config: Config) {
    this.client = new SubgraphClient(config, 'activities', 'members');
  }

  /** The formal members and temporary participants of an organization, as the caller's tier sees them. */
  async participantsOf(organizationId: string, authorization: string): Promise<Map<string, PersonFacts>> {
    const [found] = await this.client.entities(ParticipantsDocument, 'PartyOrganization', [{ id: organizationId }], { authorization });
    const people = [...(found?.members ?? []), ...(found?.temporaryParticipants ?? [])];
    return new Map(people.map((person) => [person.id, person]));
  }

  /** Members by id, each null when it does not exist or lies outside the caller's tier. */
  async people(ids: readonly string[], authorization: string): Promise<(PersonFacts | null)[]> {
    return this.client.byIds(PeopleDocument, 'Member', ids, { authorization });
  }

  async officer(id: string, authorization: string, field: string): Promise<OfficerFacts> {
    return this.client.lookup(OfficerFactsDocument, 'Member', id, field, { authorization });
  }

  /** Which of these members the caller's tier holds, as the members subgraph decides. One request for the whole batch. */
  async visible(ids: readonly string[], authorization: string): Promise<boolean[]> {
    return (await this.client.byIds(MemberExistsDocument, 'Member', ids, { authorization })).map((found) => found !== null);
  }
}
