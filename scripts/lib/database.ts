import { Client } from 'pg';
import type { Config, SubgraphName } from '../../shared/src/config';
import { grantGatewayRole, grantSubgraphRole, migrate } from '../../shared/src/database';
import { SUBGRAPH_MODULES } from '../../subgraphs/registry';
import { buildDemoData, DEMO_LOADERS, type Scale } from '../demo';
import { ensureDevelopmentInternalSecret } from '../../shared/src/internal';

export type { Scale };

/** Applies every subgraph's pending migrations, as the owner, grants each subgraph's role its rights, and creates the gateway's role. */
export async function migrateAll(config: Config, url: string): Promise<void> {
  // Each subgraph's database role has a password derived from the internal secret: a fresh clone's
  // first `npm run migrate` or `seed` creates the development secret, as `npm start` would.
  ensureDevelopmentInternalSecret(config);
  for (const name of Object.keys(SUBGRAPH_MODULES) as SubgraphName[]) {
    const db = SUBGRAPH_MODULES[name].createDataSource(config, url);
    await db.initialize();
    try {
      await migrate(db);
      await grantSubgraphRole(db, config, (db.options as { schema: string }).schema);
      if (name === 'organization') await grantGatewayRole(db, config);
    } finally {
      await db.destroy();
    }
  }
}

/** Whether the demo dataset (or any data) is already there. */
export async function hasData(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT EXISTS (SELECT 1 FROM organization.region) AS present');
    return rows[0].present as boolean;
  } finally {
    await client.end();
  }
}

/** Replaces all data with the demo dataset, one transaction per subgraph schema. */
export async function loadDemoData(url: string, scale: Scale): Promise<void> {
  const data = buildDemoData(scale);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const { schema, load } of DEMO_LOADERS) {
      await client.query('BEGIN');
      const { rows } = await client.query<{ name: string }>(
        `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = $1 AND tablename <> 'migrations'`,
        [schema],
      );
      if (rows.length > 0) await client.query(`TRUNCATE ${rows.map((row) => row.name).join(', ')}`);
      await load(client, data);
      await client.query('COMMIT');
    }
    // The triggers rewrote each counter row many times over during the load: reclaim the dead
    // versions and mark the new rows visible now, rather than on the first requests' time.
    await client.query('VACUUM (ANALYZE)');
    // Reclaimed, the space stays: a counter table of a few hundred rows is left spread over
    // hundreds of pages, and a region's figures read one page per row. Rewrite the tables that
    // take more than twice the pages their rows need, so each region's counters lie together.
    const { rows: bloated } = await client.query<{ name: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname = ANY($1::text[]) AND c.relpages > 8
          AND c.relpages > 2 * ceil(greatest(c.reltuples, 0) * (28 + coalesce(
                (SELECT sum(s.avg_width) FROM pg_stats s WHERE s.schemaname = n.nspname AND s.tablename = c.relname), 0)) / 8192.0)`,
      [DEMO_LOADERS.map(({ schema }) => schema)],
    );
    for (const { name } of bloated) {
      await client.query(`VACUUM (FULL) ${name}`);
      // A rewritten table has no page marked all-visible, so its counters would be read through the
      // table rather than from their index alone (index-only scans) until autovacuum came by.
      await client.query(`VACUUM (ANALYZE) ${name}`);
    }
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}
