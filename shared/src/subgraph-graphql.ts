import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse } from 'graphql';
import { SOURCES_EXTENSION, type AnswerSources } from './answer-sources';
import type { AuditFilter, AuditRow } from './audit';
import { PROJECT_ROOT, type Config, type SubgraphName } from './config';
import { maskingFormatError } from './error-policy';
import { isClientError } from './errors';
import { capLists } from './list-limits';
import type { Logger } from './logger';
import type { Connection } from './pagination';
import type { ScopedReads } from './read-cache';
import type { Caller } from './viewer';

/** What every subgraph resolver receives, extended by each subgraph with its loaders and repositories. */
export interface BaseContext extends Caller {
  /** The subgraph's read cache, as this caller's scope may use it. */
  reads: ScopedReads;
  /** What this request's answer is read from, reported with the answer (see `answer-sources.ts`). */
  sources: AnswerSources;
  log: Logger;
  /** A page of this subgraph's audit trail, as the caller may read it. */
  auditTrail: (args: { filter?: AuditFilter | null; first?: number | null; after?: string | null }) => Promise<Connection<AuditRow>>;
}

export interface SubgraphGraphQLOptions<TContext extends BaseContext> {
  /** The subgraph, whose SDL is `subgraphs/<name>/schema.graphql`. */
  name: SubgraphName;
  /** The subgraph's resolvers, typed by its generated `Resolvers`. */
  resolvers: object;
  config: Config;
  /** The server's own plugins besides the error policy's: its drain and its request metrics. */
  plugins: ApolloServerPlugin<TContext>[];
}

/**
 * The subgraph's GraphQL server: its SDL with its resolvers as a federated schema, every list
 * capped, errors masked by the error policy and logged with the request id.
 */
export function createSubgraphGraphQL<TContext extends BaseContext>(options: SubgraphGraphQLOptions<TContext>): ApolloServer<TContext> {
  const { config } = options;
  const typeDefs = parse(readFileSync(join(PROJECT_ROOT, 'subgraphs', options.name, 'schema.graphql'), 'utf8'));
  return new ApolloServer<TContext>({
    schema: capLists(buildSubgraphSchema({ typeDefs, resolvers: options.resolvers as GraphQLResolverMap<unknown> })),
    // The process stops the server itself on SIGINT/SIGTERM (runUntilSignalled), then exits.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError: maskingFormatError(config.env === 'production'),
    plugins: [
      ...options.plugins,
      // Both hook every field resolver; they earn that only where traces are collected.
      ...(config.inlineTracing ? [ApolloServerPluginInlineTrace()] : [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()]),
      ApolloServerPluginLandingPageDisabled(),
      errorLoggingPlugin<TContext>(),
      sourcesPlugin<TContext>(),
    ],
  });
}

/**
 * Reports with a query's answer what it was read from, for the caches of whole answers above the
 * subgraph (the gateway's, another subgraph's lookup). Nothing is reported for a mutation, or when
 * the answer depends on anything.
 */
function sourcesPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operation, response }) {
          if (operation?.operation !== 'query' || response.body.kind !== 'single') return;
          const dependencies = contextValue.sources.dependencies();
          if (!dependencies) return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, [SOURCES_EXTENSION]: dependencies };
        },
      };
    },
  };
}

/** Puts the request id on every error and logs the internal ones with it. */
function errorLoggingPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors }) {
          for (const err of errors) {
            err.extensions.requestId = contextValue.requestId;
            if (!isClientError(err) && !err.extensions.code) {
              contextValue.log.error({ err: err.originalError ?? err, path: err.path }, 'resolver failed');
            }
          }
        },
      };
    },
  };
}
