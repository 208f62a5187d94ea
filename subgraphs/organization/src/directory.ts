import type { Config } from '../../../shared/src/config';
import { SubgraphClient, type EntityOf } from '../../../shared/src/subgraph-client';
import { FullPartyMemberCountDocument, OfficerFactsDocument, type OfficerFactsQuery } from './generated/members';

/** A person's current roles, as far as the organization rules need them. */
export type OfficerFacts = EntityOf<OfficerFactsQuery>;

/**
 * What the organization rules need to know of member records, read from the members subgraph on
 * the caller's behalf. When the records cannot be read, the write that needs them is refused.
 */
export class MembersDirectory {
  private readonly client: SubgraphClient;

  constructor(config: Config) {
    this.client = new SubgraphClient(config, 'organization', 'members');
  }

  async fullPartyMembers(institutionId: string, authorization: string): Promise<number> {
    const [counts] = await this.client.entities(FullPartyMemberCountDocument, 'Institution', [{ id: institutionId }], { authorization });
    return counts?.fullPartyMemberCount ?? 0;
  }

  /** Full Party members of several institutions, in one fetch, as `fullPartyMembers` counts them. */
  async fullPartyMembersOf(institutionIds: readonly string[], authorization: string): Promise<Map<string, number>> {
    const counts = await this.client.entities(FullPartyMemberCountDocument, 'Institution', institutionIds.map((id) => ({ id })), { authorization });
    return new Map(institutionIds.map((id, i) => [id, counts[i]?.fullPartyMemberCount ?? 0]));
  }

  /** A guidance officer the caller can see, with their current roles; NOT_FOUND naming `field` otherwise. */
  async officer(memberId: string, authorization: string, field: string): Promise<OfficerFacts> {
    return this.client.lookup(OfficerFactsDocument, 'Member', memberId, field, { authorization });
  }
}
