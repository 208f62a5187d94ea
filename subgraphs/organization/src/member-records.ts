import type { Config } from '../../../shared/src/config';
import { SubgraphClient } from '../../../shared/src/subgraph-client';

/** A person's current roles, as far as the organization rules need them. */
export interface OfficerFacts {
  id: string;
  roles: { kind: string; station: { id: string } | null }[];
}

/**
 * What the organization rules need to know of member records, read from the members subgraph on
 * the caller's behalf. When the records cannot be read, the write that needs them is refused.
 */
export class MemberRecords {
  private readonly client: SubgraphClient;

  constructor(config: Config) {
    this.client = new SubgraphClient(config, 'organization', 'members');
  }

  async fullPartyMembers(institutionId: string, authorization: string): Promise<number> {
    const [counts] = await this.client.entities<{ fullPartyMemberCount: number | null }>(
      'Institution',
      [{ id: institutionId }],
      'fullPartyMemberCount',
      { authorization },
    );
    return counts?.fullPartyMemberCount ?? 0;
  }

  /** Full Party members of several institutions, in one fetch, as `fullPartyMembers` counts them. */
  async fullPartyMembersOf(institutionIds: readonly string[], authorization: string): Promise<Map<string, number>> {
    const counts = await this.client.entities<{ fullPartyMemberCount: number | null }>(
      'Institution',
      institutionIds.map((id) => ({ id })),
      'fullPartyMemberCount',
      { authorization },
    );
    return new Map(institutionIds.map((id, i) => [id, counts[i]?.fullPartyMemberCount ?? 0]));
  }

  /** A member's current roles, or null when the caller cannot see the member (or there is none). */
  async person(memberId: string, authorization: string): Promise<OfficerFacts | null> {
    const [found] = await this.client.entities<OfficerFacts>('Member', [{ id: memberId }], 'id roles { kind station { id } }', { authorization });
    return found ?? null;
  }
}
