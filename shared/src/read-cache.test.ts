import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createLogger } from './logger';
import { changeChannel, ChangeFeed, ReadCache, type Batch } from './read-cache';
import type { Scope } from './viewer';

const PROVINCE: Scope = { prefix: '21', from: '21', to: '22', organizationId: null };

/**
 * A read cache listening to a real PostgreSQL, for a schema of its own: a value kept in this
 * process stands for the schema's data, and a writer on another connection changes it and
 * announces the change, as the statement triggers do.
 */
describe('the read cache and the changes it hears', () => {
  const schema = `cache_test_${randomBytes(4).toString('hex').replace(/\d/g, (d) => 'abcdefghij'[Number(d)])}`;
  let cache: ReadCache;
  let feed: ChangeFeed;
  let writer: Client;
  let value = 0;
  let reads = 0;
  const source: Batch<string, number> = async (keys) => {
    reads += 1;
    return keys.map(() => value);
  };
  /** What a request arriving now reads, through a loader named like a subgraph's. */
  const read = () => cache.forScope(PROVINCE).named('value')(source)(['the-key']).then(([answer]) => answer);

  beforeAll(async () => {
    const url = process.env.SANJI_TEST_ADMIN_URL;
    if (!url) throw new Error('the jest global setup did not run');
    cache = new ReadCache(100);
    feed = new ChangeFeed(url, schema, 'sanji-read-cache-test', cache, createLogger('test', 'silent'));
    await feed.start();
    writer = new Client({ connectionString: url });
    await writer.connect();
  });
  afterAll(async () => {
    await feed?.stop();
    await writer?.end();
  });

  it('never serves what it kept after a change committed before the request arrived, though the announcement is still on its way', async () => {
    const stale: string[] = [];
    for (let round = 1; round <= 200; round++) {
      await read();
      await read();
      // The change commits; the request arrives the moment the writer has its answer.
      value = round;
      await writer.query(`NOTIFY ${changeChannel(schema)}`);
      const answer = await read();
      if (answer !== round) stale.push(`round ${round}: read ${answer}`);
    }
    expect(stale).toEqual([]);
  });

  it('answers a repeated read from what it kept, without reading again', async () => {
    await read();
    const before = reads;
    expect(await read()).toBe(value);
    expect(await read()).toBe(value);
    expect(reads).toBe(before);
  });

  it('makes one round trip to PostgreSQL for a crowd of requests arriving together, not one each', async () => {
    await read();
    const before = cache.roundTrips;
    const answers = await Promise.all(Array.from({ length: 100 }, () => read()));
    expect(answers).toEqual(Array.from({ length: 100 }, () => value));
    expect(cache.roundTrips - before).toBeLessThanOrEqual(2);
  });
});
