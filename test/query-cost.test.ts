import { contractOperation, startStack, type Stack } from './helpers/stack';
import { expectNoErrors } from './helpers/expectations';

/**
 * Doubles the data without changing its shape: every institution gets an uncovered copy, every
 * person a copy practising in the copy of their institution and keeping their formal branch (so
 * branches' member lists double), and every activity a copy.
 */
const GROW = [
  `INSERT INTO organization.institution (id, name, kind, license_number, region_code, state, approved_on)
   SELECT md5(id::text || 'grow')::uuid, name || '·二', kind, upper(substr(md5(id::text || 'grow'), 1, 18)), region_code, state, approved_on
     FROM organization.institution`,
  `INSERT INTO members.member (name, gender, ethnicity, birth_date, id_number, education, phone, practice_kind, license_number, institution_id,
                              region_code, party_status, applied_on, activist_on, candidate_on, joined_on, full_on, organization_id)
   SELECT name, gender, ethnicity, birth_date, 'G' || substr(md5(id::text), 1, 17), education, phone, practice_kind,
          CASE WHEN license_number IS NULL THEN NULL ELSE 'G' || substr(md5(id::text || 'licence'), 1, 16) END,
          CASE WHEN institution_id IS NULL THEN NULL ELSE md5(institution_id::text || 'grow')::uuid END,
          region_code, party_status, applied_on, activist_on, candidate_on, joined_on, full_on, organization_id FROM members.member`,
  `INSERT INTO activities.activity (kind, title, held_on, ends_on, duration_hours, class_hours, location, organizer_organization_id, organizer_station_id,
                                   region_code, institution_id, officer_member_id, minutes, headcount, status, cancelled_on, cancellation_reason)
   SELECT kind, title, held_on, ends_on, duration_hours, class_hours, location, organizer_organization_id, organizer_station_id,
          region_code, institution_id, officer_member_id, minutes, headcount, status, cancelled_on, cancellation_reason FROM activities.activity`,
  // The activities register of institutions learns of the copies, as its stream of changes would tell it.
  `INSERT INTO activities.registered_institution (institution_id, region_code, kind, state, approved_on, revision)
   SELECT md5(institution_id::text || 'grow')::uuid, region_code, kind, state, approved_on, 1 FROM activities.registered_institution`,
  'ANALYZE',
];

describe('what a request costs does not grow with the data', () => {
  let stack: Stack;
  let token: string;
  let operations: [string, Record<string, unknown>][];

  beforeAll(async () => {
    // The activities register's own reads of the organization subgraph would count as statements and
    // fetches. With the read cache off, every request is a cold one, and its batches never wait on
    // the cache's freshness check, whose timing could split one batch into two.
    stack = await startStack({ registerSyncMs: 0, readCacheEntries: 0 });
    token = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
    const { body } = await stack.request(
      `{ institutions(filter: { nameContains: "辽宁弘扬律师事务所" }, first: 1) { edges { node { partyOrganization { id } } } } }`,
      {},
      token,
    );
    const branch = body.data.institutions.edges[0].node.partyOrganization.id;
    const members = await stack.request(`query($id: ID) { members(filter: { organizationId: $id }, first: 1) { edges { node { id } } } }`, { id: branch }, token);
    operations = [
      ['Viewer', {}],
      ['ProvinceDashboard', { code: '210000', year: 2019, awardYear: 2016 }],
      ['InstitutionLedger', { code: '210300', kind: 'LAW_FIRM', first: 20 }],
      ['CampaignLedger', { code: '210000' }],
      ['BranchProfile', { id: branch, year: 2019 }],
      ['MemberProfile', { id: members.body.data.members.edges[0].node.id, year: 2019 }],
      ['CoverageTrend', { code: '210000', kind: 'LAW_FIRM', fromYear: 2014, toYear: 2019 }],
      ['StationWorkList', { code: '210000', year: 2019, withinDays: 90 }],
    ];
  });
  afterAll(() => stack?.stop());

  /** SQL statements and subgraph fetches of each operation, per subgraph. */
  async function costs() {
    const result: Record<string, { sql: Record<string, number>; fetches: Record<string, number> }> = {};
    for (const [name, variables] of operations) {
      const sql = stack.sqlStatements();
      const fetches = stack.subgraphRequests();
      // What a request costs when nothing it needs has been read before.
      stack.forgetCachedReads();
      const { body } = await stack.request(contractOperation(name), variables, token);
      expectNoErrors(body);
      const diff = (after: Record<string, number>, before: Record<string, number>) =>
        Object.fromEntries(Object.keys(after).map((key) => [key, after[key] - before[key]]));
      result[name] = { sql: diff(stack.sqlStatements(), sql), fetches: diff(stack.subgraphRequests(), fetches) };
    }
    return result;
  }

  it("reads the province's uncached dashboard in four statements, one in each subgraph, with one request to each", async () => {
    const { ProvinceDashboard } = await costs();
    // Organization: the region and its children with their stations and coverage. Members,
    // activities and commendations: their figures for the region and its children together. The
    // members subgraph reads the children's station heads (with their roles, whose region tells it
    // whether the caller sees each station) in the same statement as its counters.
    expect(ProvinceDashboard.sql).toEqual({ organization: 1, members: 1, activities: 1, commendations: 1 });
    expect(ProvinceDashboard.fetches).toEqual({ organization: 1, members: 1, activities: 1, commendations: 1 });
  });

  it('reads a region page that shows coverage of several sectors, named, by variable and in fragments, in one organization statement', async () => {
    const page = `query($kind: InstitutionKind) {
      region(code: "210000") {
        coverage(kind: LAW_FIRM) { institutions }
        byVariable: coverage(kind: $kind) { institutions }
        children { code ...notary ... on Region { all: coverage { institutions } } }
      }
    }
    fragment notary on Region { notary: coverage(kind: NOTARY_OFFICE) { institutions } }`;
    const before = stack.sqlStatements();
    stack.forgetCachedReads();
    const { body } = await stack.request(page, { kind: 'JUDICIAL_APPRAISAL' }, token);
    expect(body.data.region.children.length).toBe(14);
    expect(stack.sqlStatements().organization - before.organization).toBe(1);
  });

  it('sends the same SQL statements and subgraph fetches for every contract operation on twice the data', async () => {
    const small = await costs();
    const db = await stack.database();
    for (const statement of GROW) await db.query(statement);
    const { rows } = await db.query('SELECT (SELECT count(*) FROM organization.institution)::int AS institutions, (SELECT count(*) FROM members.member)::int AS people');
    expect(rows[0].institutions).toBeGreaterThan(3_500);
    expect(rows[0].people).toBeGreaterThan(36_000);
    const large = await costs();
    expect(large).toEqual(small);
    // And the dashboard, across all four subgraphs, stays a handful of statements.
    expect(Object.values(small.ProvinceDashboard.sql).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(20);
    // Doubling the data (its triggers included) is most of the time this takes.
  }, 180_000);
});
