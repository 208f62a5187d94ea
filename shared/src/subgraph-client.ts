import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { GraphQLError, print, type DocumentNode } from 'graphql';
import { noteLookup } from './answer-sources';
import type { Config, SubgraphName } from './config';
import { notFound } from './errors';
import { createProofSigner, PROOF_HEADER, type OnBehalfOf, type ProofSigner } from './internal';
import { currentRequestId, REQUEST_ID_HEADER } from './request-id';
import { isUuid } from './sql';

export type { OnBehalfOf };

/** A generated document that reads records through `_entities`, as `subgraphs/<name>/src/directory/*.graphql` hold them. */
export type EntitiesDocument<TResult> = TypedDocumentNode<TResult, { representations: Record<string, unknown>[] }>;

/**
 * The record an `_entities` document reads. The generated result type lists every entity type of
 * the subgraph asked, those the document selects nothing of as empty objects: these are left out.
 */
export type EntityOf<TResult> = TResult extends { _entities: readonly (infer E)[] } ? Exclude<E, Record<PropertyKey, never> | null> : never;

/** The text of each document sent, printed once: the proof is made over the text. */
const printed = new WeakMap<DocumentNode, string>();

function textOf(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

/** `PartyOrganization` as a not-found message names it: `Party organization`. */
function recordName(typename: string): string {
  return typename.replace(/(?<=[a-z])(?=[A-Z])/g, ' ').replace(/ ./g, (letter) => letter.toLowerCase());
}

/**
 * Reads from another subgraph, entities through its `_entities` field the same way the gateway
 * does, with the proof that the request comes from Sanji. The documents it sends are generated
 * from `directory/<target>.graphql`, so what is asked and what comes back are typed by the schema
 * of the subgraph asked. A lookup on a caller's behalf carries their token and a proof bound to
 * it (an empty token is refused by the subgraph asked, never taken for the service); only
 * `'service'` makes the lookup the service's own.
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

  /**
   * One record by id, or the NOT_FOUND error naming `field` when it does not exist or lies outside
   * the caller's tier (which the subgraph asked answers alike). An id that is no UUID names no
   * record, and is not sent.
   */
  async lookup<TResult>(document: EntitiesDocument<TResult>, typename: string, id: string, field: string, onBehalfOf: OnBehalfOf): Promise<EntityOf<TResult>> {
    const found = await this.find(document, typename, id, onBehalfOf);
    if (!found) throw notFound(recordName(typename), id, field);
    return found;
  }

  /** One record by id, or null where `lookup` would refuse. */
  async find<TResult>(document: EntitiesDocument<TResult>, typename: string, id: string, onBehalfOf: OnBehalfOf): Promise<EntityOf<TResult> | null> {
    const [found] = await this.byIds(document, typename, [id], onBehalfOf);
    return found;
  }

  /** Records by id in one request, in the order asked, each null when not found (an id that is no UUID is not sent). */
  async byIds<TResult>(document: EntitiesDocument<TResult>, typename: string, ids: readonly string[], onBehalfOf: OnBehalfOf): Promise<(EntityOf<TResult> | null)[]> {
    const valid = ids.filter(isUuid);
    const found = await this.entities(document, typename, valid.map((id) => ({ id })), onBehalfOf);
    let next = 0;
    return ids.map((id) => (isUuid(id) ? found[next++] : null));
  }

  /** Records by their keys (`{ id }`, `{ code }`) in one request, in the order given, each null when not found. */
  async entities<TResult>(document: EntitiesDocument<TResult>, typename: string, keys: Record<string, unknown>[], onBehalfOf: OnBehalfOf): Promise<(EntityOf<TResult> | null)[]> {
    if (keys.length === 0) return [];
    const representations = keys.map((key) => ({ __typename: typename, ...key }));
    const data = await this.request(document, { representations }, onBehalfOf);
    return (data as { _entities: (EntityOf<TResult> | null)[] })._entities;
  }

  /** Runs one operation against the target subgraph; any error in its answer fails the whole. */
  async request<TResult, TVariables extends Record<string, unknown>>(document: TypedDocumentNode<TResult, TVariables>, variables: TVariables, onBehalfOf: OnBehalfOf): Promise<TResult> {
    const query = textOf(document);
    const headers: Record<string, string> = { 'content-type': 'application/json', [PROOF_HEADER]: await this.sign(query, variables, onBehalfOf) };
    if (onBehalfOf !== 'service') headers.authorization = onBehalfOf.authorization;
    // The lookup is part of the request that needs it: the target logs it under the same id.
    const requestId = currentRequestId();
    if (requestId) headers[REQUEST_ID_HEADER] = requestId;
    let body: { data?: TResult; errors?: unknown[]; extensions?: Record<string, unknown> };
    try {
      const response = await fetch(this.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(this.timeoutMs) });
      body = (await response.json()) as typeof body;
    } catch (err) {
      throw new GraphQLError(`The ${this.target} records could not be reached.`, { originalError: err as Error });
    }
    if (!body.data || body.errors?.length) {
      throw new GraphQLError(`The ${this.target} records could not be read.`, { extensions: { upstream: body.errors } });
    }
    // What the other subgraph read for this answer is part of what the caller's answer was read from.
    noteLookup(body.extensions);
    return body.data;
  }
}
