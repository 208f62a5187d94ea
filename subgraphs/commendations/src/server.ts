import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { PROJECT_ROOT, type Config } from '../../../shared/src/config';
import { createLogger } from '../../../shared/src/logger';
import { startSubgraphServer, type RunningServer } from '../../../shared/src/subgraph-server';
import type { CommendationsContext } from './context';
import { createCommendationsDataSource } from './database';
import { resolvers } from './resolvers';

export const COMMENDATIONS_TYPE_DEFS = parse(readFileSync(join(PROJECT_ROOT, 'subgraphs', 'commendations', 'schema.graphql'), 'utf8'));

/** Starts the commendations subgraph on its own connection pool; `port: 0` picks a free port. */
export async function startCommendationsSubgraph(config: Config, port = config.subgraphPorts.commendations): Promise<RunningServer> {
  const log = createLogger('commendations', config.logLevel);
  const db = createCommendationsDataSource(config);
  await db.initialize();

  const server = await startSubgraphServer<CommendationsContext>({
    name: 'commendations',
    typeDefs: COMMENDATIONS_TYPE_DEFS,
    resolvers,
    createContext: (base) => ({ ...base, config }),
    healthCheck: async () => void (await db.query('SELECT 1')),
    log,
    config,
    port,
  });
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await db.destroy();
    },
  };
}
