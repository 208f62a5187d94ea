import type { Config } from '../../../shared/src/config';
import { startSubgraphServer, type RunningServer } from '../../../shared/src/subgraph-server';
import type { OrganizationContext } from './context';
import { createOrganizationDataSource } from './database';
import { MembersDirectory } from './directory';
import { createLoaders } from './loaders';
import { createRepositories } from './repositories';
import { resolvers } from './resolvers';
import { StructureService } from './services/StructureService';

/** Starts the organization subgraph on its own database; `port: 0` picks a free port. */
export async function startOrganizationSubgraph(config: Config, port = config.subgraphPorts.organization): Promise<RunningServer> {
  const db = createOrganizationDataSource(config);
  const repos = createRepositories(db);
  const structure = new StructureService(db, repos, new MembersDirectory(config), config);

  return startSubgraphServer<OrganizationContext>({
    name: 'organization',
    resolvers,
    dataSource: db,
    createContext: (base) => ({ ...base, loaders: createLoaders(repos, base.scope, base.reads), repos, structure, config }),
    config,
    port,
  });
}
