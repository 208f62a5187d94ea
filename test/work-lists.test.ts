import { Client } from 'pg';
import { createProofSigner, PROOF_HEADER } from '../shared/src/internal';
import { eventually } from './helpers/eventually';
import { expectNoErrors, expectRefused } from './helpers/expectations';
import { startStack, type Stack } from './helpers/stack';

/** The day every list here is reckoned on: the end of the demo's last year. */
const AS_OF = '2019-12-31';
const YEAR = 2019;
const ORGANIZATIONAL_LIFE_KINDS = [
  'BRANCH_GENERAL_MEETING', 'BRANCH_COMMITTEE_MEETING', 'PARTY_GROUP_MEETING', 'PARTY_LECTURE',
  'THEME_PARTY_DAY', 'ORGANIZATIONAL_LIFE_MEETING', 'DEMOCRATIC_APPRAISAL',
];

type Row = Record<string, any>;

/** What a caller sees of each list, and the key the recount gives each item, to compare them. */
const LISTS = {
  organizationalLifeGaps: {
    args: '(year: $year, asOf: $asOf, first: $first, after: $after)',
    variables: '$year: Int!, $asOf: Date',
    fields: 'periodsMissed firstMissedDueOn kinds { kind required periodsMet missedPeriods } node { id }',
    item: (edge: Row) => ({
      id: edge.node.id,
      firstMissedDueOn: edge.firstMissedDueOn,
      periodsMissed: edge.periodsMissed,
      kinds: edge.kinds.map((k: Row) => ({ kind: k.kind, missedPeriods: k.missedPeriods })),
    }),
  },
  institutionsWithoutVisit: {
    args: '(sinceMonths: $sinceMonths, asOf: $asOf, first: $first, after: $after)',
    variables: '$sinceMonths: Int!, $asOf: Date',
    fields: 'lastVisitedOn visitDueOn node { id }',
    item: (edge: Row) => ({ id: edge.node.id, lastVisitedOn: edge.lastVisitedOn, visitDueOn: edge.visitDueOn }),
  },
  missingCheckpoints: {
    args: '(year: $year, first: $first, after: $after)',
    variables: '$year: Int!',
    fields: 'missingStages node { id }',
    item: (edge: Row) => ({ id: edge.node.id, missingStages: edge.missingStages }),
  },
  probationsDue: {
    args: '(withinDays: $withinDays, asOf: $asOf, first: $first, after: $after)',
    variables: '$withinDays: Int!, $asOf: Date',
    fields: 'probationEndsOn overdue node { id partyStatus idNumber }',
    item: (edge: Row) => ({ id: edge.node.id, probationEndsOn: edge.probationEndsOn, overdue: edge.overdue }),
  },
  pendingTransfers: {
    args: '(withinDays: $withinDays, asOf: $asOf, first: $first, after: $after)',
    variables: '$withinDays: Int!, $asOf: Date',
    fields: 'expired node { id status expiresOn }',
    item: (edge: Row) => ({ id: edge.node.id, expiresOn: edge.node.expiresOn, expired: edge.expired }),
  },
} as const;

type ListName = keyof typeof LISTS;

const query = (list: ListName) => `query($code: ID!, $first: Int, $after: String, ${LISTS[list].variables}) {
  region(code: $code) { ${list}${LISTS[list].args} { totalCount pageInfo { hasNextPage endCursor } edges { cursor ${LISTS[list].fields} } } }
}`;

/**
 * Each list recounted from the records themselves, the organization subgraph's institutions and
 * organizations included (not the copies the activities subgraph keeps), written without the
 * services' SQL: periods enumerated one by one, activities looked up per period.
 */
