import { captureLogs, LOG_LEVEL } from './helpers/log-capture';
import { startStack, type Stack } from './helpers/stack';

/** A small seeded generator (mulberry32): the same corpus on every run, and on every machine. */
function seeded(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(0, 255)));
  return { next, int, pick, bytes };
}

type Body = string | Buffer | object;

/** What the corpus sends: a body, and whether to label it JSON. */
interface Probe {
  category: string;
  body: Body;
}

/** Where a bad value may land: each query names its variable `$v` and the type it has. */
const TARGETS: { query: string; type: string }[] = [
  { query: 'query($v: ID!) { region(code: $v) { name } }', type: 'ID' },
  { query: 'query($v: ID!) { member(id: $v) { name idNumber } }', type: 'ID' },
  { query: 'query($v: ID!) { institution(id: $v) { name practitionerCount } }', type: 'ID' },
  { query: 'query($v: ID!) { partyOrganization(id: $v) { name members { name } } }', type: 'ID' },
  { query: 'query($v: ID!) { activity(id: $v) { title } }', type: 'ID' },
  { query: 'query($v: String) { institutions(filter: { nameContains: $v }, first: 5) { totalCount } }', type: 'String' },
  { query: 'query($v: String) { members(filter: { nameContains: $v }, first: 5) { totalCount } }', type: 'String' },
  { query: 'query($v: String) { institutions(first: 5, after: $v) { totalCount edges { node { id } } } }', type: 'Cursor' },
  { query: 'query($v: String) { members(first: 5, after: $v) { totalCount } }', type: 'Cursor' },
  { query: 'query($v: String) { activities(first: 5, after: $v) { totalCount } }', type: 'Cursor' },
  { query: 'query($v: String) { commendations(first: 5, after: $v) { totalCount } }', type: 'Cursor' },
  { query: 'query($v: String) { auditTrail { memberRecords(first: 5, after: $v) { totalCount } } }', type: 'Cursor' },
  { query: 'query($v: Int!) { institutions(first: $v) { totalCount } }', type: 'Int' },
  { query: 'query($v: Int!) { region(code: "210000") { activityStats(year: $v) { total } } }', type: 'Int' },
  { query: 'query($v: Int) { activities(filter: { year: $v }, first: 3) { totalCount } }', type: 'Int' },
  { query: 'query($v: DateTime) { auditTrail { memberRecords(filter: { since: $v }) { totalCount } } }', type: 'DateTime' },
  { query: 'mutation($v: Date!) { extendProbation(id: "00000000-0000-4000-8000-000000000000", until: $v, reason: "r") { id } }', type: 'Date' },
  { query: 'mutation($v: Date!) { endRole(id: "00000000-0000-4000-8000-000000000000", endedOn: $v) { id } }', type: 'Date' },
  { query: 'mutation($v: String!) { updateInstitution(id: "00000000-0000-4000-8000-000000000000", input: { name: $v }) { id } }', type: 'String' },
  { query: 'mutation($v: String!) { cancelTransfer(id: "00000000-0000-4000-8000-000000000000", reason: $v) { id } }', type: 'String' },
];

