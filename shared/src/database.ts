import { createHash, createHmac } from 'node:crypto';
import { Client, type ClientConfig, type Pool, type QueryConfig } from 'pg';
import { DataSource, type EntitySchema, type Logger as TypeOrmLogger, type MixedList } from 'typeorm';
import type { Config } from './config';
import { internalSecret } from './internal';
import type { Logger } from './logger';
import { changeChannel } from './read-cache';

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
  /** Name each parameterized statement so PostgreSQL parses and plans it once per connection. */
  preparedStatements?: boolean;
}

/**
 * A connection that names every parameterized statement after its text, so PostgreSQL parses it
 * once per connection. Statements are built from fixed templates with placeholders, never with
 * values in their text, so the set of names each connection holds stays small.
 *
 * Each call is still planned for its own values (`plan_cache_mode=force_custom_plan`, set with
 * the pool below): a generic plan cannot see how narrow a tier's region range is, and one chose
 * to read a whole province's member index to find fourteen station heads by id.
 */
export class PreparingClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    this.query = ((...args: unknown[]) => {
      const [text, values] = args;
      if (args.length === 2 && typeof text === 'string' && Array.isArray(values) && values.length > 0) {
        return query({ name: `s_${createHash('sha1').update(text).digest('base64url')}`, text, values } satisfies QueryConfig);
      }
      return query(...args);
    }) as Client['query'];
  }
}

/** Statements sent on a DataSource's pooled connections, counted as each connection sends them. */
const sentByDataSource = new WeakMap<DataSource, { count: number }>();

/**
 * The pool's connection class, counting every statement it is asked to send: TypeORM's and any
 * sent straight through the pool alike. The benchmark reports statements per request from it and
 * the tests hold each operation to a bound that does not grow with the data.
 */
function countingClient(Base: typeof Client, sent: { count: number }): typeof Client {
  return class CountingClient extends Base {
    constructor(config?: string | ClientConfig) {
      super(config);
      const query = this.query.bind(this) as (...args: unknown[]) => unknown;
      this.query = ((...args: unknown[]) => {
        sent.count += 1;
        return query(...args);
      }) as Client['query'];
    }
  };
}

/** How many statements a subgraph's DataSource has sent so far. */
export function statementCount(dataSource: DataSource): number {
  return sentByDataSource.get(dataSource)?.count ?? 0;
}

/**
 * TypeORM's logger: failed statements and TypeORM's own warnings (a pool's lost connection, say)
 * go to the service's log once it has one (`logDatabaseTo`); statements that succeed are not
 * logged, and a script's DataSource logs nothing (a failure reaches it as the error it throws).
 *
 * A failed statement is logged with its SQLSTATE and its text only: its parameters, and the
 * server's message, which can quote a value, may hold personal data. It is logged at `info`: a
 * request that fails because of it logs that failure at `error` itself, and some (a unique
 * violation from a concurrent write) are answered to the caller as a conflict, a caller's mistake.
 */
class DatabaseLog implements TypeOrmLogger {
  to: Logger | null = null;
  logQuery(): void {}
  logQueryError(error: string | Error, query: string): void {
    this.to?.info({ code: (error as { code?: unknown }).code, query }, 'statement failed');
  }
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.to?.warn({ reason: String(message) }, 'database warning');
  }
}

/** Sends what TypeORM logs of a subgraph's DataSource to the service's log. */
export function logDatabaseTo(dataSource: DataSource, log: Logger): void {
  if (dataSource.logger instanceof DatabaseLog) dataSource.logger.to = log;
}

/** One DataSource per subgraph: its own schema, its own migrations table, never `synchronize`. */
export function createSubgraphDataSource(options: SubgraphDatabaseOptions): DataSource {
  const sent = { count: 0 };
  const dataSource = new DataSource({
    logger: new DatabaseLog(),
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
    extra: {
      Client: countingClient(options.preparedStatements ? PreparingClient : Client, sent),
      max: options.poolSize,
      idleTimeoutMillis: 30_000,
      // Unqualified names in the subgraph's SQL resolve to its own schema, and only there.
      // JIT compilation costs more than it saves on the short roll-ups a request runs.
      options: `-c search_path=${options.schema} -c statement_timeout=${options.statementTimeoutMs ?? 15_000} -c jit=off${
        options.preparedStatements ? ' -c plan_cache_mode=force_custom_plan' : ''
      }`,
    },
  });
  sentByDataSource.set(dataSource, sent);
  return dataSource;
}

const poolReuse = new WeakMap<object, number>();

/**
 * While PostgreSQL shuts down politely (a smart shutdown waits for every session to end and
 * refuses new ones), the pool hands each connection back to the server: the idle ones now, the
 * busy ones as soon as their statement is done, so the shutdown completes. Once the server accepts
 * connections again (`false`), the pool keeps its connections as before.
 */
