import type { DataSource } from 'typeorm';
import type { Config } from '../../../shared/src/config';
import { createSubgraphDataSource, subgraphDatabaseUrl } from '../../../shared/src/database';
import { entities } from './entities';
import { migrations } from './migrations';

export const COMMENDATIONS_SCHEMA = 'commendations';

export function createCommendationsDataSource(config: Config, url = subgraphDatabaseUrl(config, COMMENDATIONS_SCHEMA)): DataSource {
  return createSubgraphDataSource({ schema: COMMENDATIONS_SCHEMA, url, entities, migrations, poolSize: config.poolSize, preparedStatements: config.preparedStatements, applicationName: 'sanji-commendations' });
}