function corpus(seed: number): Probe[] {
  const r = seeded(seed);
  const target = () => r.pick(TARGETS);
  const randomText = (n: number) => Array.from({ length: n }, () => String.fromCharCode(r.int(0, 0xffff))).join('');
  const wrongValues = [true, false, 0, -1, 3.5, 1e308, -1e308, [], [1, 2], {}, { a: 1 }, '', ' ', 'null', '210000', 'LAW_FIRM'];
  const impossibleDates = ['2019-13-01', '2019-02-30', '2019-00-10', '0000-00-00', '2019-1-1', '19-01-01', '2019/01/01', '2019-01-01T00:00:00Z', '２０１９-01-01', '2019-02-29', '9999-99-99', '-2019-01-01'];
  const impossibleTimestamps = ['yesterday', '2019-13-45T00:00:00Z', '2019-01-01', '1', '2019-01-01T25:00:00Z', '2019-01-01T00:00:00', 'Infinity', '2019-02-30T00:00:00+08:00'];
  const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const forgedCursors = () => [
    cursorOf(['210000', 'a', 'not-a-uuid']),
    cursorOf([r.bytes(6).toString('hex'), '210000', 'x', '00000000-0000-4000-8000-000000000000']),
    cursorOf(['2019-13-01', 'x']),
    cursorOf(['nope']),
    cursorOf({ a: 1 }),
    cursorOf([1, 2, 3]),
    r.bytes(r.int(1, 40)).toString('base64url'),
    r.bytes(r.int(1, 40)).toString('base64'),
    '%%%',
    cursorOf(['x'.repeat(5000), 'a', 'b']),
  ];
  const probes: Probe[] = [];
  const add = (category: string, body: Body) => probes.push({ category, body });

  for (let i = 0; i < 30; i++) add('random bytes', r.bytes(r.int(1, 400)));
  for (let i = 0; i < 10; i++) add('random bytes', `{"query": "${r.bytes(r.int(1, 200)).toString('latin1')}"}`);
  for (let i = 0; i < 15; i++) {
    const depth = r.int(100, 20_000);
    const open = r.pick(['[', '{"a":']);
    const close = open === '[' ? ']' : '}';
    add('deep JSON', `{"query":${JSON.stringify(target().query)},"variables":{"v":${open.repeat(depth)}1${close.repeat(depth)}}}`);
  }
  for (let i = 0; i < 15; i++) {
    const depth = r.int(7, 200);
    add('deep JSON', { query: `{ region(code: "210000") { ${'children { '.repeat(depth)}code${' }'.repeat(depth)} } }` });
  }
  for (let i = 0; i < 30; i++) {
    const t = target();
    const huge = r.pick([2 ** 31, 2 ** 53, 1e20, -(2 ** 31) - 1, 1e300, Number.MAX_SAFE_INTEGER, 0, -5, 101]);
    if (r.next() < 0.5) add('huge numbers', { query: t.query, variables: { v: huge } });
    else add('huge numbers', { query: `{ institutions(first: ${r.pick(['99999999999999999999', '2147483648', '1e400', '-1', '0', '101'])}) { totalCount } }` });
  }
  for (let i = 0; i < 30; i++) {
    const t = r.pick(TARGETS.filter((x) => x.type === 'String' || x.type === 'ID'));
    const text = JSON.stringify({ query: t.query, variables: { v: 'VALUE' } });
    const [before, after] = text.split('VALUE');
    const bad = r.pick([[0xff], [0xc3], [0xe4, 0xb8], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf]]);
    add('invalid UTF-8', Buffer.concat([Buffer.from(before + '律师'), Buffer.from(bad), Buffer.from('事务所' + after)]));
  }
  for (let i = 0; i < 10; i++) {
    const t = r.pick(TARGETS.filter((x) => x.type === 'String'));
    add('invalid UTF-8', { query: t.query, variables: { v: r.pick(['a\ud800', '\udfff', 'x\u0000y', '\u0000']) } });
  }
  for (let i = 0; i < 40; i++) add('wrong variable types', { query: target().query, variables: { v: r.pick(wrongValues) } });
  for (let i = 0; i < 10; i++) add('wrong variable types', { query: target().query, variables: r.pick([[], 'v', 5, null, { w: 1 }]) });
  for (let i = 0; i < 30; i++) {
    const name = r.pick(['', ' ', 'A ', ' A', 'a', 'Unknown', randomText(r.int(1, 30)), 'A\u0000', 'query', '{']);
    const query = r.pick(['query A { viewer { tier } }', 'query A { viewer { tier } } query B { viewer { roles } }', '{ viewer { tier } }', 'mutation A { endRole(id: "x", endedOn: "2019-01-01") { id } }']);
    add('unknown operation names', { query, operationName: r.next() < 0.2 ? r.pick([5, true, [], {}]) : name });
  }
  for (let i = 0; i < 10; i++) add('unknown operation names', { query: r.pick(['subscription { viewer { tier } }', 'subscription S { viewer { tier } } query Q { viewer { tier } }']) });
  for (let i = 0; i < 25; i++) {
    const t = r.pick(TARGETS.filter((x) => x.type === 'String' || x.type === 'ID'));
    add('overlong strings', { query: t.query, variables: { v: r.pick(['x', '律', 'A1']).repeat(r.int(1_000, 40_000)) } });
  }
  for (let i = 0; i < 30; i++) {
    const t = r.pick(TARGETS.filter((x) => x.type === 'Date' || x.type === 'DateTime'));
    const value = r.pick(t.type === 'Date' ? impossibleDates : impossibleTimestamps);
    if (r.next() < 0.5) add('impossible dates', { query: t.query, variables: { v: value } });
    else add('impossible dates', { query: t.query.replace(/\(\$v: \w+!?\)/, '').replace('$v', JSON.stringify(value)) });
  }
  for (let i = 0; i < 40; i++) {
    const t = r.pick(TARGETS.filter((x) => x.type === 'Cursor'));
    add('forged cursors', { query: t.query, variables: { v: r.pick(forgedCursors()) } });
  }
  for (let i = 0; i < 15; i++) {
    add('persisted queries', {
      query: r.next() < 0.5 ? '{ viewer { tier } }' : undefined,
      extensions: r.pick([
        { persistedQuery: { version: 2, sha256Hash: 'a'.repeat(64) } },
        { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } },
        { persistedQuery: { version: '1', sha256Hash: 5 } },
        { persistedQuery: 'x' },
        { persistedQuery: [] },
        'x',
        [1],
        5,
      ]),
    });
  }
  return probes;
}

