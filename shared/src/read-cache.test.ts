import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createLogger } from './logger';
import { changeChannel, ChangeFeed, onRecord, onRegion, ReadCache, type Batch, type Sources } from './read-cache';
import type { Scope } from './viewer';

const PROVINCE: Scope = { prefix: '21', from: '21', to: '22', organizationId: null };

/** A read cache of 100 answers hearing the changes of `schemas`, and a writer on a connection of its own. */
async function startListening(schemas: string | string[]): Promise<{ cache: ReadCache; feed: ChangeFeed; writer: Client }> {
  const url = process.env.SANJI_TEST_ADMIN_URL;
  if (!url) throw new Error('the jest global setup did not run');
  const cache = new ReadCache(100);
  const feed = new ChangeFeed(url, schemas, 'sanji-read-cache-test', cache, createLogger('test', 'silent'));
  await feed.start();
  const writer = new Client({ connectionString: url });
  await writer.connect();
  return { cache, feed, writer };
}

async function stopListening(feed: ChangeFeed | undefined, writer: Client | undefined): Promise<void> {
  await feed?.stop();
  await writer?.end();
}

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

  beforeAll(async () => ({ cache, feed, writer } = await startListening(schema)));
  afterAll(() => stopListening(feed, writer));

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

  describe('a change forgets only what it touched', () => {
    /** Values standing for each region's and each record's data, and how many times each was read. */
    const data = new Map<string, number>();
    const readsOf = new Map<string, number>();
    const sourceOf: Batch<string, number> = async (keys) =>
      keys.map((key) => {
        readsOf.set(key, (readsOf.get(key) ?? 0) + 1);
        return data.get(key) ?? 0;
      });
    const byRegion = (code: string) => cache.forScope(PROVINCE).named('figures', onRegion(PROVINCE))(sourceOf)([code]).then(([answer]) => answer);
    const byRecord = (id: string) => cache.forScope(PROVINCE).named('record', onRecord)(sourceOf)([id]).then(([answer]) => answer);
    const undeclared = (key: string) => cache.forScope(PROVINCE).named('undeclared')(sourceOf)([key]).then(([answer]) => answer);
    const announce = (payload: string) => writer.query(`SELECT pg_notify($1, $2)`, [changeChannel(schema), payload]);
    const RECORD = '6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5';
    const OTHER_RECORD = '0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3';

    it('forgets the county written in, its city and the province, and keeps another city and its counties', async () => {
      const regions = ['210000', '210300', '210302', '210303', '210200', '210202'];
      for (const code of regions) await byRegion(code);
      for (const code of regions) data.set(code, 1);
      const before = new Map(regions.map((code) => [code, readsOf.get(code)]));
      await announce(JSON.stringify({ r: ['210302'], i: [] }));
      const answers = Object.fromEntries(await Promise.all(regions.map(async (code) => [code, await byRegion(code)])));
      expect(answers).toEqual({ '210000': 1, '210300': 1, '210302': 1, '210303': 0, '210200': 0, '210202': 0 });
      expect(regions.filter((code) => readsOf.get(code) !== before.get(code))).toEqual(['210000', '210300', '210302']);
    });

    it('forgets every region of the province on a province-wide change', async () => {
      for (const code of ['210303', '210202']) await byRegion(code);
      for (const code of ['210303', '210202']) data.set(code, 2);
      await announce(JSON.stringify({ r: ['210000'], i: [] }));
      expect([await byRegion('210303'), await byRegion('210202')]).toEqual([2, 2]);
    });

    it('forgets an answer about a record when a change names it, and keeps another record’s', async () => {
      await byRecord(RECORD);
      await byRecord(OTHER_RECORD);
      data.set(RECORD, 3);
      data.set(OTHER_RECORD, 3);
      await announce(JSON.stringify({ r: ['210202'], i: [RECORD] }));
      expect([await byRecord(RECORD), await byRecord(OTHER_RECORD)]).toEqual([3, 0]);
    });

    it('forgets, on a change of columns only shown, an answer naming every row it read only if it holds one changed; one that does not say so, by region', async () => {
      // A loader's answers name the rows they hold; a whole answer kept from a report that does not say so is placed by region.
      const named = (id: string) =>
        cache.forScope(PROVINCE).named('page', () => ({ regions: ['210302'], records: [id], tables: ['member'] }))(sourceOf)([`page|${id}`]).then(([answer]) => answer);
      const reported = async () => {
        const found = await cache.lookup('reported');
        if (found.hit) return found.value;
        const value = data.get('reported') ?? 0;
        found.keep(value, [{ regions: ['210302'], tables: ['member'] }]);
        return value;
      };
      await named(RECORD);
      await named(OTHER_RECORD);
      await reported();
      data.set(`page|${RECORD}`, 6);
      data.set(`page|${OTHER_RECORD}`, 6);
      data.set('reported', 6);
      await announce(JSON.stringify({ r: ['210302'], i: [RECORD, '@member'], s: true }));
      expect([await named(RECORD), await named(OTHER_RECORD), await reported()]).toEqual([6, 0, 6]);
    });

    it('forgets an answer whose loader says nothing on any change, and everything on a change it cannot place', async () => {
      await undeclared('anything');
      data.set('anything', 4);
      await announce(JSON.stringify({ r: ['210202'], i: [] }));
      expect(await undeclared('anything')).toBe(4);
      await byRecord(OTHER_RECORD);
      data.set(OTHER_RECORD, 5);
      await announce('');
      expect(await byRecord(OTHER_RECORD)).toBe(5);
    });
  });
});

