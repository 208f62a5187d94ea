import type { Config } from '../../../shared/src/config';
import { createLogger } from '../../../shared/src/logger';
import { SubgraphClient } from '../../../shared/src/subgraph-client';
import { startSubgraphServer, type RunningServer } from '../../../shared/src/subgraph-server';
import type { ActivitiesContext } from './context';
import { createActivitiesDataSource } from './database';
import { MembersDirectory, OrganizationDirectory } from './directory';
import { createLoaders } from './loaders';
import { createRepositories } from './repositories';
import { resolvers } from './resolvers';
import { ActivityService } from './services/ActivityService';
import { CheckpointService } from './services/CheckpointService';
import { OrganizationRegisterSync } from './services/OrganizationRegisterSync';
import { RequirementService } from './services/RequirementService';
import { TrainingService } from './services/TrainingService';
import { createVisibility } from './visibility';

/** Starts the activities subgraph on its own database; `port: 0` picks a free port. */
export async function startActivitiesSubgraph(config: Config, port = config.subgraphPorts.activities): Promise<RunningServer> {
  const db = createActivitiesDataSource(config);
  const repos = createRepositories(db);
  const directory = { organization: new OrganizationDirectory(config), members: new MembersDirectory(config) };
  const activities = new ActivityService(db, repos, directory.organization, directory.members);
  const training = new TrainingService(db, repos, directory.members, activities);
  const checkpoints = new CheckpointService(db, repos, directory.organization);
  const requirements = new RequirementService(db);

  const server = await startSubgraphServer<ActivitiesContext>({
    name: 'activities',
    resolvers,
    dataSource: db,
    createContext: (base) => ({
      ...base,
      loaders: createLoaders(repos, base.scope, base.reads),
      repos,
      activities,
      training,
      checkpoints,
      requirements,
      config,
      visible: createVisibility(directory, base.viewer, base.authorization, base.reads),
    }),
    config,
    port,
    // Whether the caller sees a record of the members or organization subgraph is kept until that record's change is announced.
    hears: ['organization', 'members'],
  });
  const register = new OrganizationRegisterSync(db, repos, new SubgraphClient(config, 'activities', 'organization'), config.registerSyncMs, createLogger('activities', config.logLevel, config.logDestination));
  register.start();
  return {
    ...server,
    stop: async () => {
      await register.stop();
      await server.stop();
    },
  };
}
