import type { Config } from '../../../shared/src/config';
import { notFound } from '../../../shared/src/errors';
import { isUuid } from '../../../shared/src/sql';
import { SubgraphClient } from '../../../shared/src/subgraph-client';
import type { OrganizerTier } from './rules';

export interface OrganizationFacts {
  id: string;
  kind: string;
  foundedOn: string;
  dissolvedOn: string | null;
  region: { code: string } | null;
}

export interface StationFacts {
  id: string;
  tier: 'PROVINCE' | 'CITY' | 'COUNTY';
  establishedOn: string | null;
  region: { code: string } | null;
}

export interface InstitutionFacts {
  id: string;
  state: 'OPERATING' | 'CLOSED';
  approvedOn: string | null;
  region: { code: string } | null;
  partyOrganization: { id: string } | null;
}

/** A person as this subgraph needs to know them: where they belong, and their roles. */
export interface PersonFacts {
  id: string;
  region: { code: string } | null;
  partyOrganization: { id: string } | null;
}

export interface OfficerFacts {
  id: string;
  roles: { kind: string; station: { id: string } | null }[];
}

const PERSON = 'id region { code } partyOrganization { id }';

/**
 * What the activities subgraph needs to know of the other subgraphs' records, read through their
 * `_entities` field on the caller's behalf, so the caller's tier applies: a record the caller
 * cannot see reads as missing. Lookups happen before a write opens its transaction.
 */
export class Directory {
  private readonly organization: SubgraphClient;
  private readonly members: SubgraphClient;

  constructor(config: Config) {
    this.organization = new SubgraphClient(config, 'activities', 'organization');
    this.members = new SubgraphClient(config, 'activities', 'members');
  }

  async partyOrganization(id: string, authorization: string, field: string): Promise<OrganizationFacts> {
    const [found] = isUuid(id)
      ? await this.organization.entities<OrganizationFacts>('PartyOrganization', [{ id }], 'id kind foundedOn dissolvedOn region { code }', { authorization })
      : [null];
    if (!found) throw notFound('Party organization', id, field);
    return found;
  }

  async station(id: string, authorization: string, field: string): Promise<StationFacts> {
    const [found] = isUuid(id)
      ? await this.organization.entities<StationFacts>('GuidanceStation', [{ id }], 'id tier establishedOn region { code }', { authorization })
      : [null];
    if (!found) throw notFound('Guidance station', id, field);
    return found;
  }

  async institution(id: string, authorization: string, field: string): Promise<InstitutionFacts> {
    const [found] = isUuid(id)
      ? await this.organization.entities<InstitutionFacts>('Institution', [{ id }], 'id state approvedOn region { code } partyOrganization { id }', { authorization })
      : [null];
    if (!found) throw notFound('Institution', id, field);
    return found;
  }

  /**
   * Where an activity's organizer stands, for the owner check of a write: asked as this service,
   * since the organizer may lie above the caller's tier (a city station's class held in a county).
   * Only the region is read, and it never reaches the caller: the check answers FORBIDDEN or not.
   */
  async organizerTier(activity: { organizationId: string | null; stationId: string | null }): Promise<OrganizerTier> {
    const [typename, id] = activity.organizationId ? ['PartyOrganization', activity.organizationId] : ['GuidanceStation', activity.stationId!];
    const [found] = await this.organization.entities<{ region: { code: string } | null }>(typename, [{ id }], 'region { code }', 'service');
    return { organizationId: activity.organizationId, regionCode: found?.region?.code ?? '' };
  }

  /**
   * Which of these records of another subgraph the caller's tier holds, as that subgraph decides:
   * the fields this subgraph adds to them answer null outside it. One request for the whole batch.
   */
  async visible(typename: 'Member' | 'Institution' | 'GuidanceStation', ids: readonly string[], authorization: string): Promise<boolean[]> {
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

  /** The formal members and temporary participants of an organization, as the caller's tier sees them. */
  async participantsOf(organizationId: string, authorization: string): Promise<Map<string, PersonFacts>> {
    const [found] = await this.members.entities<{ members: PersonFacts[] | null; temporaryParticipants: PersonFacts[] | null }>(
      'PartyOrganization',
      [{ id: organizationId }],
      `members { ${PERSON} } temporaryParticipants { ${PERSON} }`,
      { authorization },
    );
    const people = [...(found?.members ?? []), ...(found?.temporaryParticipants ?? [])];
    return new Map(people.map((person) => [person.id, person]));
  }

  /** Members by id, each null when it does not exist or lies outside the caller's tier. */
  async people(ids: readonly string[], authorization: string): Promise<(PersonFacts | null)[]> {
    const valid = ids.map((id) => (isUuid(id) ? id : null));
    const found = await this.members.entities<PersonFacts>('Member', valid.filter((id) => id !== null).map((id) => ({ id })), PERSON, { authorization });
    let next = 0;
    return valid.map((id) => (id === null ? null : found[next++]));
  }

  async officer(id: string, authorization: string, field: string): Promise<OfficerFacts> {
    const [found] = isUuid(id)
      ? await this.members.entities<OfficerFacts>('Member', [{ id }], 'id roles { kind station { id } }', { authorization })
      : [null];
    if (!found) throw notFound('Member', id, field);
    return found;
  }
}
