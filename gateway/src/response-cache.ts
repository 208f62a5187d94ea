import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import { SUBGRAPHS, type Config, type SubgraphName } from '../../shared/src/config';
import { GATEWAY_ROLE, subgraphDatabaseUrl } from '../../shared/src/database';
import type { Logger } from '../../shared/src/logger';
import type { ServiceMetrics } from '../../shared/src/metrics';
import { ChangeFeed, ReadCache } from '../../shared/src/read-cache';
import type { Viewer } from '../../shared/src/viewer';
import type { AnswerSources } from '../../shared/src/answer-sources';
import { callerKey, FetchCache } from './fetch-cache';

/** The gateway's cache of whole answers, and the change feed that empties it. */
export interface ResponseCache {
  cache: ReadCache;
  /** The subgraphs' answers to single fetches, told of changes by the same feed (see `FetchCache`). */
  fetches: FetchCache;
  plugin: ApolloServerPlugin<KeepingContext>;
  /**
   * Apollo Server's `stringifyResult`. A kept answer comes out as an empty string: the HTTP handler
   * sends the bytes the plugin put in the request's `keptAnswer` instead, as they were kept.
   */
  stringifyResult(result: FormattedExecutionResult): string;
  stop(): Promise<void>;
}

/** What the response cache needs of a request's context, and where it leaves a kept answer for the HTTP handler. */
export interface KeepingContext {
  viewer: Viewer | null;
  sources: AnswerSources;
  /**
   * Filled with the whole HTTP body of the answer when it was served from the cache, to be sent as
   * is. A holder: Apollo Server gives the plugins a copy of the context, which shares it.
   */
  keptAnswer?: { body: Buffer | null };
}

/**
 * Keeps the answers to queries, whole, keyed by the operation's document (its hash), its name,
 * its variables and the caller's claims, and serves them again without a query plan or a
 * subgraph fetch.
 *
 * Never stale: the cache hears, on a PostgreSQL connection of its own, every change announced on
 * the subgraphs' change channels (the statement triggers of `migrate`, whoever writes), with the
 * regions and records each change touched. Every subgraph reports with its answer what it was read
 * from (`answer-sources.ts`): the regions and records its reads declared, or the caller's tier
 * where a read could not say. A change forgets the answers whose sources it meets, as in the
 * subgraphs' read caches: a write in one county forgets the answers about that county, its city
 * and the province, and keeps those about every other city and county; a change whose extent
 * cannot be told, or an answer from a subgraph that reported nothing, forgets on any change. It
 * is the subgraphs' read cache (`ReadCache`), so it inherits their guarantees: nothing is kept
 * while the channels are not listened to; an answer read while a change that meets it was
 * announced is not kept; a new day in China forgets everything; and a kept answer is served only
 * after a round trip on the listening connection that began after the request arrived, so a write
 * committed before the request (through this gateway, another one, or at psql) has been heard first.
 *
 * Mutations are never kept, nor answers with errors or extensions, nor anything for a request without a
 * verified caller.
 */
