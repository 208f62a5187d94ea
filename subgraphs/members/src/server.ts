import type { Config } from '../../../shared/src/config';
import { startSubgraphServer, type RunningServer } from '../../../shared/src/subgraph-server';
import type { MembersContext } from './context';
import { createMembersDataSource } from './database';
import { ActivitiesDirectory, OrganizationDirectory } from './directory';
import { createDirectoryLoaders, createLoaders } from './loaders';
import { createRepositories } from './repositories';
import { resolvers } from './resolvers';
import { MemberFactsService } from './services/MemberFactsService';
import { MemberImportService } from './services/MemberImportService';
import { MemberService } from './services/MemberService';
import { TransferService } from './services/TransferService';

/** Starts the members subgraph on its own database; `port: 0` picks a free port. */
export async function startMembersSubgraph(config: Config, port = config.subgraphPorts.members): Promise<RunningServer> {
  const db = createMembersDataSource(config);
  const repos = createRepositories(db);
  const directory = new OrganizationDirectory(config);
  const records = new MemberService(db, repos, directory);
  const transfers = new TransferService(db, repos, directory, config, records);
  const facts = new MemberFactsService(db, repos, new ActivitiesDirectory(config), records);
  const imports = new MemberImportService(db, repos, directory);

  return startSubgraphServer<MembersContext>({
    name: 'members',
    resolvers,
    dataSource: db,
    createContext: (base) => {
      const loaders = createLoaders(repos, base.scope, base.reads, config.standaloneBranchMinFullMembers);
      return {
        ...base,
        loaders,
        tier: createDirectoryLoaders(directory, base.authorization, base.scope, base.viewer.tier === 'SYSTEM', loaders, base.reads),
        directory,
        repos,
        records,
        imports,
        transfers,
        facts,
        config,
      };
    },
    config,
    port,
    // Whether the caller sees an organization's record is kept until the organization subgraph announces a change of it.
    hears: ['organization'],
  });
}
