import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { readingTables } from './answer-sources';
import { combinedQuery, renumberPlaceholders } from './combined-statements';
import { createSubgraphDataSource, learnTables, statementCount } from './database';
import { configurePgTypes } from './pg-types';

describe('renumbering the placeholders of a statement sent inside another', () => {
  it('moves every placeholder by the parameters before it', () => {
    expect(renumberPlaceholders('SELECT $1::int + $2, $10 FROM t WHERE a = ANY($3::text[])', 4)).toBe('SELECT $5::int + $6, $14 FROM t WHERE a = ANY($7::text[])');
  });

  it('leaves alone what only looks like a placeholder: in literals, quoted names, comments, dollar quotes and names', () => {
    const text = `SELECT $1, '$2 it''s', "col$3", x$4, $$ $5 $$, $tag$ $6 $tag$, -- $7\n $8 /* $9 */ $10`;
    expect(renumberPlaceholders(text, 10)).toBe(`SELECT $11, '$2 it''s', "col$3", x$4, $$ $5 $$, $tag$ $6 $tag$, -- $7\n $18 /* $9 */ $20`);
  });

  it('changes nothing when no parameter comes before', () => {
    const text = "SELECT $1 WHERE x = '$1'";
    expect(renumberPlaceholders(text, 0)).toBe(text);
  });
});

describe.each([false, true])('statements sent at the same moment (named statements: %s)', (preparedStatements) => {
  const schema = `combined_test_${randomBytes(4).toString('hex').replace(/\d/g, (d) => 'abcdefghij'[Number(d)])}`;
  let db: DataSource;

  beforeAll(async () => {
    configurePgTypes();
    const url = process.env.SANJI_TEST_ADMIN_URL;
    if (!url) throw new Error('the jest global setup did not run');
    db = createSubgraphDataSource({ schema, url, entities: [], migrations: [], poolSize: 2, applicationName: 'sanji-combined-test', preparedStatements });
    await db.initialize();
    await db.query(`CREATE SCHEMA ${schema}`);
    await db.query(`CREATE TABLE ${schema}.member (id uuid PRIMARY KEY, name text, birth_date date, region_code char(6), mobile boolean, tags text[])`);
    await db.query(`CREATE TABLE ${schema}.member_region_stats (region_code char(6), practitioners int)`);
    await db.query(
      `INSERT INTO ${schema}.member VALUES
         ('00000000-0000-4000-8000-000000000001', '王小明', '1980-02-29', '210302', true, '{律师}'),
         ('00000000-0000-4000-8000-000000000002', '李华', '1975-12-01', '210303', false, NULL)`,
    );
    await db.query(`INSERT INTO ${schema}.member_region_stats VALUES ('210302', 3), ('210303', 5), ('210402', 7)`);
    await learnTables(db);
  });
  afterAll(async () => {
    if (!db?.isInitialized) return;
    await db.query(`DROP SCHEMA ${schema} CASCADE`);
    await db.destroy();
  });

  const members = (ids: string[]) =>
    combinedQuery<Record<string, unknown>>(db, `SELECT m.id, m.name, m.birth_date AS "birthDate", m.region_code AS "regionCode", m.mobile, m.tags FROM member m WHERE m.id = ANY($1::uuid[]) ORDER BY m.name DESC`, [ids]);
  const counters = (codes: string[]) =>
    combinedQuery<{ practitioners: number }>(
      db,
      `SELECT s.* FROM unnest($1::char(6)[]) WITH ORDINALITY AS q(code, ordinal)
        CROSS JOIN LATERAL (SELECT coalesce(sum(practitioners), 0)::int AS practitioners FROM member_region_stats WHERE region_code LIKE rtrim(q.code, '0') || '%') s
        ORDER BY q.ordinal`,
      [codes],
    );
  const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];

  /** The statements `send` makes the DataSource's connections send. */
  async function sentBy<T>(send: () => Promise<T>): Promise<{ value: T; statements: number }> {
    const before = statementCount(db);
    const value = await send();
    return { value, statements: statementCount(db) - before };
  }

  it('sends two loaders’ statements of the same moment as one, each answered as if sent alone', async () => {
    const alone = [await members(ids), await counters(['210300', '210400', '210000', '220000'])];
    const together = await sentBy(() => Promise.all([members(ids), counters(['210300', '210400', '210000', '220000'])]));
    expect(together.statements).toBe(1);
    expect(together.value).toEqual(alone);
    // The rows, their order and their values are the driver's: dates as text, char(6), booleans, arrays, null.
    expect(together.value[0]).toEqual([
      { id: ids[0], name: '王小明', birthDate: '1980-02-29', regionCode: '210302', mobile: true, tags: ['律师'] },
      { id: ids[1], name: '李华', birthDate: '1975-12-01', regionCode: '210303', mobile: false, tags: null },
    ]);
    expect(together.value[1]).toEqual([{ practitioners: 8 }, { practitioners: 7 }, { practitioners: 15 }, { practitioners: 0 }]);
  });

  it('sends statements asked at different moments each on its own', async () => {
    const apart = await sentBy(async () => [await members(ids), await counters(['210300'])]);
    expect(apart.statements).toBe(2);
  });

  it('gives each part the tables it read, not its neighbour’s', async () => {
    const [ofMembers, ofCounters] = await Promise.all([readingTables(() => members(ids)), readingTables(() => counters(['210300']))]);
    expect(ofMembers.tables).toEqual(['member']);
    expect(ofCounters.tables).toEqual(['member_region_stats']);
  });

  it('gives a failing part’s error to its own caller only, the other part its rows', async () => {
    const failing = combinedQuery(db, 'SELECT $1::text::int AS n', ['not a number']);
    const [failed, counted] = await Promise.allSettled([failing, counters(['210300'])]);
    expect(failed).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ code: '22P02' }) });
    expect(counted).toEqual({ status: 'fulfilled', value: [{ practitioners: 8 }] });
  });
});