const RECOUNT: Record<ListName, string> = {
  organizationalLifeGaps: `
    WITH rules AS (
      SELECT k.kind, k.ordinal,
             (SELECT CASE r.frequency WHEN 'MONTHLY' THEN 1 WHEN 'QUARTERLY' THEN 3 WHEN 'HALF_YEARLY' THEN 6 ELSE 12 END
                FROM activities.requirement r
               WHERE r.kind = k.kind AND r.region_code IN (left($1, 2) || '0000', '000000') AND r.from_year <= $2
               ORDER BY r.region_code = '000000', r.from_year DESC LIMIT 1) AS months
        FROM unnest($5::text[]) WITH ORDINALITY AS k(kind, ordinal)),
    branches AS (
      SELECT o.* FROM organization.party_organization o
       WHERE o.region_code LIKE $1 || '%' AND o.kind IN ('STANDALONE_BRANCH', 'JOINT_BRANCH', 'GENERAL_BRANCH')
         AND o.founded_on <= make_date($2, 12, 31) AND (o.dissolved_on IS NULL OR o.dissolved_on > make_date($2, 12, 31))
         AND ($4::uuid IS NULL OR o.id = $4)),
    periods AS (
      SELECT b.id, r.kind, r.ordinal, n AS number, s.starts, (s.starts + make_interval(months => r.months))::date - 1 AS ends
        FROM branches b CROSS JOIN rules r
       CROSS JOIN generate_series(1, 12 / r.months) AS n
       CROSS JOIN LATERAL (SELECT (make_date($2, 1, 1) + make_interval(months => (n - 1) * r.months))::date AS starts) s
       WHERE s.starts >= b.founded_on AND (s.starts + make_interval(months => r.months))::date - 1 <= $3::date),
    missed AS (
      SELECT p.* FROM periods p
       WHERE NOT EXISTS (SELECT 1 FROM activities.activity a
                          WHERE a.organizer_organization_id = p.id AND a.kind = p.kind AND a.status = 'HELD' AND a.held_on BETWEEN p.starts AND p.ends)),
    per_kind AS (
      SELECT id, kind, ordinal, array_agg(number ORDER BY number) AS missed, min(ends) AS first_ends FROM missed GROUP BY 1, 2, 3)
    SELECT id, min(first_ends)::text AS "firstMissedDueOn", sum(cardinality(missed))::int AS "periodsMissed",
           json_agg(json_build_object('kind', kind, 'missedPeriods', missed) ORDER BY ordinal) AS kinds
      FROM per_kind GROUP BY id
     ORDER BY min(first_ends), sum(cardinality(missed)) DESC, id`,
  institutionsWithoutVisit: `
    WITH operating AS (
      SELECT i.id, i.approved_on,
             (SELECT max(a.held_on) FROM activities.activity a
               WHERE a.kind = 'GUIDANCE_VISIT' AND a.status = 'HELD' AND a.institution_id = i.id AND a.held_on <= $3::date) AS last_visit
        FROM organization.institution i
       WHERE i.region_code LIKE $1 || '%' AND i.state = 'OPERATING' AND (i.approved_on IS NULL OR i.approved_on <= $3::date)
         AND ($4::uuid IS NULL OR i.party_organization_id = $4))
    SELECT id, last_visit::text AS "lastVisitedOn", (coalesce(last_visit, approved_on) + make_interval(months => $2))::date::text AS "visitDueOn"
      FROM operating
     WHERE last_visit IS NULL OR last_visit <= ($3::date - make_interval(months => $2))::date
     ORDER BY coalesce((coalesce(last_visit, approved_on) + make_interval(months => $2))::date, '1000-01-01'), id`,
  missingCheckpoints: `
    WITH owing AS (
      SELECT i.id, array_remove(ARRAY[
               CASE WHEN i.approved_on BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31)
                     AND NOT EXISTS (SELECT 1 FROM activities.checkpoint c WHERE c.institution_id = i.id AND c.stage = 'APPROVAL') THEN 'APPROVAL' END,
               CASE WHEN coalesce(i.approved_on, '-infinity') < make_date($2, 1, 1)
                     AND NOT EXISTS (SELECT 1 FROM activities.checkpoint c WHERE c.institution_id = i.id AND c.stage = 'ANNUAL_INSPECTION' AND c.year = $2)
                    THEN 'ANNUAL_INSPECTION' END,
               CASE WHEN coalesce(i.approved_on, '-infinity') < make_date($2, 1, 1)
                     AND NOT EXISTS (SELECT 1 FROM activities.checkpoint c WHERE c.institution_id = i.id AND c.stage = 'ANNUAL_ASSESSMENT' AND c.year = $2)
                    THEN 'ANNUAL_ASSESSMENT' END], NULL) AS stages
        FROM organization.institution i
       WHERE i.region_code LIKE $1 || '%' AND coalesce(i.approved_on, '-infinity') <= make_date($2, 12, 31)
         AND (i.state = 'OPERATING' OR i.closed_on > make_date($2, 12, 31))
         AND ($4::uuid IS NULL OR i.party_organization_id = $4) AND $3::text IS NOT NULL)
    SELECT id, stages AS "missingStages" FROM owing WHERE cardinality(stages) > 0 ORDER BY cardinality(stages) DESC, id`,
  probationsDue: `
    SELECT id, due::text AS "probationEndsOn", due < $3::date AS overdue
      FROM (SELECT m.id, coalesce(m.probation_extended_until, (m.joined_on + interval '1 year')::date) AS due
              FROM members.member m
             WHERE m.party_status = 'PROBATIONARY' AND m.region_code LIKE $1 || '%' AND ($4::uuid IS NULL OR m.organization_id = $4)) m
     WHERE due <= $3::date + $2::int
     ORDER BY due, id`,
  pendingTransfers: `
    SELECT t.id, t.expires_on::text AS "expiresOn", t.expires_on < $3::date AS expired
      FROM members.transfer t
     WHERE t.status = 'PENDING' AND (t.from_region_code LIKE $1 || '%' OR t.to_region_code LIKE $1 || '%')
       AND t.expires_on <= $3::date + $2::int
       AND ($4::uuid IS NULL OR $4 IN (t.from_organization_id, t.to_organization_id))
     ORDER BY t.expires_on, t.id`,
};

