import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { PROJECT_ROOT, type Config } from '../../../shared/src/config';
import { createLogger } from '../../../shared/src/logger';
import { startSubgraphServer, type RunningServer } from '../../../shared/src/subgraph-server';
import type { MembersContext } from './context';
import { createMembersDataSource } from './database';
import { OrganizationDirectory } from './directory';
import { createLoaders } from './loaders';
import { createRepositories } from './repositories';
import { resolvers } from './resolvers';
import { MemberService } from './services/MemberService';
import { TransferService } from './services/TransferService';

export const MEMBERS_TYPE_DEFS = parse(readFileSync(join(PROJECT_ROOT, 'subgraphs', 'members', 'schema.graphql'), 'utf8'));

/** Starts the members subgraph on its own connection pool; `port: 0` picks a free port. */
export async function startMembersSubgraph(config: Config, port = config.subgraphPorts.members): Promise<RunningServer> {
  const log = createLogger('members', config.logLevel);
  const db = createMembersDataSource(config);
  await db.initialize();
  const repos = createRepositories(db);
  const directory = new OrganizationDirectory(config);
  const records = new MemberService(db, repos, directory, config);
  const transfers = new TransferService(db, repos, directory, config);

  const server = await startSubgraphServer<MembersContext>({
    name: 'members',
    typeDefs: MEMBERS_TYPE_DEFS,
    resolvers,
    createContext: (base) => ({
      ...base,
      loaders: createLoaders(repos, base.scope, config.standaloneBranchMinFullMembers),
      repos,
      records,
      transfers,
      config,
    }),
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
