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
  plugin: ApolloServerPlugin<{ viewer: Viewer | null; sources: AnswerSources }>;
  /** Apollo Server's `stringifyResult`: a kept answer is sent as it was kept, without serializing it again. */
  stringifyResult(result: FormattedExecutionResult): string;
  stop(): Promise<void>;
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
  // Answers are kept as the JSON text of their data: compact, and sent again without serializing. A
  // string of Chinese text takes two bytes a character.
  const cache = new ReadCache(config.responseCacheEntries, { maxBytes: config.responseCacheMb * 1024 * 1024, size: (text) => (text as string).length * 2 });
  /** The data of an answer served from the cache, a stand-in object, and the text it was kept as. */
  const servedText = new WeakMap<object, string>();
  /** The data of an answer to keep once serialized, and where to keep its text. */
  const toKeep = new WeakMap<object, (text: string) => void>();
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

  const plugin: ApolloServerPlugin<{ viewer: Viewer | null; sources: AnswerSources }> = {
    async requestDidStart() {
      let keep: ((value: unknown, sources: AnswerSources) => void) | null = null;
      return {
        async responseForOperation({ operation, operationName, request, queryHash, contextValue }): Promise<GraphQLResponse | null> {
          if (!cache.active || operation.operation !== 'query' || !contextValue.viewer) return null;
          const variables = variablesKey(request.variables);
          if (variables === null) return null;
          const key = `${queryHash}|${operationName ?? ''}|${variables}|${callerKey(contextValue.viewer)}`;
          const found = await cache.lookup(key);
          if (found.hit) {
            const data: Record<string, unknown> = {};
            servedText.set(data, found.value as string);
            return { http: { headers: new HeaderMap(), status: undefined }, body: { kind: 'single', singleResult: { data } } };
          }
          keep = (data, sources) => {
            const dependencies = sources.dependencies();
            toKeep.set(data as object, (text) => found.keep(text, dependencies));
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
    const served = data ? servedText.get(data) : undefined;
    const keepText = data ? toKeep.get(data) : undefined;
    if (served === undefined && keepText === undefined) return JSON.stringify(result) + '\n';
    // In Apollo Server's order (errors, data, extensions), the data as its text.
    const dataText = served ?? JSON.stringify(data);
    keepText?.(dataText);
    const parts = Object.entries(result)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${JSON.stringify(name)}:${name === 'data' ? dataText : JSON.stringify(value)}`);
    return `{${parts.join(',')}}\n`;
  };

  return { cache, fetches, plugin, stringifyResult, stop: async () => feed?.stop() };
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
