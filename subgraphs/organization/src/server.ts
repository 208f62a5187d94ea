import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { PROJECT_ROOT, type Config } from '../../../shared/src/config';
import { createLogger } from '../../../shared/src/logger';
import { startSubgraphServer, type RunningServer } from '../../../shared/src/subgraph-server';
import type { OrganizationContext } from './context';
import { createOrganizationDataSource } from './database';
import { createLoaders } from './loaders';
import { createRepositories } from './repositories';
import { resolvers } from './resolvers';
import { StructureService } from './services/StructureService';
import { MemberRecords } from './member-records';

export const ORGANIZATION_TYPE_DEFS = parse(readFileSync(join(PROJECT_ROOT, 'subgraphs', 'organization', 'schema.graphql'), 'utf8'));

/** Starts the organization subgraph on its own connection pool; `port: 0` picks a free port. */
export async function startOrganizationSubgraph(config: Config, port = config.subgraphPorts.organization): Promise<RunningServer> {
  const log = createLogger('organization', config.logLevel);
  const db = createOrganizationDataSource(config);
  await db.initialize();
  const repos = createRepositories(db);
  const structure = new StructureService(db, repos, new MemberRecords(config), config);

  const server = await startSubgraphServer<OrganizationContext>({
    name: 'organization',
    typeDefs: ORGANIZATION_TYPE_DEFS,
    resolvers,
    createContext: (base) => ({ ...base, loaders: createLoaders(repos, base.scope), repos, structure, config }),
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
