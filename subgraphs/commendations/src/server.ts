import type { Config } from '../../../shared/src/config';
import { startSubgraphServer, type RunningServer } from '../../../shared/src/subgraph-server';
import type { CommendationsContext } from './context';
import { createCommendationsDataSource } from './database';
import { MembersDirectory, OrganizationDirectory } from './directory';
import { createLoaders } from './loaders';
import { createRepositories } from './repositories';
import { resolvers } from './resolvers';
import { CommendationService } from './services/CommendationService';
import { ProgramService } from './services/ProgramService';
import { createVisibility } from './visibility';

/** Starts the commendations subgraph on its own database; `port: 0` picks a free port. */
export async function startCommendationsSubgraph(config: Config, port = config.subgraphPorts.commendations): Promise<RunningServer> {
  const db = createCommendationsDataSource(config);
  const repos = createRepositories(db);
  const directory = { members: new MembersDirectory(config), organization: new OrganizationDirectory(config) };
  const programs = new ProgramService(db, repos, directory.organization);
  const nominations = new CommendationService(db, repos, directory.members, directory.organization);

  return startSubgraphServer<CommendationsContext>({
    name: 'commendations',
    resolvers,
    dataSource: db,
    createContext: (base) => ({
      ...base,
      loaders: createLoaders(repos, base.scope, base.reads),
      repos,
      programs,
      nominations,
      config,
      visible: createVisibility(directory, base.viewer, base.authorization, base.reads),
    }),
    config,
    port,
    // Whether the caller sees a record of the members or organization subgraph is kept until that record's change is announced.
    hears: ['organization', 'members'],
  });
}
