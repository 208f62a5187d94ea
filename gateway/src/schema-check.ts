import { Supergraph } from '@apollo/federation-internals';
import { findBreakingChanges, type GraphQLSchema } from 'graphql';

export interface BreakingChange {
  /** The schema coordinate the change touches, e.g. `Region.code`. */
  coordinate: string;
  description: string;
  acknowledged: boolean;
}

/** The schema clients see: the supergraph without its federation machinery. */
export function apiSchema(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

/**
 * The schema coordinate a graphql-js change description names: "Region.code changed type …",
 * "A required arg year on Query.region was added.", or a type name alone ("Region was removed.").
 */
function coordinateOf(description: string): string {
  return /\b([A-Za-z_]\w*\.[A-Za-z_]\w*)\b/.exec(description)?.[1] ?? /^([A-Za-z_]\w*)/.exec(description)?.[1] ?? description;
}

/**
 * What a new supergraph breaks for consumers of the old one (removed or retyped fields, new
 * required arguments, removed enum values, …), each acknowledged when the changelog has a line
 * `- BREAKING: …` naming its coordinate.
 */
export function breakingChanges(baseSdl: string, currentSdl: string, changelog: string): BreakingChange[] {
  const acknowledgements = changelog.split('\n').filter((line) => /^\s*-\s*BREAKING\b/.test(line));
  return findBreakingChanges(apiSchema(baseSdl), apiSchema(currentSdl)).map((change) => {
    const coordinate = coordinateOf(change.description);
    return {
      coordinate,
      description: change.description,
      acknowledged: acknowledgements.some((line) => line.includes(`\`${coordinate}\``) || line.includes(` ${coordinate} `) || line.endsWith(coordinate)),
    };
  });
}
