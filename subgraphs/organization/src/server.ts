import type { Config } from '../../../shared/src/config';
import { startSubgraphServer, type RunningServer } from '../../../shared/src/subgraph-server';
import type { OrganizationContext } from './context';
import { createOrganizationDataSource } from './database';
import { MembersDirectory } from './directory';
import { createLoaders } from './loaders';
import { createRepositories } from './repositories';
import { resolvers } from './resolvers';
import { StructureImportService } from './services/StructureImportService';
import { StructureService } from './services/StructureService';

/** Starts the organization subgraph on its own database; `port: 0` picks a free port. */
export async function startOrganizationSubgraph(config: Config, port = config.subgraphPorts.organization): Promise<RunningServer> {
  const db = createOrganizationDataSource(config);
  const repos = createRepositories(db);
  const members = new MembersDirectory(config);
  const structure = new StructureService(db, repos, members, config);
  const imports = new StructureImportService(db, repos, members, config);

  return startSubgraphServer<OrganizationContext>({
    name: 'organization',
    resolvers,
    dataSource: db,
    createContext: (base) => ({ ...base, loaders: createLoaders(repos, base.scope, base.reads), repos, structure, imports, config }),
    config,
    port,
  });
}
