import { GraphQLError } from 'graphql';
import type { Config, SubgraphName } from './config';
import { createProofSigner, PROOF_HEADER, type OnBehalfOf, type ProofSigner } from './internal';
import { currentRequestId, REQUEST_ID_HEADER } from './request-id';

export type { OnBehalfOf };

/**
 * Reads from another subgraph, entities through its `_entities` field the same way the gateway
 * does, with the proof that the request comes from Sanji. A lookup on a caller's behalf carries
 * their token and a proof bound to it (an empty token is refused by the subgraph asked, never
 * taken for the service); only `'service'` makes the lookup the service's own.
 */
export class SubgraphClient {
  private readonly url: string;
  private readonly sign: ProofSigner;

  /** `service` is the service asking (a subgraph, or the gateway); `target` the subgraph asked. */
  constructor(
    config: Config,
    service: SubgraphName | 'gateway',
    readonly target: SubgraphName,
    private readonly timeoutMs = 10_000,
  ) {
    this.url = config.subgraphUrls[target];
    this.sign = createProofSigner(config, service);
  }

  async entities<T>(typename: string, representations: Record<string, unknown>[], selection: string, onBehalfOf: OnBehalfOf): Promise<(T | null)[]> {
    if (representations.length === 0) return [];
    const query = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { ${selection} } } }`;
    const variables = { representations: representations.map((r) => ({ __typename: typename, ...r })) };
    return (await this.query<{ _entities: (T | null)[] }>(query, variables, onBehalfOf))._entities;
  }

  /** Runs one operation against the target subgraph; any error in its answer fails the whole. */
  async query<T>(query: string, variables: Record<string, unknown>, onBehalfOf: OnBehalfOf): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json', [PROOF_HEADER]: await this.sign(query, variables, onBehalfOf) };
    if (onBehalfOf !== 'service') headers.authorization = onBehalfOf.authorization;
    // The lookup is part of the request that needs it: the target logs it under the same id.
    const requestId = currentRequestId();
    if (requestId) headers[REQUEST_ID_HEADER] = requestId;
    let body: { data?: T; errors?: unknown[] };
    try {
      const response = await fetch(this.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(this.timeoutMs) });
      body = (await response.json()) as typeof body;
    } catch (err) {
      throw new GraphQLError(`The ${this.target} records could not be reached.`, { originalError: err as Error });
    }
    if (!body.data || body.errors?.length) {
      throw new GraphQLError(`The ${this.target} records could not be read.`, { extensions: { upstream: body.errors } });
    }
    return body.data;
  }
}
