import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { createSubgraphDataSource, logDatabaseTo, statementCount } from './database';
import { createLogger } from './logger';

/** A subgraph's DataSource on the test server, its log lines kept. */
function subgraphDatabase(preparedStatements: boolean): { db: DataSource; lines: Record<string, unknown>[] } {
  const url = process.env.SANJI_TEST_ADMIN_URL;
  if (!url) throw new Error('the jest global setup did not run');
  const lines: Record<string, unknown>[] = [];
  const db = createSubgraphDataSource({ schema: 'public', url, entities: [], migrations: [], poolSize: 2, applicationName: 'sanji-database-test', preparedStatements });
  logDatabaseTo(db, createLogger('test', 'info', { write: (line: string) => void lines.push(JSON.parse(line)) }));
  return { db, lines };
}

describe.each([false, true])('a subgraph’s database (named statements: %s)', (preparedStatements) => {
  let db: DataSource;
  let lines: Record<string, unknown>[];

  beforeAll(async () => {
    ({ db, lines } = subgraphDatabase(preparedStatements));
    await db.initialize();
  });
  beforeEach(() => {
    lines.length = 0;
  });
  afterAll(async () => {
    if (db?.isInitialized) await db.destroy();
  });

  /** The statements `send` makes the DataSource's connections send. */
  async function sentBy(send: () => Promise<unknown>): Promise<number> {
    const before = statementCount(db);
    await send();
    return statementCount(db) - before;
  }

  it('counts every statement its connections send: TypeORM’s, a transaction’s and one sent straight through pg', async () => {
    expect(await sentBy(() => db.query('SELECT 1'))).toBe(1);
    expect(await sentBy(() => db.query('SELECT $1::int', [7]))).toBe(1);
    expect(await sentBy(() => db.transaction((manager) => manager.query('SELECT 1')))).toBe(3);
    const pool = (db.driver as unknown as { master: Pool }).master;
    expect(await sentBy(() => pool.query('SELECT $1::int', [7]))).toBe(1);
    expect(await sentBy(() => Promise.all([db.query('SELECT 1'), db.query('SELECT 2'), pool.query('SELECT 3')]))).toBe(3);
  });

  it('logs a failed statement, with its code and text and never the values sent with it', async () => {
    await expect(db.query('SELECT $1::text::int AS n', ['王小明'])).rejects.toMatchObject({ code: '22P02' });
    expect(lines).toEqual([expect.objectContaining({ level: 30, msg: 'statement failed', code: '22P02', query: 'SELECT $1::text::int AS n' })]);
    expect(JSON.stringify(lines)).not.toContain('王小明');
  });

  it('logs nothing for the statements that succeed', async () => {
    await db.query('SELECT 1');
    expect(lines).toEqual([]);
  });
});
