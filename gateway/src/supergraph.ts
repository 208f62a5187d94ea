import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPHS, type SubgraphName } from '../../shared/src/config';

/** Where each subgraph listens by default; the gateway can be pointed elsewhere by configuration. */
export function defaultSubgraphUrl(name: SubgraphName): string {
  return `http://127.0.0.1:${SUBGRAPHS[name].defaultPort}/graphql`;
}

export interface Composition {
  supergraphSdl: string;
  hints: string[];
}

/** Composes the subgraphs' schema files into a supergraph; throws on any composition error. */
export function composeSupergraph(root: string): Composition {
  const services = (Object.keys(SUBGRAPHS) as SubgraphName[])
    .filter((name) => SUBGRAPHS[name].enabled)
    .map((name) => ({
      name,
      url: defaultSubgraphUrl(name),
      typeDefs: parse(readFileSync(join(root, 'subgraphs', name, 'schema.graphql'), 'utf8')),
    }));
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return { supergraphSdl: result.supergraphSdl, hints: result.hints.map((h) => h.toString()) };
}
