import { Client } from 'pg';
import { GATEWAY_ROLE, subgraphDatabaseUrl } from '../shared/src/database';
import { startStack, type Stack } from './helpers/stack';

describe('each subgraph connects as a role of its own', () => {
  let stack: Stack;
  let admin: Client;

  beforeAll(async () => {
    stack = await startStack();
    admin = await stack.database();
    // Every subgraph has served a request, so each holds a connection.
    await stack.request('{ region(code: "210000") { memberStats { practitioners } } }', {}, await stack.token({ tier: 'PROVINCE', regionCode: '210000' }));
  });
  afterAll(() => stack?.stop());

  it('the running subgraphs are connected as their own roles', async () => {
    const { rows } = await admin.query(
      `SELECT DISTINCT application_name, usename FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'sanji-%' ORDER BY 1`,
    );
    expect(rows).toEqual(expect.arrayContaining([
      { application_name: 'sanji-members', usename: 'sanji_members' },
      { application_name: 'sanji-organization', usename: 'sanji_organization' },
    ]));
    for (const row of rows) expect(row.usename).toBe(`sanji_${row.application_name.slice('sanji-'.length)}`);
    // The gateway listens for changes, as a role of its own.
    expect(rows).toEqual(expect.arrayContaining([{ application_name: 'sanji-gateway', usename: 'sanji_gateway' }]));
  });

  it('the gateway’s role, which only listens for changes, reads and writes nothing', async () => {
    const gateway = new Client({ connectionString: subgraphDatabaseUrl(stack.config, GATEWAY_ROLE) });
    await gateway.connect();
    try {
      await gateway.query('LISTEN sanji_organization_changed');
      for (const table of ['organization.region', 'members.member', 'activities.activity', 'commendations.commendation']) {
        await expect(gateway.query(`SELECT 1 FROM ${table} LIMIT 1`)).rejects.toMatchObject({ code: '42501' });
      }
      await expect(gateway.query('CREATE TABLE organization.intruder (id int)')).rejects.toMatchObject({ code: '42501' });
    } finally {
      await gateway.end();
    }
  });

  it('a subgraph’s role reads and writes its own schema and nothing else, and changes no structure', async () => {
    const organization = new Client({ connectionString: subgraphDatabaseUrl(stack.config, 'organization') });
    await organization.connect();
    try {
      expect((await organization.query('SELECT count(*)::int AS n FROM organization.region')).rows[0].n).toBe(115);
      await expect(organization.query('SELECT 1 FROM members.member LIMIT 1')).rejects.toMatchObject({ code: '42501' });
      await expect(organization.query('CREATE TABLE organization.intruder (id int)')).rejects.toMatchObject({ code: '42501' });
      await expect(organization.query('DROP TABLE organization.audit_log')).rejects.toMatchObject({ code: '42501' });
      await expect(organization.query('DELETE FROM organization.migrations')).rejects.toMatchObject({ code: '42501' });
    } finally {
      await organization.end();
    }
  });
});
