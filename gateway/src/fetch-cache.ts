import { createHash } from 'node:crypto';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { isSources, SOURCES_EXTENSION, type AnswerSources, type Sources } from '../../shared/src/answer-sources';
import type { ReadCache } from '../../shared/src/read-cache';
import type { Viewer } from '../../shared/src/viewer';
import { isMutation } from './subgraph-transport';

/** What a fetch needs of the request it serves. */
export interface FetchingFor {
  viewer: Viewer | null;
  sources: AnswerSources;
  /** The fetch cache's `arrival()` when the request arrived. */
  fetchesArrival: number;
}

/** A subgraph's answer to a fetch, kept: its data as JSON text, and what the subgraph said it was read from. */
interface KeptFetch {
  data: string;
  sources: Sources;
}

/**
 * Everything about the caller that changes what they may see or how it is masked: tier, region,
 * organization and roles. Two callers with the same claims receive the same answer from the
 * subgraphs, which decide from nothing else (the subject only signs the audit trail of writes).
 */
export function callerKey(viewer: Viewer): string {
  // In the token's order: the Viewer query answers the roles as the token lists them.
  return `${viewer.tier}|${viewer.regionCode}|${viewer.organizationId ?? ''}|${viewer.roles.join(',')}`;
}

/**
 * The subgraphs' answers to the gateway's fetches, kept by subgraph, fetch (its query and
 * variables, the entity representations included) and the caller's claims. A whole answer the
 * response cache has forgotten is planned again, but each of its fetches whose sources no change
 * met is answered here, without a request to the subgraph: a write to one subgraph costs the
 * answers that show it one fetch each, not one per subgraph they read.
 *
 * It keeps only what a subgraph reported its answer was read from (`sanjiSources`: regions,
 * records and the schemas read), and forgets it on the changes that meet those, as the response
 * cache does, with the same guarantees (`ReadCache.lookup`): a kept answer is served only once
 * every change committed before the request arrived has been heard. Mutations, answers with
 * errors and fetches for a request without a verified caller are never kept.
 */
export class FetchCache {
  constructor(readonly cache: ReadCache) {}

  /** Answers `options`' fetch to `subgraph` from the cache, or with `send` and keeps the answer. */
  async through<TContext extends FetchingFor>(
    subgraph: string,
    options: GraphQLDataSourceProcessOptions<TContext>,
    send: () => Promise<GatewayGraphQLResponse>,
  ): Promise<GatewayGraphQLResponse> {
    if (options.kind !== GraphQLDataSourceRequestKind.INCOMING_OPERATION || !this.cache.active) return send();
    const { context, request } = options;
    if (!context.viewer || isMutation(request.query)) return send();
    const key = createHash('sha1')
      .update(`${subgraph}\n${callerKey(context.viewer)}\n${request.query ?? ''}\n`)
      .update(JSON.stringify(request.variables ?? {}))
      .digest('base64');
    const found = await this.cache.lookup(key, context.fetchesArrival);
    if (found.hit) {
      const kept = found.value as KeptFetch;
      context.sources.addReported(kept.sources);
      return { data: JSON.parse(kept.data) as Record<string, unknown> };
    }
    const response = await send();
    const reported = response.extensions?.[SOURCES_EXTENSION];
    if (response.data && !response.errors?.length && isSources(reported)) {
      // Taken as text now, before the gateway merges the data into its answer.
      const kept: KeptFetch = { data: JSON.stringify(response.data), sources: reported };
      found.keep(kept, reported);
    }
    return response;
  }
}