export async function startResponseCache(config: Config, metrics: ServiceMetrics, log: Logger): Promise<ResponseCache> {
  // Answers are kept as the UTF-8 bytes of their whole HTTP body: sent again as they are, without
  // serializing or encoding them, and half the size of the same text held as a string (which, once
  // it holds Chinese, takes two bytes a character).
  const cache = new ReadCache(config.responseCacheEntries, { maxBytes: config.responseCacheMb * 1024 * 1024, size: (bytes) => (bytes as Buffer).length });
  /** The data of answers served from the cache: stand-in objects, whose bytes the HTTP handler sends. */
  const served = new WeakSet<object>();
  /** The data of an answer to keep once serialized, and where to keep its body. */
  const toKeep = new WeakMap<object, (body: string) => void>();
  const fetches = new FetchCache(new ReadCache(config.fetchCacheEntries, { maxBytes: config.fetchCacheMb * 1024 * 1024, size: (kept) => (kept as { data: string }).data.length * 2 }));
  const schemas = (Object.keys(SUBGRAPHS) as SubgraphName[]).filter((name) => SUBGRAPHS[name].enabled);
  const caches = [cache, fetches.cache].filter((one) => one.enabled);
  let feed: ChangeFeed | null = null;
  if (caches.length > 0) {
    const url = listeningUrl(config);
    if (url) feed = new ChangeFeed(url, schemas, 'sanji-gateway', caches, log);
    else log.warn('no DATABASE_URL: the gateway cannot hear changes, so it keeps no answers');
  }
  await feed?.start();

  metrics.mirrorCounter('sanji_response_cache_hits_total', 'Queries the gateway answered whole from its response cache.', () => cache.hits);
  metrics.mirrorCounter('sanji_response_cache_misses_total', 'Queries the response cache could not answer, planned and fetched from the subgraphs.', () => cache.misses);
  metrics.mirrorCounter('sanji_response_cache_forgotten_total', 'Answers the response cache forgot because a change was announced.', () => cache.forgotten);
  metrics.readGauge('sanji_response_cache_entries', 'Answers kept in the response cache.', () => cache.size);
  metrics.readGauge('sanji_response_cache_active', '1 while the response cache keeps answers (its change feed is listened to), else 0.', () => (cache.active ? 1 : 0));
  metrics.mirrorCounter('sanji_fetch_cache_hits_total', 'Subgraph fetches the gateway answered from its fetch cache.', () => fetches.cache.hits);
  metrics.mirrorCounter('sanji_fetch_cache_misses_total', 'Subgraph fetches the fetch cache could not answer, sent to the subgraph.', () => fetches.cache.misses);
  metrics.mirrorCounter('sanji_fetch_cache_forgotten_total', 'Fetch answers the fetch cache forgot because a change was announced.', () => fetches.cache.forgotten);
  metrics.readGauge('sanji_fetch_cache_entries', 'Fetch answers kept in the fetch cache.', () => fetches.cache.size);

  const plugin: ApolloServerPlugin<KeepingContext> = {
    async requestDidStart() {
      let keep: ((value: unknown, sources: AnswerSources) => void) | null = null;
      return {
        async responseForOperation({ operation, operationName, request, queryHash, contextValue }): Promise<GraphQLResponse | null> {
          // A context without a holder for the kept bytes (not the gateway's HTTP handler) is answered afresh.
          if (!cache.active || operation.operation !== 'query' || !contextValue.viewer || !contextValue.keptAnswer) return null;
          const variables = variablesKey(request.variables);
          if (variables === null) return null;
          const key = `${queryHash}|${operationName ?? ''}|${variables}|${callerKey(contextValue.viewer)}`;
          const found = await cache.lookup(key);
          if (found.hit) {
            const data: Record<string, unknown> = {};
            served.add(data);
            contextValue.keptAnswer.body = found.value as Buffer;
            return { http: { headers: new HeaderMap(), status: undefined }, body: { kind: 'single', singleResult: { data } } };
          }
          keep = (data, sources) => {
            const dependencies = sources.dependencies();
            toKeep.set(data as object, (body) => found.keep(ownBytes(body), dependencies));
          };
          return null;
        },
        async willSendResponse({ response, contextValue }) {
          if (!keep || response.body.kind !== 'single') return;
          const { data, errors, extensions } = response.body.singleResult;
          // An answer with errors, or one the gateway had to complete (a subgraph's null in a
          // non-null field, reported under `extensions.valueCompletion`), is not kept: it is served as it was made, once.
          if (errors?.length || !data || (extensions && Object.keys(extensions).length > 0)) return;
          keep(data, contextValue.sources);
        },
      };
    },
  };

  const stringifyResult = (result: FormattedExecutionResult): string => {
    const data = result.data ?? null;
    if (data && served.has(data)) return '';
    const body = JSON.stringify(result) + '\n';
    // Only an answer of data alone is kept (see willSendResponse): its body is the whole text.
    if (data) toKeep.get(data)?.(body);
    return body;
  };

  return { cache, fetches, plugin, stringifyResult, stop: async () => feed?.stop() };
}

/**
 * A body's bytes in memory of their own. `Buffer.from` would cut a short one from a shared 8 KB
 * slab, which it would then keep alive for as long as it is kept: more memory than the cache counts.
 */
function ownBytes(body: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(body));
  bytes.write(body);
  return bytes;
}

/** Variables larger than this are not worth a key: such answers are planned and fetched each time. */
const MAX_VARIABLES_KEY_LENGTH = 4096;

/**
 * The variables as part of a key, or null when the answer is not to be kept: variables nested
 * too deep to serialize (a malformed request, refused later by coercion with its own error), or
 * too large to be worth keeping.
 */
function variablesKey(variables: Record<string, unknown> | undefined): string | null {
  let text: string;
  try {
    text = JSON.stringify(variables ?? {});
  } catch {
    return null;
  }
  return text.length > MAX_VARIABLES_KEY_LENGTH ? null : text;
}

/**
 * The gateway's own role, granted nothing (LISTEN needs no rights): `SANJI_GATEWAY_DATABASE_URL`,
 * or DATABASE_URL's server as `sanji_gateway`, which `migrate` creates.
 */
function listeningUrl(config: Config): string | null {
  if (!config.databaseUrl && !process.env.SANJI_GATEWAY_DATABASE_URL) return null;
  return subgraphDatabaseUrl(config, GATEWAY_ROLE);
}
