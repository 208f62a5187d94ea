import type { DataSource } from 'typeorm';
import type { Config } from '../../../shared/src/config';
import { createSubgraphDataSource, subgraphDatabaseUrl } from '../../../shared/src/database';
import { entities } from './entities';
import { migrations } from './migrations';

export const MEMBERS_SCHEMA = 'members';

export function createMembersDataSource(config: Config, url = subgraphDatabaseUrl(config, MEMBERS_SCHEMA)): DataSource {
  return createSubgraphDataSource({ schema: MEMBERS_SCHEMA, url, entities, migrations, poolSize: config.poolSize, preparedStatements: config.preparedStatements, applicationName: 'sanji-members' });
}
