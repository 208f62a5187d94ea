import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { PROJECT_ROOT, type Config } from '../../../shared/src/config';
import { createLogger } from '../../../shared/src/logger';
import { startSubgraphServer, type RunningServer } from '../../../shared/src/subgraph-server';
import type { ActivitiesContext } from './context';
import { createActivitiesDataSource } from './database';
import { Directory } from './directory';
import { createLoaders } from './loaders';
import { createRepositories } from './repositories';
import { resolvers } from './resolvers';
import { ActivityService } from './services/ActivityService';
import { CheckpointService } from './services/CheckpointService';
import { RequirementService } from './services/RequirementService';
import { TrainingService } from './services/TrainingService';

export const ACTIVITIES_TYPE_DEFS = parse(readFileSync(join(PROJECT_ROOT, 'subgraphs', 'activities', 'schema.graphql'), 'utf8'));

/** Starts the activities subgraph on its own connection pool; `port: 0` picks a free port. */
export async function startActivitiesSubgraph(config: Config, port = config.subgraphPorts.activities): Promise<RunningServer> {
  const log = createLogger('activities', config.logLevel);
  const db = createActivitiesDataSource(config);
  await db.initialize();
  const repos = createRepositories(db);
  const directory = new Directory(config);
  const activities = new ActivityService(db, repos, directory);
  const training = new TrainingService(db, repos, directory, activities);
  const checkpoints = new CheckpointService(db, repos, directory);
  const requirements = new RequirementService(db);

  const server = await startSubgraphServer<ActivitiesContext>({
    name: 'activities',
    typeDefs: ACTIVITIES_TYPE_DEFS,
    resolvers,
    createContext: (base) => ({
      ...base,
      loaders: createLoaders(repos, base.scope),
      repos,
      activities,
      training,
      checkpoints,
      requirements,
      config,
    }),
    healthCheck: async () => void (await db.query('SELECT 1')),
    log,
    config,
    port,
    dataSource: db,
  });
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await db.destroy();
    },
  };
}
