import type { DataSource } from 'typeorm';
import { Client } from 'pg';
import type { Config } from '../../shared/src/config';
import { migrate } from '../../shared/src/database';
import { createMembersDataSource } from '../../subgraphs/members/src/database';
import { createOrganizationDataSource } from '../../subgraphs/organization/src/database';
import { buildMembersDataset, loadMembersDataset } from '../demo/members';
import { buildOrganizationDataset, loadOrganizationDataset } from '../demo/organization';

export type Scale = 'liaoning' | 'national';

/** Each subgraph's database, in the order their data depend on one another. */
const SUBGRAPH_DATABASES: ((config: Config, url: string) => DataSource)[] = [createOrganizationDataSource, createMembersDataSource];

/** Applies every subgraph's pending migrations. */
export async function migrateAll(config: Config, url: string): Promise<void> {
  for (const create of SUBGRAPH_DATABASES) {
    const db = create(config, url);
    await db.initialize();
    try {
      await migrate(db);
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

const ORGANIZATION_TABLES = ['audit_log', 'guidance_officer_assignment', 'institution', 'party_organization', 'guidance_station', 'region'];
const MEMBERS_TABLES = ['audit_log', 'transfer', 'role_assignment', 'temporary_participation', 'organization_membership', 'member'];

/** Replaces all data with the demo dataset, one transaction per subgraph schema. */
export async function loadDemoData(url: string, scale: Scale): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const organization = buildOrganizationDataset({ scale });
    const members = buildMembersDataset(organization);
    for (const [schema, tables, load] of [
      ['organization', ORGANIZATION_TABLES, () => loadOrganizationDataset(client, organization)],
      ['members', MEMBERS_TABLES, () => loadMembersDataset(client, members)],
    ] as const) {
      await client.query('BEGIN');
      await client.query(`TRUNCATE ${tables.map((table) => `${schema}.${table}`).join(', ')}`);
      await load();
      await client.query('COMMIT');
    }
    await client.query('ANALYZE');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}
