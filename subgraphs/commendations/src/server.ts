import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { PROJECT_ROOT, type Config } from '../../../shared/src/config';
import { createLogger } from '../../../shared/src/logger';
import { startSubgraphServer, type RunningServer } from '../../../shared/src/subgraph-server';
import type { CommendationsContext } from './context';
import { createCommendationsDataSource } from './database';
import { RecipientDirectory } from './directory';
import { createLoaders } from './loaders';
import { createRepositories } from './repositories';
import { resolvers } from './resolvers';
import { CommendationService } from './services/CommendationService';
import { ProgramService } from './services/ProgramService';

export const COMMENDATIONS_TYPE_DEFS = parse(readFileSync(join(PROJECT_ROOT, 'subgraphs', 'commendations', 'schema.graphql'), 'utf8'));

/** Starts the commendations subgraph on its own connection pool; `port: 0` picks a free port. */
export async function startCommendationsSubgraph(config: Config, port = config.subgraphPorts.commendations): Promise<RunningServer> {
  const log = createLogger('commendations', config.logLevel);
  const db = createCommendationsDataSource(config);
  await db.initialize();
  const repos = createRepositories(db);
  const directory = new RecipientDirectory(config);
  const programs = new ProgramService(db, repos, directory);
  const nominations = new CommendationService(db, repos, directory);

  const server = await startSubgraphServer<CommendationsContext>({
    name: 'commendations',
    typeDefs: COMMENDATIONS_TYPE_DEFS,
    resolvers,
    createContext: (base) => ({ ...base, loaders: createLoaders(repos, base.scope), repos, programs, nominations, config }),
    healthCheck: async () => void (await db.query('SELECT 1')),
    dataSource: db,
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
