import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, printSchema, type GraphQLSchema } from 'graphql';
import { PROJECT_ROOT, type SubgraphName } from './config';

/**
 * A subgraph's schema as another service sees it at its `/graphql`: the SDL of
 * `subgraphs/<name>/schema.graphql` with what federation adds (`_entities`, `_Any`, `_service`),
 * which the SDL itself does not declare. What other subgraphs send it is typed and validated against this.
 */
export function subgraphSchema(name: SubgraphName): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs: parse(readFileSync(join(PROJECT_ROOT, 'subgraphs', name, 'schema.graphql'), 'utf8')) });
}

/** The same schema as SDL, for the code generator. */
export function printedSubgraphSchema(name: SubgraphName): string {
  return printSchema(subgraphSchema(name));
}