/** The list's own argument (year, months or days) as the recount takes it. */
const MEASURE: Record<ListName, string> = {
  organizationalLifeGaps: 'year',
  institutionsWithoutVisit: 'sinceMonths',
  missingCheckpoints: 'year',
  probationsDue: 'withinDays',
  pendingTransfers: 'withinDays',
};

describe('each station’s work list', () => {
  let stack: Stack;
  let db: Client;
  let province: string;
  let anshan: string;
  let tiedong: string;

  beforeAll(async () => {
    stack = await startStack();
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
    anshan = await stack.token({ tier: 'CITY', regionCode: '210300' });
    tiedong = await stack.token({ tier: 'COUNTY', regionCode: '210302' });
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  const defaults: Record<ListName, Row> = {
    organizationalLifeGaps: { year: YEAR, asOf: AS_OF },
    institutionsWithoutVisit: { sinceMonths: 6, asOf: AS_OF },
    missingCheckpoints: { year: YEAR },
    probationsDue: { withinDays: 90, asOf: AS_OF },
    pendingTransfers: { withinDays: 90, asOf: AS_OF },
  };

  /** Every item of a list, page by page through the cursors, with the totalCount of each page. */
  async function pageThrough(list: ListName, code: string, token: string, args: Row = defaults[list], first = 100) {
    const items: Row[] = [];
    const totals = new Set<number>();
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const { body }: { body: Row } = await stack.request(query(list), { code, first, after, ...args }, token);
      expect(body.errors).toBeUndefined();
      const connection: Row = body.data.region[list];
      totals.add(connection.totalCount);
      items.push(...connection.edges.map(LISTS[list].item));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(totals.size).toBe(1);
    return { items, totalCount: [...totals][0] };
  }

  async function recount(list: ListName, code: string, args: Row = defaults[list], organizationId: string | null = null): Promise<Row[]> {
    const prefix = code.replace(/(00){1,2}$/, '');
    const asOf = args.asOf ?? AS_OF;
    const parameters: unknown[] = [prefix, args[MEASURE[list]], asOf, organizationId];
    if (list === 'organizationalLifeGaps') parameters.push(ORGANIZATIONAL_LIFE_KINDS);
    const { rows } = await db.query(RECOUNT[list], parameters);
    return rows;
  }

  const cases: [string, string, () => string][] = [
    ['the province', '210000', () => province],
    ['a city, as the province sees it', '210300', () => province],
    ['a city, as itself', '210300', () => anshan],
    ['a county, as its city sees it', '210302', () => anshan],
    ['a county, as itself', '210302', () => tiedong],
  ];

  for (const list of Object.keys(LISTS) as ListName[]) {
    it.each(cases)(`${list} of %s lists exactly the records that belong there, in order`, async (_who, code, token) => {
      const expected = await recount(list, code);
      const { items, totalCount } = await pageThrough(list, code, token());
      expect(items).toEqual(expected);
      expect(totalCount).toBe(expected.length);
    });
  }

  it('every list of the province has items on the demo data, so none of these checks is empty', async () => {
    for (const list of Object.keys(LISTS) as ListName[]) expect((await recount(list, '210000')).length).toBeGreaterThan(0);
    // And the counties checked here have some of their own.
    expect((await recount('organizationalLifeGaps', '210302')).length).toBeGreaterThan(0);
    expect((await recount('institutionsWithoutVisit', '210302')).length).toBeGreaterThan(0);
  });

  it('reckons organizational life on the day asked: in midsummer only the periods ended by then are missed', async () => {
    const args = { year: YEAR, asOf: '2019-06-30' };
    const expected = await recount('organizationalLifeGaps', '210300', args);
    expect(expected.length).toBeGreaterThan(0);
    const { items } = await pageThrough('organizationalLifeGaps', '210300', anshan, args);
    expect(items).toEqual(expected);
    for (const item of items) expect(item.firstMissedDueOn <= '2019-06-30').toBe(true);
    const { body } = await stack.request(query('organizationalLifeGaps'), { code: '210300', first: 100, ...args }, anshan);
    for (const edge of body.data.region.organizationalLifeGaps.edges) {
      for (const kind of edge.kinds) expect(kind.required - kind.periodsMet).toBe(kind.missedPeriods.length);
    }
  });

  it('looks as many days and months ahead as asked', async () => {
    for (const withinDays of [0, 30, 365]) {
      const args = { withinDays, asOf: AS_OF };
      expect((await pageThrough('probationsDue', '210000', province, args)).items).toEqual(await recount('probationsDue', '210000', args));
      expect((await pageThrough('pendingTransfers', '210000', province, args)).items).toEqual(await recount('pendingTransfers', '210000', args));
    }
    const args = { sinceMonths: 1, asOf: '2019-03-15' };
    expect((await pageThrough('institutionsWithoutVisit', '210300', anshan, args)).items).toEqual(await recount('institutionsWithoutVisit', '210300', args));
  });

  it('pages through a list with small pages: every item once, as many as totalCount, in the same order as one big page', async () => {
    for (const list of Object.keys(LISTS) as ListName[]) {
      const whole = await pageThrough(list, '210300', anshan);
      const small = await pageThrough(list, '210300', anshan, defaults[list], 7);
      expect(small.items).toEqual(whole.items);
      expect(new Set(small.items.map((item) => item.id)).size).toBe(small.totalCount);
    }
  });

  it('a county sees nothing of another county, and a cursor of one list does not page another', async () => {
    for (const list of Object.keys(LISTS) as ListName[]) {
      const { body } = await stack.request(query(list), { code: '210303', first: 20, ...defaults[list] }, tiedong);
      expect(body.data.region).toBeNull();
      // The province's list holds the county's items and more, none of them from elsewhere.
      const own = await pageThrough(list, '210302', tiedong);
      expect(own.items).toEqual(await recount(list, '210302'));
    }
    const first = await stack.request(query('probationsDue'), { code: '210000', first: 1, ...defaults.probationsDue }, province);
    const { body } = await stack.request(
      query('pendingTransfers'),
      { code: '210000', first: 1, after: first.body.data.region.probationsDue.pageInfo.endCursor, ...defaults.pendingTransfers },
      province,
    );
    expectRefused(body, 'BAD_USER_INPUT', { field: 'after' });
  });

  it('a branch sees its own organization, the institutions it covers and its own members on its lists', async () => {
    const { rows } = await db.query(
      `SELECT o.id, o.region_code FROM organization.party_organization o
        WHERE o.kind = 'STANDALONE_BRANCH' AND o.dissolved_on IS NULL AND o.region_code LIKE '2103%'
          AND EXISTS (SELECT 1 FROM members.member m WHERE m.organization_id = o.id AND m.party_status = 'PROBATIONARY')
        ORDER BY o.id LIMIT 1`,
    );
    const branch = rows[0];
    const token = await stack.token({ tier: 'BRANCH', regionCode: branch.region_code, organizationId: branch.id, roles: ['viewer'] });
    const wide = { ...defaults, probationsDue: { withinDays: 3660, asOf: AS_OF }, pendingTransfers: { withinDays: 3660, asOf: AS_OF } };
    for (const list of Object.keys(LISTS) as ListName[]) {
      const { items } = await pageThrough(list, branch.region_code, token, wide[list]);
      expect(items).toEqual(await recount(list, branch.region_code, wide[list], branch.id));
    }
    expect((await recount('probationsDue', branch.region_code, wide.probationsDue, branch.id)).length).toBeGreaterThan(0);
  });

  it('refuses a count of months or days out of range, naming the argument', async () => {
    for (const [list, args, field] of [
      ['institutionsWithoutVisit', { sinceMonths: 0 }, 'sinceMonths'],
      ['probationsDue', { withinDays: -1 }, 'withinDays'],
      ['pendingTransfers', { withinDays: 100_000 }, 'withinDays'],
      ['missingCheckpoints', { year: 20190 }, 'year'],
    ] as const) {
      const { body } = await stack.request(query(list), { code: '210000', first: 20, ...args }, province);
      expectRefused(body, 'BAD_USER_INPUT', { field });
      expect(body.errors?.[0].message).not.toMatch(/SELECT|at .*\.ts/);
    }
  });

  it('a transfer confirmed by the receiving side leaves the list', async () => {
    const editor = await stack.token({ tier: 'PROVINCE', regionCode: '210000', roles: ['editor'] });
    const before = await pageThrough('pendingTransfers', '210000', province);
    const transfer = before.items[0];
    const { rows } = await db.query(`SELECT initiated_on::text AS on FROM members.transfer WHERE id = $1`, [transfer.id]);
    const confirmed = await stack.request(`mutation($id: ID!, $on: Date!) { confirmTransfer(id: $id, receivedOn: $on) { id status } }`, { id: transfer.id, on: rows[0].on }, editor);
    expect(confirmed.body.errors).toBeUndefined();
    const after = await pageThrough('pendingTransfers', '210000', province);
    expect(after.items.map((item) => item.id)).not.toContain(transfer.id);
    expect(after.totalCount).toBe(before.totalCount - 1);
    expect(after.items).toEqual(await recount('pendingTransfers', '210000'));
  });

  it('an institution with one of the year\'s two annual checkpoints recorded owes only the other', async () => {
    const editor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'] });
    const owingBoth = (await recount('missingCheckpoints', '210302')).filter((item) => item.missingStages.length === 2);
    expect(owingBoth.length).toBeGreaterThanOrEqual(2);
    const [inspected, assessed] = owingBoth;
    const record = (institutionId: string, stage: string) =>
      stack.request(`mutation($input: RecordCheckpointInput!) { recordCheckpoint(input: $input) { id } }`,
        { input: { institutionId, stage, checkedOn: `${YEAR}-11-20`, result: 'PASSED' } }, editor);
    expectNoErrors(await record(inspected.id, 'ANNUAL_INSPECTION'));
    expectNoErrors(await record(assessed.id, 'ANNUAL_ASSESSMENT'));
    const items = (await pageThrough('missingCheckpoints', '210302', tiedong)).items;
    expect(items.find((item) => item.id === inspected.id)).toEqual({ id: inspected.id, missingStages: ['ANNUAL_ASSESSMENT'] });
    expect(items.find((item) => item.id === assessed.id)).toEqual({ id: assessed.id, missingStages: ['ANNUAL_INSPECTION'] });
    // Those missing both stages still come first.
    expect(items).toEqual(await recount('missingCheckpoints', '210302'));
  });

  it('an institution registered or closed in the organization subgraph joins or leaves the lists of the activities subgraph', async () => {
    const editor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'] });
    const registered = await stack.request(
      `mutation($input: RegisterInstitutionInput!) { registerInstitution(input: $input) { id } }`,
      { input: { name: '工作台账新设律师事务所', kind: 'LAW_FIRM', licenseNumber: '31210302MH0099001X', regionCode: '210302', approvedOn: '2019-03-01' } },
      editor,
    );
    expect(registered.body.errors).toBeUndefined();
    const id: string = registered.body.data.registerInstitution.id;
    const listed = async () => (await pageThrough('institutionsWithoutVisit', '210302', tiedong)).items.map((item) => item.id);
    // The register reads the organization subgraph's stream every second, up to the oldest transaction still open anywhere.
    expect(await eventually(listed, (ids) => ids.includes(id), 30)).toContain(id);
    // Approved in 2019: it owes the approval checkpoint of 2019, and no annual one yet.
    const missing = (await pageThrough('missingCheckpoints', '210302', tiedong)).items.find((item) => item.id === id);
    expect(missing).toEqual({ id, missingStages: ['APPROVAL'] });
    expect((await pageThrough('missingCheckpoints', '210302', tiedong)).items).toEqual(await recount('missingCheckpoints', '210302'));

    // A record kept from before approval days were recorded, never visited, is the most overdue of all; its cursor pages on like any other.
    await db.query(`UPDATE organization.institution SET approved_on = NULL WHERE id = $1`, [id]);
    const onTop = await eventually(listed, (ids) => ids[0] === id, 30);
    expect(onTop[0]).toBe(id);
    const paged = await pageThrough('institutionsWithoutVisit', '210302', tiedong, defaults.institutionsWithoutVisit, 1);
    expect(paged.items[0]).toEqual({ id, lastVisitedOn: null, visitDueOn: null });
    expect(paged.items).toEqual(await recount('institutionsWithoutVisit', '210302'));

    const closed = await stack.request(`mutation($id: ID!) { updateInstitution(id: $id, input: { state: CLOSED }) { id } }`, { id }, editor);
    expect(closed.body.errors).toBeUndefined();
    expect(await eventually(listed, (ids) => !ids.includes(id), 30)).not.toContain(id);
    expect((await pageThrough('institutionsWithoutVisit', '210302', tiedong)).items).toEqual(await recount('institutionsWithoutVisit', '210302'));
  }, 90_000);

  it('masks the personal data of members on the list unless the caller is an editor of their tier', async () => {
    const ask = async (token: string) => {
      const { body } = await stack.request(query('probationsDue'), { code: '210300', first: 5, ...defaults.probationsDue }, token);
      expect(body.errors).toBeUndefined();
      return body.data.region.probationsDue.edges.map((edge: Row) => edge.node.idNumber as string);
    };
    const masked = await ask(anshan);
    expect(masked.length).toBeGreaterThan(0);
    for (const idNumber of masked) expect(idNumber).toMatch(/^\d{4}\*{14}$/);
    const full = await ask(await stack.token({ tier: 'CITY', regionCode: '210300', roles: ['editor'] }));
    for (const idNumber of full) expect(idNumber).toMatch(/^\d{17}[\dX]$/);
    expect(full.map((n: string) => n.slice(0, 4))).toEqual(masked.map((n: string) => n.slice(0, 4)));
  });

  it('the organization subgraph’s stream of institutions is for Sanji services alone, and not in the supergraph', async () => {
    const CHANGES = 'query ($first: Int) { institutionChanges(first: $first) { descriptions { id revision } cursor hasMore } }';
    const admin = await stack.token({ tier: 'PROVINCE', regionCode: '210000', roles: ['admin'] });
    const viaGateway = await stack.request(CHANGES, { first: 5 }, admin);
    expectRefused(viaGateway.body, 'GRAPHQL_VALIDATION_FAILED');
    const ask = async (token: string | null) => {
      const variables = { first: 5 };
      const proof = await createProofSigner(stack.config, 'activities')(CHANGES, variables, token ? { authorization: `Bearer ${token}` } : 'service');
      const headers: Record<string, string> = { 'content-type': 'application/json', [PROOF_HEADER]: proof };
      if (token) headers.authorization = `Bearer ${token}`;
      return (await (await fetch(stack.subgraphUrls.organization, { method: 'POST', headers, body: JSON.stringify({ query: CHANGES, variables }) })).json()) as Row;
    };
    expect((await ask(admin)).errors[0].extensions.code).toBe('FORBIDDEN');
    const served = await ask(null);
    expect(served.errors).toBeUndefined();
    expect(served.data.institutionChanges.descriptions).toHaveLength(5);
    expect(served.data.institutionChanges.hasMore).toBe(true);
  });
});
