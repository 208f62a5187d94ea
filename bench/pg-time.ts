/**
 * PostgreSQL's own time per request: planning and execution of every statement the services
 * sent, from `pg_stat_statements`. The figure leaves out the round trips and the time a
 * statement waits for a connection, which the latencies already hold, and counts what the
 * server spends whichever process asked.
 *
 * `pg_stat_statements` must be loaded when the server starts (`shared_preload_libraries`). The
 * benchmark starts its embedded PostgreSQL with `PG_TIME_SETTINGS`; a server given by
 * DATABASE_URL needs the same two settings in its configuration, and without them the figure is
 * reported as `null`.
 */
import { Client } from 'pg';

/** What the server needs at start for `pgMsPerRequest`: the module, and planning time tracked too. */
export const PG_TIME_SETTINGS: Record<string, string> = {
  shared_preload_libraries: 'pg_stat_statements',
  'pg_stat_statements.track_planning': 'on',
};

// Every service connects as its own role (`sanji_<schema>`); the benchmark's own statements
// (this reading, the announcements that empty the caches) run as the server's administrator.
const SERVICE_TIME = `
  SELECT coalesce(sum(s.total_plan_time + s.total_exec_time), 0)::float8 AS ms,
         coalesce(sum(s.plans), 0)::float8 AS plans, coalesce(sum(s.calls), 0)::float8 AS calls
    FROM pg_stat_statements s
    JOIN pg_roles r ON r.oid = s.userid
   WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
     AND r.rolname LIKE 'sanji\\_%'`;

interface Totals {
  ms: number;
  plans: number;
  calls: number;
}

/** PostgreSQL time, plans and statements per request since a reading. */
export interface PgTimePerRequest {
  pgMsPerRequest: number;
  plansPerRequest: number;
  statementsPerRequest: number;
}

async function totals(databaseUrl: string): Promise<Totals | null> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT current_setting('shared_preload_libraries') AS preload`);
    if (!String(rows[0].preload).split(',').map((name) => name.trim()).includes('pg_stat_statements')) return null;
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    return (await client.query(SERVICE_TIME)).rows[0] as Totals;
  } finally {
    await client.end();
  }
}

/**
 * Takes a reading of the services' PostgreSQL time in `databaseUrl`'s database (as a role that may
 * create the extension and read every role's statistics); the returned function gives the time
 * per request since, or `null` when the server does not load `pg_stat_statements`.
 */
export async function pgTimeReading(databaseUrl: string): Promise<(requests: number) => Promise<PgTimePerRequest | null>> {
  const before = await totals(databaseUrl);
  return async (requests) => {
    const after = before && (await totals(databaseUrl));
    if (!before || !after) return null;
    const per = (value: number) => Math.round((value / Math.max(1, requests)) * 1000) / 1000;
    return {
      pgMsPerRequest: per(after.ms - before.ms),
      plansPerRequest: per(after.plans - before.plans),
      statementsPerRequest: per(after.calls - before.calls),
    };
  };
}
