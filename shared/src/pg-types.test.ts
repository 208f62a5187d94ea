import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createSubgraphDataSource } from './database';
import { configurePgTypes } from './pg-types';

const VALUES = `SELECT DATE '2024-02-29' AS day, TIMESTAMPTZ '2024-02-29 08:30:00+08' AS at, 1.50::numeric AS amount, 9007199254740993::bigint AS big`;

describe('how values come back from PostgreSQL', () => {
  let url: string;
  let db: DataSource;

  beforeAll(async () => {
    url = process.env.SANJI_TEST_ADMIN_URL!;
    if (!url) throw new Error('the jest global setup did not run');
    db = createSubgraphDataSource({ schema: 'public', url, entities: [], migrations: [], poolSize: 1, applicationName: 'sanji-pg-types-test' });
  });
  afterAll(async () => {
    if (db?.isInitialized) await db.destroy();
  });

  it('is not changed by importing the database module: only the start-up step changes it', () => {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('./database');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { types } = require('pg') as typeof import('pg');
      expect(types.getTypeParser(types.builtins.DATE)('2024-02-29')).toBeInstanceOf(Date);
    });
  });

  it('reads a calendar date as its YYYY-MM-DD text once the process has configured pg, however often it does', async () => {
    const before = new Client({ connectionString: url });
    await before.connect();
    try {
      expect((await before.query(VALUES)).rows[0].day).toBeInstanceOf(Date);
    } finally {
      await before.end();
    }

    configurePgTypes();
    configurePgTypes();

    // A subgraph's DataSource, as every subgraph creates it, and a connection of its own, as the scripts open.
    await db.initialize();
    const [throughSubgraph] = await db.query(VALUES);
    const own = new Client({ connectionString: url });
    await own.connect();
    try {
      const [direct] = (await own.query(VALUES)).rows;
      for (const row of [throughSubgraph, direct]) {
        expect(row.day).toBe('2024-02-29');
        // Everything else as pg reads it by default.
        expect(row.at).toEqual(new Date('2024-02-29T00:30:00Z'));
        expect(row.amount).toBe('1.50');
        expect(row.big).toBe('9007199254740993');
      }
    } finally {
      await own.end();
    }
  });
});
