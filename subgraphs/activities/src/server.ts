import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { PROJECT_ROOT, type Config } from '../../../shared/src/config';
import { createLogger } from '../../../shared/src/logger';
import { startSubgraphServer, type RunningServer } from '../../../shared/src/subgraph-server';
import type { ActivitiesContext } from './context';
import { createActivitiesDataSource } from './database';
import { resolvers } from './resolvers';

export const ACTIVITIES_TYPE_DEFS = parse(readFileSync(join(PROJECT_ROOT, 'subgraphs', 'activities', 'schema.graphql'), 'utf8'));

/** Starts the activities subgraph on its own connection pool; `port: 0` picks a free port. */
export async function startActivitiesSubgraph(config: Config, port = config.subgraphPorts.activities): Promise<RunningServer> {
  const log = createLogger('activities', config.logLevel);
  const db = createActivitiesDataSource(config);
  await db.initialize();

  const server = await startSubgraphServer<ActivitiesContext>({
    name: 'activities',
    typeDefs: ACTIVITIES_TYPE_DEFS,
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