/**
 * Whole answers made outside a loader (the gateway's), kept under one key, with a feed that
 * listens on two schemas' channels: a change on either forgets them.
 */
describe('answers kept whole, told of the changes of several schemas', () => {
  const name = () => `cache_test_${randomBytes(4).toString('hex').replace(/\d/g, (d) => 'abcdefghij'[Number(d)])}`;
  const schemas = [name(), name()];
  let cache: ReadCache;
  let feed: ChangeFeed;
  let writer: Client;

  beforeAll(async () => ({ cache, feed, writer } = await startListening(schemas)));
  afterAll(() => stopListening(feed, writer));

  /** Asks for the answer under `key`; when none is kept, makes `made` (after `meanwhile`) and offers it. */
  const ask = async (key: string, made: string, meanwhile: () => Promise<unknown> = async () => undefined, sources: Sources | null = null) => {
    const found = await cache.lookup(key);
    if (found.hit) return found.value;
    await meanwhile();
    found.keep(made, sources);
    return made;
  };

  /** Announces a change on the first schema's channel, as the statement triggers do. */
  const announce = (payload: string) => writer.query(`SELECT pg_notify($1, $2)`, [changeChannel(schemas[0]), payload]);

  it('serves a kept answer, and forgets it on a change announced on any of the schemas', async () => {
    expect(await ask('k', 'first')).toBe('first');
    expect(await ask('k', 'second')).toBe('first');
    await writer.query(`NOTIFY ${changeChannel(schemas[1])}`);
    expect(await ask('k', 'third')).toBe('third');
    await writer.query(`NOTIFY ${changeChannel(schemas[0])}, '{"r":["210302"],"i":[]}'`);
    expect(await ask('k', 'fourth')).toBe('fourth');
    expect(await ask('k', 'fifth')).toBe('fourth');
  });

  it('keeps nothing made while a change was announced', async () => {
    expect(
      await ask('m', 'made before the change', async () => {
        await writer.query(`NOTIFY ${changeChannel(schemas[1])}`);
        // The announcement is heard before the feed's next round trip comes back.
        await cache.heardUpToNow();
      }),
    ).toBe('made before the change');
    expect(await ask('m', 'made after it')).toBe('made after it');
  });

  it('forgets an answer read from some schemas only on their changes, placed or not', async () => {
    const fromFirst: Sources = [{ regions: ['210302'], records: [], schemas: [schemas[0]] }];
    expect(await ask('s', 'first', undefined, fromFirst)).toBe('first');
    await writer.query(`NOTIFY ${changeChannel(schemas[1])}, '{"r":["210302"],"i":[]}'`);
    await writer.query(`NOTIFY ${changeChannel(schemas[1])}`);
    expect(await ask('s', 'second', undefined, fromFirst)).toBe('first');
    await writer.query(`NOTIFY ${changeChannel(schemas[0])}, '{"r":["210300"],"i":[]}'`);
    expect(await ask('s', 'third', undefined, fromFirst)).toBe('third');
    await writer.query(`NOTIFY ${changeChannel(schemas[0])}`);
    expect(await ask('s', 'fourth', undefined, fromFirst)).toBe('fourth');
    // Forgetting everything, as at a new day or a lost feed, forgets it too.
    cache.invalidate();
    expect(await ask('s', 'fifth', undefined, fromFirst)).toBe('fifth');
  });

  it('forgets an answer read from some tables only on the changes of those tables in its regions, or of unnamed extent', async () => {
    const counters: Sources = [{ regions: ['210000'], records: [], schemas: [schemas[0]], tables: ['member_region_stats'] }];
    expect(await ask('c', 'first', undefined, counters)).toBe('first');
    // A member's phone changed in a county of the province: a row of another table.
    await announce('{"r":["210302"],"i":["@member"]}');
    expect(await ask('c', 'second', undefined, counters)).toBe('first');
    // The counters of another province moved.
    await announce('{"r":["110101"],"i":["@member_region_stats"]}');
    expect(await ask('c', 'second', undefined, counters)).toBe('first');
    await announce('{"r":["210302"],"i":["@member_region_stats"]}');
    expect(await ask('c', 'third', undefined, counters)).toBe('third');
    // A change that names no table, or several, may be of any.
    await announce('{"r":["210302"],"i":[]}');
    expect(await ask('c', 'fourth', undefined, counters)).toBe('fourth');
    await announce('{"r":["210302"],"i":["@member","@member_region_stats"]}');
    expect(await ask('c', 'fifth', undefined, counters)).toBe('fifth');
    await announce('');
    expect(await ask('c', 'sixth', undefined, counters)).toBe('sixth');
  });

  it('forgets an answer read from some years and kinds only on changes of rows of those, or of rows whose year and kind are not told', async () => {
    const year2018: Sources = [{ regions: ['210000'], records: [], schemas: [schemas[0]], tables: ['activity_region_stats'], facets: { year: ['2018'] } }];
    expect(await ask('y', 'first', undefined, year2018)).toBe('first');
    // A 2019 Party day in a county of the province.
    await announce('{"r":["210302"],"i":["@activity_region_stats"],"f":{"year":["2019"],"activityKind":["THEME_PARTY_DAY"]}}');
    expect(await ask('y', 'second', undefined, year2018)).toBe('first');
    // A facet the answer did not confine itself to says nothing of it.
    await announce('{"r":["210302"],"i":["@activity_region_stats"],"f":{"activityKind":["PARTY_LECTURE"]}}');
    expect(await ask('y', 'second', undefined, year2018)).toBe('second');
    // A row of 2018 among the rows touched.
    await announce('{"r":["210302"],"i":["@activity_region_stats"],"f":{"year":["2018","2019"]}}');
    expect(await ask('y', 'third', undefined, year2018)).toBe('third');
    // A change that does not tell its years, or tells them unreadably, may be of any.
    await announce('{"r":["210302"],"i":["@activity_region_stats"]}');
    expect(await ask('y', 'fourth', undefined, year2018)).toBe('fourth');
    await announce('{"r":["210302"],"i":["@activity_region_stats"],"f":{"year":[2019]}}');
    expect(await ask('y', 'fifth', undefined, year2018)).toBe('fifth');
    // Outside its regions, a change of its year does not meet it either.
    await announce('{"r":["110101"],"i":["@activity_region_stats"],"f":{"year":["2018"]}}');
    expect(await ask('y', 'sixth', undefined, year2018)).toBe('fifth');
    await announce('');
    expect(await ask('y', 'seventh', undefined, year2018)).toBe('seventh');
  });

  it('keeps what was made while another table’s change was announced, but not its own table’s', async () => {
    const counters: Sources = [{ regions: ['210302'], records: [], tables: ['member_region_stats'] }];
    const announcing = (table: string) => async () => {
      await announce(`{"r":["210302"],"i":["@${table}"]}`);
      await cache.heardUpToNow();
    };
    expect(await ask('d', 'made meanwhile', announcing('member'), counters)).toBe('made meanwhile');
    expect(await ask('d', 'made again', undefined, counters)).toBe('made meanwhile');
    cache.invalidate();
    expect(await ask('e', 'made meanwhile', announcing('member_region_stats'), counters)).toBe('made meanwhile');
    expect(await ask('e', 'made again', undefined, counters)).toBe('made again');
  });

  it('forgets an answer of several parts only on a change that meets one part: its table, in its own regions or records', async () => {
    // A member's profile: the region of the member's institution (the region table, by region) and
    // the member's activities (the activity table, by record).
    const profile: Sources = [
      { regions: ['210302'], records: [], schemas: [schemas[0]], tables: ['region'] },
      { regions: [], records: ['m1', 'a1'], schemas: [schemas[0]], tables: ['activity'] },
    ];
    expect(await ask('p', 'first', undefined, profile)).toBe('first');
    // Another member's activity, recorded in the same county: the activity table, in the region of the first part only.
    await announce('{"r":["210302"],"i":["a2","m2","@activity"]}');
    expect(await ask('p', 'second', undefined, profile)).toBe('first');
    // An institution renamed in the county: neither part's table.
    await announce('{"r":["210302"],"i":["i1","@institution"]}');
    expect(await ask('p', 'second', undefined, profile)).toBe('first');
    // The member's own activity.
    await announce('{"r":["210302"],"i":["a1","m1","@activity"]}');
    expect(await ask('p', 'second', undefined, profile)).toBe('second');
    // The county's region row.
    await announce('{"r":["210302"],"i":["@region"]}');
    expect(await ask('p', 'third', undefined, profile)).toBe('third');
    // A change whose table is not told meets any part in its regions or records.
    await announce('{"r":["210302"],"i":[]}');
    expect(await ask('p', 'fourth', undefined, profile)).toBe('fourth');
  });

  it('finds, for a change of one table, the answers read from that table and those read from any, and for a change of no named table every answer in its regions', async () => {
    const ofMembers: Sources = [{ regions: ['210302'], records: [], tables: ['member'] }];
    const ofAny: Sources = [{ regions: ['210302'], records: [] }];
    const ofNone: Sources = [{ regions: ['210302'], records: [], tables: [] }];
    const answers = async (made: string) => [await ask('tm', made, undefined, ofMembers), await ask('ta', made, undefined, ofAny), await ask('tn', made, undefined, ofNone)];
    expect(await answers('first')).toEqual(['first', 'first', 'first']);
    await announce('{"r":["210302"],"i":["@member"]}');
    expect(await answers('second')).toEqual(['second', 'second', 'first']);
    await announce('{"r":["210302"],"i":["@activity"]}');
    expect(await answers('third')).toEqual(['second', 'third', 'first']);
    await announce('{"r":["210303"],"i":[]}');
    expect(await answers('fourth')).toEqual(['second', 'third', 'first']);
    await announce('{"r":["210302"],"i":[]}');
    expect(await answers('fifth')).toEqual(['fifth', 'fifth', 'fifth']);
  });

  it('keeps what was made while a change met none of its parts, but not one that met a part', async () => {
    const profile: Sources = [
      { regions: ['210302'], records: [], tables: ['region'] },
      { regions: [], records: ['m1'], tables: ['activity'] },
    ];
    const announcing = (payload: string) => async () => {
      await announce(payload);
      await cache.heardUpToNow();
    };
    expect(await ask('q', 'made meanwhile', announcing('{"r":["210302"],"i":["m2","@activity"]}'), profile)).toBe('made meanwhile');
    expect(await ask('q', 'made again', undefined, profile)).toBe('made meanwhile');
    expect(await ask('r', 'made meanwhile', announcing('{"r":["210302"],"i":["m1","@activity"]}'), profile)).toBe('made meanwhile');
    expect(await ask('r', 'made again', undefined, profile)).toBe('made again');
  });

  it('keeps what was made while another schema’s change was announced, but not its own schema’s', async () => {
    const fromSecond: Sources = [{ regions: ['210302'], records: [], schemas: [schemas[1]] }];
    const announcing = (schema: string) => async () => {
      await writer.query(`NOTIFY ${changeChannel(schema)}, '{"r":["210302"],"i":[]}'`);
      await cache.heardUpToNow();
    };
    expect(await ask('t', 'made meanwhile', announcing(schemas[0]), fromSecond)).toBe('made meanwhile');
    expect(await ask('t', 'made again', undefined, fromSecond)).toBe('made meanwhile');
    expect(await ask('u', 'made meanwhile', announcing(schemas[1]), fromSecond)).toBe('made meanwhile');
    expect(await ask('u', 'made again', undefined, fromSecond)).toBe('made again');
  });

  it('tells every cache it serves of each change', async () => {
    const url = process.env.SANJI_TEST_ADMIN_URL!;
    const [first, second] = [new ReadCache(10), new ReadCache(10)];
    const both = new ChangeFeed(url, schemas, 'sanji-read-cache-test', [first, second], createLogger('test', 'silent'));
    await both.start();
    try {
      for (const one of [first, second]) {
        expect(one.active).toBe(true);
        const found = await one.lookup('v');
        if (!found.hit) found.keep('kept', [{ regions: ['210302'] }]);
        expect((await one.lookup('v')).hit).toBe(true);
      }
      await writer.query(`NOTIFY ${changeChannel(schemas[0])}, '{"r":["210302"],"i":[]}'`);
      for (const one of [first, second]) expect((await one.lookup('v')).hit).toBe(false);
    } finally {
      await both.stop();
    }
    expect([first.active, second.active]).toEqual([false, false]);
  });

  it('keeps nothing while the feed is stopped', async () => {
    await feed.stop();
    expect(cache.active).toBe(false);
    expect(await ask('n', 'one')).toBe('one');
    expect(await ask('n', 'two')).toBe('two');
  });
});

