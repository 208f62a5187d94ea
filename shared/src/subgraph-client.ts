import { GraphQLError } from 'graphql';
import { SERVICE_TOKEN_HEADER } from './internal';

export type Credentials = { authorization: string } | { serviceToken: () => Promise<string> };

/**
 * Reads entities from another subgraph through its `_entities` field, the same way the gateway
 * does, either on the caller's behalf (their token, so their tier applies) or as a Sanji service.
 */
export class SubgraphClient {
  constructor(
    readonly name: string,
    private readonly url: string,
  ) {}

  async entities<T>(typename: string, representations: Record<string, unknown>[], selection: string, credentials: Credentials): Promise<(T | null)[]> {
    if (representations.length === 0) return [];
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if ('authorization' in credentials) headers.authorization = credentials.authorization;
    else headers[SERVICE_TOKEN_HEADER] = await credentials.serviceToken();
    const query = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { ${selection} } } }`;
    let body: { data?: { _entities: (T | null)[] }; errors?: unknown[] };
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables: { representations: representations.map((r) => ({ __typename: typename, ...r })) } }),
        signal: AbortSignal.timeout(10_000),
      });
      body = (await response.json()) as typeof body;
    } catch (err) {
      throw new GraphQLError(`The ${this.name} records could not be reached.`, { originalError: err as Error });
    }
    if (!body.data || body.errors?.length) {
      throw new GraphQLError(`The ${this.name} records could not be read.`, { extensions: { upstream: body.errors } });
    }
    return body.data._entities;
  }
}
