import { types } from 'pg';
import { DataSource, type EntitySchema, type MixedList } from 'typeorm';

// Calendar dates stay `YYYY-MM-DD` strings: a JS Date would shift them by the server's time zone.
types.setTypeParser(types.builtins.DATE, (value) => value);
import type { Config } from './config';

export interface SubgraphDatabaseOptions {
  /** The subgraph's own PostgreSQL schema; no other subgraph reads or writes it. */
  schema: string;
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize: number;
  applicationName: string;
  /** The longest a single statement may run before PostgreSQL cancels it. */
  statementTimeoutMs?: number;
}

/** One DataSource per subgraph: its own schema, its own migrations table, never `synchronize`. */
export function createSubgraphDataSource(options: SubgraphDatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    applicationName: options.applicationName,
    poolSize: options.poolSize,
    // Unqualified names in the subgraph's SQL resolve to its own schema, and only there.
    extra: {
      max: options.poolSize,
      idleTimeoutMillis: 30_000,
      options: `-c search_path=${options.schema} -c statement_timeout=${options.statementTimeoutMs ?? 15_000}`,
    },
  });
}

/** Creates the subgraph's schema when missing, then applies its pending migrations in one transaction each. */
export async function migrate(dataSource: DataSource): Promise<void> {
  const schema = (dataSource.options as { schema: string }).schema;
  await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await dataSource.runMigrations({ transaction: 'each' });
}

export function requireDatabaseUrl(config: Config): string {
  if (!config.databaseUrl) {
    throw new Error('DATABASE_URL is not set: start Sanji with `npm start`, which runs an embedded PostgreSQL, or set it.');
  }
  return config.databaseUrl;
}

/** Replaces the database name in a connection string. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