/**
 * A subgraph's cache that also hears another subgraph's schema, for the lookups in it that its
 * reads keep (whether the caller sees a record there): its own reads stand on the other schema's
 * changes, and a kept lookup falls only to the other schema's change of the record looked up.
 */
describe('a subgraph’s reads, told of its own schema’s changes and of another’s it looks up', () => {
  const suffix = randomBytes(4).toString('hex').replace(/\d/g, (d) => 'abcdefghij'[Number(d)]);
  const own = `cache_own_${suffix}`;
  const other = `cache_other_${suffix}`;
  const RECORD = '6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5';
  let cache: ReadCache;
  let feed: ChangeFeed;
  let writer: Client;
  const data = new Map<string, number>();
  const source: Batch<string, number> = async (keys) => keys.map((key) => data.get(key) ?? 0);
  const ownRead = (code: string) => cache.forScope(PROVINCE).named('figures', onRegion(PROVINCE))(source)([code]).then(([answer]) => answer);
  const lookup = (id: string) =>
    cache
      .forScope(PROVINCE)
      .named('visible', (key) => ({ records: [key], schemas: [other] }))(source)([id])
      .then(([answer]) => answer);
  const announce = (schema: string, payload: object) => writer.query(`SELECT pg_notify($1, $2)`, [changeChannel(schema), JSON.stringify(payload)]);

  beforeAll(async () => {
    const url = process.env.SANJI_TEST_ADMIN_URL!;
    cache = new ReadCache(100, undefined, own);
    feed = new ChangeFeed(url, [own, other], 'sanji-read-cache-test', cache, createLogger('test', 'silent'));
    await feed.start();
    writer = new Client({ connectionString: url });
    await writer.connect();
  });
  afterAll(() => stopListening(feed, writer));

  it('keeps its own reads on the other schema’s change in their region, and forgets them on its own', async () => {
    await ownRead('210302');
    data.set('210302', 1);
    await announce(other, { r: ['210302'], i: [RECORD] });
    expect(await ownRead('210302')).toBe(0);
    await announce(own, { r: ['210302'], i: [] });
    expect(await ownRead('210302')).toBe(1);
  });

  it('forgets a kept lookup on the other schema’s change of that record only', async () => {
    await lookup(RECORD);
    data.set(RECORD, 2);
    // Its own schema's change naming the same id is another table's row referring to it, not the record looked up.
    await announce(own, { r: ['210302'], i: [RECORD] });
    await announce(other, { r: ['210302'], i: ['0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3'] });
    expect(await lookup(RECORD)).toBe(0);
    await announce(other, { r: ['210202'], i: [RECORD] });
    expect(await lookup(RECORD)).toBe(2);
  });
});

describe('the bound in bytes', () => {
  it('counts what an answer was read from against it: an answer read from many records takes more room', async () => {
    const cache = new ReadCache(1000, { maxBytes: 1000, size: () => 10 });
    cache.setListening(true, async () => undefined);
    const keep = async (key: string, records: string[]) => {
      const found = await cache.lookup(key);
      if (!found.hit) found.keep(key, [{ regions: ['210302'], records }]);
    };
    await keep('few', ['a']);
    await keep('many', Array.from({ length: 20 }, (_, i) => `record-${i}`));
    expect((await cache.lookup('few')).hit).toBe(true);
    // Its value is 10 bytes, but filed under 21 names it would take about 2 KB: more than the bound.
    expect((await cache.lookup('many')).hit).toBe(false);
    expect(cache.size).toBe(1);
  });
});