/** The codes a client may see for its own mistakes; anything else would be the service's fault. */
const STABLE = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'QUERY_TOO_COMPLEX',
  'PERSISTED_QUERY_NOT_FOUND',
]);

describe('a corpus of malformed requests', () => {
  const probes = corpus(20191231);
  let stack: Stack;
  let logs: ReturnType<typeof captureLogs>;
  let token: string;
  const answers: { probe: Probe; status: number; codes: string[] }[] = [];

  beforeAll(async () => {
    logs = captureLogs();
    stack = await startStack({ logLevel: 'warn', logDestination: logs.destination, env: 'production' });
    token = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'] });
    for (const probe of probes) {
      const body = typeof probe.body === 'string' ? probe.body : Buffer.isBuffer(probe.body) ? new Uint8Array(probe.body) : JSON.stringify(probe.body);
      const response = await fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
        body,
      });
      const text = await response.text();
      let parsed: { errors?: { extensions?: { code?: string } }[] } = {};
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = { errors: [{ extensions: { code: `not JSON: ${text.slice(0, 80)}` } }] };
      }
      answers.push({ probe, status: response.status, codes: (parsed.errors ?? []).map((e) => e.extensions?.code ?? 'none') });
    }
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('has at least 300 requests in every category, from a fixed seed', () => {
    expect(probes.length).toBeGreaterThanOrEqual(300);
    expect(new Set(probes.map((p) => p.category))).toEqual(
      new Set(['random bytes', 'deep JSON', 'huge numbers', 'invalid UTF-8', 'wrong variable types', 'unknown operation names', 'overlong strings', 'impossible dates', 'forged cursors', 'persisted queries']),
    );
    expect(JSON.stringify(corpus(20191231))).toBe(JSON.stringify(probes));
  });

  it('answers none of them with a 5xx', () => {
    const failures = answers.filter((a) => a.status >= 500).map((a) => ({ category: a.probe.category, status: a.status, codes: a.codes }));
    expect(failures).toEqual([]);
  });

  it('answers every error with a stable code', () => {
    const unstable = answers.filter((a) => a.codes.some((code) => !STABLE.has(code))).map((a) => ({ category: a.probe.category, status: a.status, codes: a.codes }));
    expect(unstable).toEqual([]);
  });

  it('refuses every body that is not a well-formed request with a 4xx and an error', () => {
    const served = answers.filter((a) => ['random bytes', 'deep JSON', 'invalid UTF-8'].includes(a.probe.category) && (a.status < 400 || a.codes.length === 0));
    expect(served.map((a) => ({ category: a.probe.category, status: a.status, body: String(a.probe.body).slice(0, 100) }))).toEqual([]);
  });

  it('logs none of them at error level in any service', () => {
    expect(logs.lines.filter((line) => line.level >= LOG_LEVEL.error).map((line) => ({ service: line.service, msg: line.msg }))).toEqual([]);
  });
});
