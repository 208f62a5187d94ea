import type { DataSource } from 'typeorm';
import type { Config } from '../../../shared/src/config';
import { createSubgraphDataSource, subgraphDatabaseUrl } from '../../../shared/src/database';
import { entities } from './entities';
import { migrations } from './migrations';

export const ACTIVITIES_SCHEMA = 'activities';

export function createActivitiesDataSource(config: Config, url = subgraphDatabaseUrl(config, ACTIVITIES_SCHEMA)): DataSource {
  return createSubgraphDataSource({ schema: ACTIVITIES_SCHEMA, url, entities, migrations, poolSize: config.poolSize, preparedStatements: config.preparedStatements, applicationName: 'sanji-activities' });
}