export function releaseConnectionsWhileServerStops(dataSource: DataSource, stopping: boolean): void {
  const pool = (dataSource.driver as { master?: Pool }).master;
  if (!pool || pool.ending) return;
  const options = (pool as unknown as { options: { maxUses: number } }).options;
  if (!poolReuse.has(pool)) poolReuse.set(pool, options.maxUses);
  // A connection used once is then closed instead of going back to the pool.
  options.maxUses = stopping ? 1 : poolReuse.get(pool)!;
  if (!stopping) return;
  for (let idle = pool.idleCount; idle > 0; idle--) {
    pool.connect().then(
      (client) => client.release(true),
      () => undefined,
    );
  }
}

/**
 * Creates the subgraph's schema when missing, applies its pending migrations in one transaction
 * each, then makes every table of the schema announce its changes (see `ReadCache`).
 */
export async function migrate(dataSource: DataSource): Promise<void> {
  const schema = (dataSource.options as { schema: string }).schema;
  await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await dataSource.runMigrations({ transaction: 'each' });
  await announceChanges(dataSource, schema);
}

/**
 * Tables no answer is read from, whose changes must not empty the read caches: the migrations
 * run, and how far the activities registers have read the organization subgraph's changes, which
 * moves whenever any transaction in the cluster ends.
 */
const UNANNOUNCED_TABLES = ['migrations', 'organization_register_cursor', 'institution_register_cursor'];

/**
 * One statement trigger per table, installed after the migrations rather than by one of them, so
 * that a table a later migration adds announces its changes too. PostgreSQL sends the
 * announcement at commit, once per transaction however many statements it ran.
 */
async function announceChanges(dataSource: DataSource, schema: string): Promise<void> {
  const channel = changeChannel(schema);
  await dataSource.transaction(async (manager) => {
    await manager.query(`CREATE OR REPLACE FUNCTION "${schema}".announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_notify('${channel}', ''); RETURN NULL; END $$`);
    const tables: { name: string }[] = await manager.query(`SELECT tablename AS name FROM pg_tables WHERE schemaname = $1`, [schema]);
    for (const { name } of tables) {
      await manager.query(
        UNANNOUNCED_TABLES.includes(name)
          ? `DROP TRIGGER IF EXISTS announce_change ON "${schema}"."${name}"`
          : `CREATE OR REPLACE TRIGGER announce_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${schema}"."${name}"
               FOR EACH STATEMENT EXECUTE FUNCTION "${schema}".announce_change()`,
      );
    }
  });
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

/** The PostgreSQL role a subgraph connects as: rights on its own schema's tables, nothing else. */
export function subgraphRoleName(schema: string): string {
  return `sanji_${schema}`;
}

/** A role's password, derived from the internal secret so that deployments keep one secret, not five. */
export function subgraphRolePassword(config: Config, schema: string): string {
  return createHmac('sha256', internalSecret(config)).update(`postgres-role:${schema}`).digest('base64url');
}

/**
 * Where a subgraph connects: `SANJI_<NAME>_DATABASE_URL` when set, else DATABASE_URL's server and
 * database as the subgraph's own role.
 */
export function subgraphDatabaseUrl(config: Config, schema: string): string {
  const explicit = process.env[`SANJI_${schema.toUpperCase()}_DATABASE_URL`];
  if (explicit) return explicit;
  const url = new URL(requireDatabaseUrl(config));
  url.username = subgraphRoleName(schema);
  url.password = subgraphRolePassword(config, schema);
  return url.toString();
}

/**
 * Creates or refreshes a subgraph's role and grants it what it needs on its own schema: data
 * rights on the tables and sequences, no DDL, and nothing on any other schema. Run by the
 * schema's owner after migrating.
 */
export async function grantSubgraphRole(dataSource: DataSource, config: Config, schema: string): Promise<void> {
  const role = subgraphRoleName(schema);
  const password = subgraphRolePassword(config, schema);
  // Names and the derived password are [A-Za-z0-9_-] only, so they can be written into DDL.
  if (!/^[a-z_]+$/.test(role) || !/^[A-Za-z0-9_-]+$/.test(password)) throw new Error('unexpected role name or password');
  await dataSource.query(`DO $$ BEGIN
      CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${password}';
    EXCEPTION WHEN duplicate_object THEN
      ALTER ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${password}';
    END $$`);
  await dataSource.query(`GRANT USAGE ON SCHEMA "${schema}" TO ${role}`);
  await dataSource.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "${schema}" TO ${role}`);
  await dataSource.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "${schema}" TO ${role}`);
  // The migrations table is the owner's business.
  await dataSource.query(`REVOKE ALL ON "${schema}".migrations FROM ${role}`);
}
