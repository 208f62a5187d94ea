import type { Config } from '../../../shared/src/config';
import { SubgraphClient } from '../../../shared/src/subgraph-client';

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
}
