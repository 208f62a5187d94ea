import { createHash, createHmac } from 'node:crypto';
import { Client, type ClientConfig, type Pool, type QueryConfig } from 'pg';
import { DataSource, type EntitySchema, type Logger as TypeOrmLogger, type MixedList } from 'typeorm';
import { noteStatement } from './answer-sources';
import type { Config } from './config';
import { internalSecret } from './internal';
import type { Logger } from './logger';
import { changeChannel } from './read-cache';
import { FACET_COLUMNS } from './facets';
import { SHOWN_ONLY_COLUMNS } from './shown-columns';

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
 * once per connection. Statements are built from fixed templates with placeholders; the only
 * values in their text are a province's code range (`regionScopeSql`), so the set of names each
 * connection holds stays small.
 *
 * PostgreSQL plans a named statement's first five calls for their values, then keeps one generic
 * plan for the rest when it costs no more (`plan_cache_mode=auto`, set with the pool below). With
 * the province's range in the text, a generic plan is never one made for a county's narrow range
 * and used for the province's.
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

/**
 * Statements sent on a DataSource's pooled connections, counted as each connection sends them,
 * and the names in the subgraph's schema that tell which tables a statement reads.
 */
interface Sent {
  count: number;
  catalog: TableCatalog | null;
}

const sentByDataSource = new WeakMap<DataSource, Sent>();

/**
 * What a statement's text says it reads, from the names in the subgraph's schema: its tables, or
 * null when it names a view or a function that is not immutable (which can read tables the text
 * does not name). A subgraph's role reads no other schema, so no other name matters.
 */
class TableCatalog {
  private readonly read = new Map<string, string[] | null>();

  constructor(
    private readonly tables: ReadonlySet<string>,
    private readonly opaque: ReadonlySet<string>,
  ) {}

  tablesOf(text: string): string[] | null {
    let tables = this.read.get(text);
    if (tables !== undefined) return tables;
    const named = new Set<string>();
    tables = [];
    for (const word of text.toLowerCase().match(/[a-z_][a-z0-9_$]*/g) ?? []) {
      if (this.opaque.has(word)) {
        tables = null;
        break;
      }
      if (this.tables.has(word) && !named.has(word)) {
        named.add(word);
        tables.push(word);
      }
    }
    // The statements are the repositories' texts with placeholders, a few hundred in all; a bound keeps it so.
    if (this.read.size >= 4096) this.read.clear();
    this.read.set(text, tables);
    return tables;
  }
}

/**
 * Reads the names of the subgraph's schema (its tables, its views, its functions that are not
 * immutable) so that each statement can tell what it reads (`Dependencies.tables`). Until then,
 * and for a DataSource this did not make, every statement reads any table.
 */
export async function learnTables(dataSource: DataSource): Promise<void> {
  const sent = sentByDataSource.get(dataSource);
  if (!sent) return;
  const schema = (dataSource.options as { schema: string }).schema;
  const [{ tables, opaque }]: { tables: string[]; opaque: string[] }[] = await dataSource.query(
    `SELECT ARRAY(SELECT tablename::text FROM pg_tables WHERE schemaname = $1) AS tables,
            ARRAY(SELECT viewname::text FROM pg_views WHERE schemaname = $1
                  UNION SELECT matviewname::text FROM pg_matviews WHERE schemaname = $1
                  UNION SELECT proname::text FROM pg_proc WHERE pronamespace = to_regnamespace($1) AND provolatile <> 'i'
                    AND prorettype <> 'trigger'::regtype) AS opaque`,
    [schema],
  );
  sent.catalog = new TableCatalog(new Set(tables), new Set(opaque));
}

/**
 * The pool's connection class, counting every statement it is asked to send: TypeORM's and any
 * sent straight through the pool alike. The benchmark reports statements per request from it and
 * the tests hold each operation to a bound that does not grow with the data.
 */
function countingClient(Base: typeof Client, sent: Sent): typeof Client {
  return class CountingClient extends Base {
    constructor(config?: string | ClientConfig) {
      super(config);
      const query = this.query.bind(this) as (...args: unknown[]) => unknown;
      this.query = ((...args: unknown[]) => {
        sent.count += 1;
        const [statement] = args;
        const text = typeof statement === 'string' ? statement : (statement as QueryConfig | undefined)?.text;
        const noteRows = noteStatement(sent.catalog && typeof text === 'string' ? sent.catalog.tablesOf(text) : null);
        const result = query(...args);
        // What the statement returned is what its answer can show (see SHOWN_ONLY_COLUMNS).
        if (result instanceof Promise) void result.then((answer: { rows?: unknown } | undefined) => noteRows(answer?.rows), () => undefined);
        return result;
      }) as Client['query'];
    }
  };
}

