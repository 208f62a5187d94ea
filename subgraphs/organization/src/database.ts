import type { DataSource } from 'typeorm';
import type { Config } from '../../../shared/src/config';
import { createSubgraphDataSource, subgraphDatabaseUrl } from '../../../shared/src/database';
import { entities } from './entities';
import { migrations } from './migrations';

export const ORGANIZATION_SCHEMA = 'organization';

export function createOrganizationDataSource(config: Config, url = subgraphDatabaseUrl(config, ORGANIZATION_SCHEMA)): DataSource {
  return createSubgraphDataSource({
    schema: ORGANIZATION_SCHEMA,
    url,
    entities,
    migrations,
    poolSize: config.poolSize, preparedStatements: config.preparedStatements,
    applicationName: 'sanji-organization',
  });
}
