import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { randomBytes } from 'node:crypto';
import { readingTables } from './answer-sources';
import { createSubgraphDataSource, learnTables, logDatabaseTo, statementCount } from './database';
import { createLogger } from './logger';
import { listOf, listSql, numbersOf, regionRangeSql, SqlParams, unseenArray } from './sql';

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

  it(preparedStatements ? 'plans a named statement once it has been called a few times' : 'plans an unnamed statement on every call', async () => {
    // One connection, so every call meets the statement it prepared.
    await db.transaction(async (manager) => {
      for (let call = 0; call < 8; call += 1) await manager.query('SELECT count(*) FROM pg_class WHERE relname >= $1 AND relname < $2', ['a', 'b']);
      const prepared: { generic: number; custom: number }[] = await manager.query(
        `SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE statement LIKE 'SELECT count(*) FROM pg_class WHERE relname >=%'`,
      );
      if (!preparedStatements) return expect(prepared).toEqual([]);
      expect(prepared).toHaveLength(1);
      // PostgreSQL's rule: the first five calls are planned for their values, then the generic plan serves.
      expect(prepared[0].custom).toBe(5);
      expect(prepared[0].generic).toBeGreaterThanOrEqual(1);
    });
  });

  it('keeps one plan for a statement over an array it does not see into, and plans one over a short array it sees every call', async () => {
    const plansOf = async (statement: (p: SqlParams) => string) =>
      db.transaction(async (manager) => {
        const p = new SqlParams();
        const text = statement(p);
        for (let call = 0; call < 8; call += 1) await manager.query(text, [['pg_class'], ...p.values.slice(1)]);
        const [plans]: { generic: number; custom: number }[] = await manager.query(
          'SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE statement = $1',
          [text],
        );
        return plans;
      });
    const seen = await plansOf((p) => `SELECT c.oid FROM pg_class c WHERE c.relname = ANY(${p.add(['pg_class'])}::name[])`);
    const unseen = await plansOf((p) => `SELECT c.oid FROM pg_class c WHERE c.relname = ANY(${unseenArray(p, ['pg_class'], 'name[]')})`);
    if (!preparedStatements) return expect([seen, unseen]).toEqual([undefined, undefined]);
    // A plan made for one name looks cheaper than the generic plan's guess of ten: planned every call.
    expect(seen).toEqual({ generic: 0, custom: 8 });
    expect(unseen).toEqual({ generic: 3, custom: 5 });
  });

  it("keeps one plan for a county's range it does not see, and plans one it sees on every call", async () => {
    // Many codes, so that a plan made for one county's few rows looks far cheaper than the generic plan's guess.
    const plansOf = async (range: (p: SqlParams) => string) =>
      db.transaction(async (manager) => {
        await manager.query('CREATE TEMP TABLE IF NOT EXISTS plan_codes AS SELECT lpad(i::text, 6, \'0\')::char(6) AS region_code FROM generate_series(100000, 299999) i');
        await manager.query('CREATE INDEX IF NOT EXISTS plan_codes_region_idx ON plan_codes (region_code)');
        await manager.query('ANALYZE plan_codes');
        const p = new SqlParams();
        const text = `SELECT count(*) FROM plan_codes c WHERE ${range(p)}`;
        for (let call = 0; call < 8; call += 1) await manager.query(text, p.values);
        const [plans]: { generic: number; custom: number }[] = await manager.query(
          'SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE statement = $1',
          [text],
        );
        return plans;
      });
    const county = { prefix: '210302', from: '210302', to: '210303' };
    const seen = await plansOf((p) => `(c.region_code >= ${p.add(county.from)} AND c.region_code < ${p.add(county.to)})`);
    const unseen = await plansOf((p) => regionRangeSql(p, 'c.region_code', county));
    if (!preparedStatements) return expect([seen, unseen]).toEqual([undefined, undefined]);
    expect(seen).toEqual({ generic: 0, custom: 8 });
    expect(unseen).toEqual({ generic: 3, custom: 5 });
  });

  it('lists several columns of the same rows in the same order, and nothing for no rows', async () => {
    const [row]: { kinds: string | null; counts: string | null; none: string | null }[] = await db.query(
      `SELECT ${listSql('t.kind')} AS kinds, ${listSql('t.count')} AS counts,
              ${listSql('t.count')} FILTER (WHERE t.count > 1000) AS none
         FROM (VALUES ('THEME_PARTY_DAY', 12), ('PARTY_LECTURE', 0), ('BRANCH_GENERAL_MEETING', -3), ('THEME_PARTY_DAY', 7)) AS t(kind, count)`,
    );
    const kinds = listOf(row.kinds);
    const counts = numbersOf(row.counts);
    expect(kinds.map((kind, i) => [kind, counts[i]])).toEqual([
      ['THEME_PARTY_DAY', 12],
      ['PARTY_LECTURE', 0],
      ['BRANCH_GENERAL_MEETING', -3],
      ['THEME_PARTY_DAY', 7],
    ]);
    expect([row.none, listOf(row.none), numbersOf(row.none)]).toEqual([null, [], []]);
  });
});

describe('what a subgraph’s statements read', () => {
  const schema = `tables_test_${randomBytes(4).toString('hex').replace(/\d/g, (d) => 'abcdefghij'[Number(d)])}`;
  let db: DataSource;
  const tablesOf = async (sql: string) => (await readingTables(() => db.query(sql))).tables;

  beforeAll(async () => {
    const url = process.env.SANJI_TEST_ADMIN_URL;
    if (!url) throw new Error('the jest global setup did not run');
    db = createSubgraphDataSource({ schema, url, entities: [], migrations: [], poolSize: 1, applicationName: 'sanji-database-test' });
    await db.initialize();
    await db.query(`CREATE SCHEMA ${schema}`);
    await db.query(`CREATE TABLE ${schema}.member (id int, region_code char(6))`);
    await db.query(`CREATE TABLE ${schema}.member_region_stats (region_code char(6), practitioners int)`);
    await db.query(`CREATE VIEW ${schema}.lawyers AS SELECT * FROM ${schema}.member`);
    await db.query(`CREATE FUNCTION ${schema}.year_of(day date) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT extract(year FROM day)::int $$`);
    await db.query(`CREATE FUNCTION ${schema}.members_in(code text) RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM ${schema}.member WHERE region_code = code $$`);
  });
  afterAll(async () => {
    if (!db?.isInitialized) return;
    await db.query(`DROP SCHEMA ${schema} CASCADE`);
    await db.destroy();
  });

  it('reads any table until the schema’s names are known', async () => {
    expect(await tablesOf('SELECT count(*) FROM member_region_stats')).toBeNull();
  });

  it('reads the tables a statement names, and only those, once they are', async () => {
    await learnTables(db);
    expect(await tablesOf("SELECT sum(practitioners) FROM member_region_stats s WHERE s.region_code >= '210300'")).toEqual(['member_region_stats']);
    expect(await tablesOf(`SELECT m.id FROM "${schema}"."member" m JOIN member_region_stats s USING (region_code)`)).toEqual(['member', 'member_region_stats']);
    // A column that shares a table's first letters is no table.
    expect(await tablesOf('SELECT 1 AS member_count')).toEqual([]);
    expect(await tablesOf('SELECT year_of(current_date), id FROM member')).toEqual(['member']);
  });

  it('reads any table through a view, or a function that can read one', async () => {
    await learnTables(db);
    expect(await tablesOf('SELECT * FROM lawyers')).toBeNull();
    expect(await tablesOf(`SELECT members_in('210302') FROM member_region_stats`)).toBeNull();
  });
});