/**
 * The tables a statement's text reads, as the DataSource's catalog tells them (see `learnTables`):
 * null when it cannot say.
 */
export function tablesReadBy(dataSource: DataSource, text: string): string[] | null {
  return sentByDataSource.get(dataSource)?.catalog?.tablesOf(text) ?? null;
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
  const sent: Sent = { count: 0, catalog: null };
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
    // Ids default to PostgreSQL's own gen_random_uuid() in the migrations: no extension to install,
    // and a subgraph's role could not install one.
    installExtensions: false,
    applicationName: options.applicationName,
    poolSize: options.poolSize,
    extra: {
      Client: countingClient(options.preparedStatements ? PreparingClient : Client, sent),
      max: options.poolSize,
      idleTimeoutMillis: 30_000,
      // Unqualified names in the subgraph's SQL resolve to its own schema, and only there.
      // JIT compilation costs more than it saves on the short roll-ups a request runs.
      options: `-c search_path=${options.schema} -c statement_timeout=${options.statementTimeoutMs ?? 15_000} -c jit=off${
        options.preparedStatements ? ' -c plan_cache_mode=auto' : ''
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
 * The columns that place a row in the region hierarchy. `region_prefix` (counters kept for a
 * province, a city and a county at once) names a region only at its full six digits: the shorter
 * prefixes are written by the same statement as the six-digit one.
 */
const REGION_COLUMNS = ['region_code', 'from_region_code', 'to_region_code', 'code', 'parent_code'];

/**
 * A statement touching more rows than this is announced as a change of everything: a bulk load or
 * migration, whose extent is not worth spelling out. One write's counters stay below it (recording
 * an activity moves a row per region level, period length and last period of its organizational
 * life counters); a payload over a notification's 8,000 bytes is announced as everything too.
 */
const ANNOUNCED_ROWS = 1000;

/** A transaction announcing more statements than this announces everything instead (see `announceChanges`). */
const ANNOUNCED_STATEMENTS = 100;

/**
 * Statement triggers on every table, installed after the migrations rather than by one of them,
 * so that a table a later migration adds announces its changes too. Each announces, on the
 * schema's channel, what its statement touched, read from the rows before and after (transition
 * tables): `{"r":[region codes],"i":[record ids]}`, every region code in a region column, every uuid in
 * any column, and `@<table>`; `"s":true` when an update changed only columns that are only shown
 * (`SHOWN_ONLY_COLUMNS`), its rows then named by their own ids; `"f":{"year":[…]}`, the values
 * of the table's facets (`FACET_COLUMNS`) over its rows. A statement whose rows cannot all be placed in a region (a table without a
 * region column), that touched too many rows, or a TRUNCATE, announces an empty payload, which
 * means everything, as does the 101st statement of a transaction; the rest of that transaction
 * then announces nothing more. A statement that
 * touched no row announces nothing. PostgreSQL sends the announcements at commit, once for each
 * distinct payload of the transaction.
 */
async function announceChanges(dataSource: DataSource, schema: string): Promise<void> {
  const channel = changeChannel(schema);
  const regionColumns = `ARRAY[${REGION_COLUMNS.map((c) => `'${c}'`).join(', ')}]`;
  await dataSource.transaction(async (manager) => {
    // Once a transaction has announced everything, nothing it does after can add to that: the
    // rest of its statements skip the work. A transaction that has announced many statements (a
    // bulk insert's counters run a statement per row, inside triggers) announces everything.
    const everything = `sanji.everything_${schema}`;
    const announced = `sanji.announced_${schema}`;
    await manager.query(`CREATE OR REPLACE FUNCTION "${schema}".announce_everything() RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM pg_notify('${channel}', '');
          PERFORM set_config('${everything}', 'on', true);
        END $$`);
    await manager.query(`DROP FUNCTION IF EXISTS "${schema}".announce_rows(jsonb, text)`);
    await manager.query(`DROP FUNCTION IF EXISTS "${schema}".announce_rows(jsonb, text, boolean)`);
    await manager.query(`CREATE OR REPLACE FUNCTION "${schema}".announce_rows(touched jsonb, table_name text, shown_only boolean, facet_columns jsonb) RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
          regions text[];
          records text[];
          facet_values jsonb;
          placed boolean;
          payload text;
          count integer;
        BEGIN
          IF touched IS NULL THEN RETURN; END IF;
          count := coalesce(nullif(current_setting('${announced}', true), ''), '0')::integer + 1;
          IF count > ${ANNOUNCED_STATEMENTS} THEN PERFORM "${schema}".announce_everything(); RETURN; END IF;
          PERFORM set_config('${announced}', count::text, true);
          IF jsonb_array_length(touched) > ${ANNOUNCED_ROWS} THEN PERFORM "${schema}".announce_everything(); RETURN; END IF;
          SELECT bool_and(row_data ?| ${regionColumns} OR row_data ? 'region_prefix') INTO placed FROM jsonb_array_elements(touched) AS row_data;
          IF NOT placed THEN PERFORM "${schema}".announce_everything(); RETURN; END IF;
          SELECT coalesce(array_agg(DISTINCT e.value) FILTER (
                   WHERE (e.key = ANY(${regionColumns}) OR (e.key = 'region_prefix' AND length(e.value) = 6)) AND e.value ~ '^[0-9]{6}$'), '{}'),
                 -- A change of columns only shown names its rows by their own ids: an answer that shows
                 -- one holds its id, and one that only shares a reference with it is not met.
                 coalesce(array_agg(DISTINCT e.value) FILTER (
                   WHERE e.value ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                     AND (NOT shown_only OR e.key = 'id' OR NOT row_data ? 'id')), '{}')
            INTO regions, records
            FROM jsonb_array_elements(touched) AS row_data, jsonb_each_text(row_data) AS e;
          -- Each facet's values over the rows touched (FACET_COLUMNS); a facet some row leaves empty is not told.
          SELECT jsonb_object_agg(f.facet, f.facet_values) INTO facet_values FROM (
            SELECT c.key AS facet,
                   jsonb_agg(DISTINCT left(row_data ->> (c.value ->> 'column'), coalesce((c.value ->> 'length')::integer, 64))) AS facet_values,
                   bool_and(row_data ->> (c.value ->> 'column') IS NOT NULL) AS told
              FROM jsonb_each(facet_columns) AS c, jsonb_array_elements(touched) AS row_data
             GROUP BY c.key) f
           WHERE f.told;
          payload := (jsonb_build_object('r', to_jsonb(regions), 'i', to_jsonb(records || ('@' || table_name)))
                      || CASE WHEN shown_only THEN '{"s":true}'::jsonb ELSE '{}'::jsonb END
                      || CASE WHEN facet_values IS NOT NULL THEN jsonb_build_object('f', facet_values) ELSE '{}'::jsonb END)::text;
          IF length(payload) > 7900 THEN PERFORM "${schema}".announce_everything(); RETURN; END IF;
          PERFORM pg_notify('${channel}', payload);
        END $$`);
    await manager.query(`CREATE OR REPLACE FUNCTION "${schema}".announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF current_setting('${everything}', true) = 'on' THEN RETURN NULL; END IF;
          -- The trigger's first argument names the table's facet columns (FACET_COLUMNS), as JSON.
          IF TG_OP = 'INSERT' THEN
            PERFORM "${schema}".announce_rows((SELECT jsonb_agg(to_jsonb(r)) FROM (SELECT * FROM new_rows LIMIT ${ANNOUNCED_ROWS + 1}) r), TG_TABLE_NAME, false, TG_ARGV[0]::jsonb);
          ELSIF TG_OP = 'DELETE' THEN
            PERFORM "${schema}".announce_rows((SELECT jsonb_agg(to_jsonb(r)) FROM (SELECT * FROM old_rows LIMIT ${ANNOUNCED_ROWS + 1}) r), TG_TABLE_NAME, false, TG_ARGV[0]::jsonb);
          ELSIF TG_OP = 'UPDATE' THEN
            -- The arguments after the first name the table's columns only shown (SHOWN_ONLY_COLUMNS): a
            -- statement whose rows, those columns left out, are the same before and after changed them alone.
            PERFORM "${schema}".announce_rows((SELECT jsonb_agg(x) FROM (
              (SELECT to_jsonb(r) AS x FROM (SELECT * FROM new_rows LIMIT ${ANNOUNCED_ROWS + 1}) r)
              UNION ALL (SELECT to_jsonb(r) FROM (SELECT * FROM old_rows LIMIT ${ANNOUNCED_ROWS + 1}) r)) u), TG_TABLE_NAME,
              TG_NARGS > 1 AND NOT EXISTS (
                (SELECT to_jsonb(o) - TG_ARGV[1:] FROM old_rows o EXCEPT ALL SELECT to_jsonb(n) - TG_ARGV[1:] FROM new_rows n)
                UNION ALL (SELECT to_jsonb(n) - TG_ARGV[1:] FROM new_rows n EXCEPT ALL SELECT to_jsonb(o) - TG_ARGV[1:] FROM old_rows o)),
              TG_ARGV[0]::jsonb);
          ELSE
            PERFORM "${schema}".announce_everything();
          END IF;
          RETURN NULL;
        END $$`);
    const tables: { name: string }[] = await manager.query(`SELECT tablename AS name FROM pg_tables WHERE schemaname = $1`, [schema]);
    for (const { name } of tables) {
      const table = `"${schema}"."${name}"`;
      await manager.query(`DROP TRIGGER IF EXISTS announce_change ON ${table}`);
      for (const trigger of ['announce_insert', 'announce_update', 'announce_delete', 'announce_truncate']) await manager.query(`DROP TRIGGER IF EXISTS ${trigger} ON ${table}`);
      if (UNANNOUNCED_TABLES.includes(name)) continue;
      // Names from the code's own tables (FACET_COLUMNS, SHOWN_ONLY_COLUMNS), never from input: no quote to escape.
      const facets = `'${JSON.stringify(FACET_COLUMNS[schema]?.[name] ?? {})}'`;
      const each = (args: string) => `FOR EACH STATEMENT EXECUTE FUNCTION "${schema}".announce_change(${args})`;
      await manager.query(`CREATE TRIGGER announce_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows ${each(facets)}`);
      const shownOnly = (SHOWN_ONLY_COLUMNS[schema]?.[name] ?? []).map((column) => `, '${column}'`).join('');
      await manager.query(`CREATE TRIGGER announce_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows ${each(facets + shownOnly)}`);
      await manager.query(`CREATE TRIGGER announce_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows ${each(facets)}`);
      await manager.query(`CREATE TRIGGER announce_truncate AFTER TRUNCATE ON ${table} ${each(facets)}`);
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
  const role = await ensureRole(dataSource, config, schema);
  await dataSource.query(`GRANT USAGE ON SCHEMA "${schema}" TO ${role}`);
  await dataSource.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "${schema}" TO ${role}`);
  await dataSource.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "${schema}" TO ${role}`);
  // The migrations table is the owner's business.
  await dataSource.query(`REVOKE ALL ON "${schema}".migrations FROM ${role}`);
}

/** The name under which the gateway connects: its role is `sanji_gateway`, its URL `SANJI_GATEWAY_DATABASE_URL`. */
export const GATEWAY_ROLE = 'gateway';

/**
 * Creates or refreshes the gateway's role, which is granted nothing: the gateway only listens for
 * the subgraphs' change announcements, and LISTEN needs no rights. Where the gateway connects is
 * `subgraphDatabaseUrl(config, GATEWAY_ROLE)`.
 */
export async function grantGatewayRole(dataSource: DataSource, config: Config): Promise<void> {
  await ensureRole(dataSource, config, GATEWAY_ROLE);
}

/** Creates the role for `name` (see `subgraphRoleName`), or sets its password again; it may log in, and nothing more. */
async function ensureRole(dataSource: DataSource, config: Config, name: string): Promise<string> {
  const role = subgraphRoleName(name);
  const password = subgraphRolePassword(config, name);
  // Names and the derived password are [A-Za-z0-9_-] only, so they can be written into DDL.
  if (!/^[a-z_]+$/.test(role) || !/^[A-Za-z0-9_-]+$/.test(password)) throw new Error('unexpected role name or password');
  await dataSource.query(`DO $$ BEGIN
      CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${password}';
    EXCEPTION WHEN duplicate_object THEN
      ALTER ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${password}';
    END $$`);
  return role;
}
