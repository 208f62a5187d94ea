import { Client } from 'pg';
import { subgraphDatabaseUrl } from '../shared/src/database';
import { regionPrefix } from '../shared/src/regions';
import { CATEGORIES, LEVELS } from '../subgraphs/commendations/src/entities';
import { startStack, type Stack } from './helpers/stack';
import { expectNoErrors } from './helpers/expectations';

const RECOUNT = `
  SELECT region_code, year, status, category, level, count(*)::int AS commendations
    FROM commendations.commendation GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`;
const COUNTERS = `
  SELECT region_code, year, status, category, level, commendations
    FROM commendations.commendation_region_stats WHERE commendations <> 0 ORDER BY 1, 2, 3, 4, 5`;

const OPEN = `mutation($input: CreateCommendationProgramInput!) { createCommendationProgram(input: $input) { id } }`;
const NOMINATE = `mutation($input: NominateForCommendationInput!) { nominateForCommendation(input: $input) { id status } }`;
const APPROVE = `mutation($id: ID!, $on: Date!) { approveCommendation(id: $id, decidedOn: $on) { status } }`;
const REJECT = `mutation($id: ID!, $on: Date!, $reason: String!) { rejectCommendation(id: $id, decidedOn: $on, reason: $reason) { status } }`;
const REVOKE = `mutation($id: ID!, $on: Date!, $reason: String!) { revokeCommendation(id: $id, revokedOn: $on, reason: $reason) { status } }`;
const STATS = `query($code: ID!, $year: Int!) { region(code: $code) { commendationStats(year: $year) { approved nominated rejected revoked byCategory { category count } byLevel { level count } } } }`;

interface Counted {
  status: string;
  category: string;
  level: string;
  commendations: number;
}

/** `Region.commendationStats` as the schema defines it, worked out from counted rows. */
function statsOf(rows: Counted[]) {
  const total = (keep: (row: Counted) => boolean) => rows.filter(keep).reduce((sum, row) => sum + row.commendations, 0);
  const approved = (row: Counted) => row.status === 'APPROVED';
  return {
    approved: total(approved),
    nominated: total((row) => row.status === 'NOMINATED'),
    rejected: total((row) => row.status === 'REJECTED'),
    revoked: total((row) => row.status === 'REVOKED'),
    byCategory: CATEGORIES.map((category) => ({ category, count: total((row) => approved(row) && row.category === category) })).filter((c) => c.count > 0),
    byLevel: LEVELS.map((level) => ({ level, count: total((row) => approved(row) && row.level === level) })).filter((l) => l.count > 0),
  };
}

describe('region commendation statistics kept as counters', () => {
  let stack: Stack;
  let db: Client;
  let province: string;

  /** The statistics of a region's subtree and a year, recounted from the commendations themselves. */
  const recount = async (code: string, year: number, organizationId: string | null = null) => {
    const { rows } = await db.query(
      `SELECT status, category, level, count(*)::int AS commendations FROM commendations.commendation
        WHERE region_code LIKE $1 || '%' AND year = $2 AND ($3::uuid IS NULL OR organization_id = $3) GROUP BY 1, 2, 3`,
      [regionPrefix(code), year, organizationId],
    );
    return statsOf(rows);
  };

  const served = async (code: string, year: number, token = province) => {
    const { body } = await stack.request(STATS, { code, year }, token);
    expectNoErrors(body);
    return body.data.region.commendationStats;
  };

  beforeAll(async () => {
    stack = await startStack();
    db = await stack.database();
    province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
  });
  afterAll(() => stack?.stop());

  it('the commendation counters equal a full recount of the demo dataset', async () => {
    const counters = (await db.query(COUNTERS)).rows;
    expect(counters.length).toBeGreaterThan(0);
    expect(counters).toEqual((await db.query(RECOUNT)).rows);
  });

  it('the counters still equal a full recount after nominations, decisions, a revocation and corrections made in the database', async () => {
    const [anshanAdmin, anshanEditor, tiedongEditor] = await Promise.all([
      stack.token({ tier: 'CITY', regionCode: '210300', roles: ['admin'] }),
      stack.token({ tier: 'CITY', regionCode: '210300', roles: ['editor'] }),
      stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'] }),
    ]);
    const opened = await stack.request(OPEN, {
      input: {
        name: '2019年鞍山市律师行业评先（计数）', regionCode: '210300', year: 2019, opensOn: '2019-01-01', closesOn: '2019-12-31',
        categories: [{ category: 'EXCELLENT_PARTY_MEMBER_LAWYER', quota: 5 }],
      },
    }, anshanAdmin);
    expectNoErrors(opened);
    const programId = expectNoErrors(opened).createCommendationProgram.id;
    const lawyers = await db.query(
      `SELECT id FROM members.member
        WHERE region_code = '210302' AND practice_kind = 'LAWYER' AND party_status = 'FULL' AND full_on < '2019-01-01' AND organization_id IS NOT NULL
        ORDER BY id LIMIT 4`,
    );
    expect(lawyers.rows).toHaveLength(4);
    const ids: string[] = [];
    for (const { id: recipientId } of lawyers.rows) {
      const { body } = await stack.request(NOMINATE, {
        input: { programId, category: 'EXCELLENT_PARTY_MEMBER_LAWYER', recipientId, citation: '办理法律援助案件20件。', nominatedOn: '2019-05-01' },
      }, tiedongEditor);
      expectNoErrors(body);
      ids.push(body.data.nominateForCommendation.id);
    }
    const [kept, revoked, rejected, corrected] = ids;
    const decisions = [
      await stack.request(APPROVE, { id: kept, on: '2019-06-28' }, anshanEditor),
      await stack.request(APPROVE, { id: revoked, on: '2019-06-28' }, anshanEditor),
      await stack.request(REVOKE, { id: revoked, on: '2019-09-02', reason: '受到行业处分' }, anshanEditor),
      await stack.request(REJECT, { id: rejected, on: '2019-06-28', reason: '事迹不够突出' }, anshanEditor),
    ];
    for (const { body } of decisions) expectNoErrors(body);
    expect(await served('210302', 2019)).toEqual(await recount('210302', 2019));

    // Corrections made straight in the database are counted too, also under the subgraph's own
    // role, which may write rows but owns neither the counters' function nor the trigger.
    const subgraph = new Client({ connectionString: subgraphDatabaseUrl(stack.config, 'commendations') });
    await subgraph.connect();
    try {
      await subgraph.query(
        `UPDATE commendations.commendation SET status = 'REJECTED', decided_on = '2019-07-01', decision_reason = '材料不实' WHERE id = $1`,
        [corrected],
      );
    } finally {
      await subgraph.end();
    }
    await db.query(`DELETE FROM commendations.commendation WHERE id = $1`, [rejected]);
    const moved = await db.query(
      `UPDATE commendations.commendation SET region_code = '210303'
        WHERE id = (SELECT id FROM commendations.commendation WHERE region_code LIKE '2103%' AND region_code <> '210303' AND year = 2016 AND status = 'APPROVED' ORDER BY id LIMIT 1)`,
    );
    expect(moved.rowCount).toBe(1);
    const removed = await db.query(
      `DELETE FROM commendations.commendation WHERE id = (SELECT id FROM commendations.commendation WHERE status = 'REJECTED' AND year = 2016 ORDER BY id LIMIT 1)`,
    );
    expect(removed.rowCount).toBe(1);
    expect((await db.query(COUNTERS)).rows).toEqual((await db.query(RECOUNT)).rows);
  });

  it('a region’s commendation statistics through the gateway match a recount, for the county, its city and the province', async () => {
    for (const year of [2016, 2019]) {
      for (const code of ['210302', '210303', '210300', '210000']) {
        expect(await served(code, year)).toEqual(await recount(code, year));
      }
    }
    const anshan = await stack.token({ tier: 'CITY', regionCode: '210300' });
    expect(await served('210300', 2016, anshan)).toEqual(await recount('210300', 2016));
  });

  it('a branch’s commendation statistics still count its own organization’s commendations only', async () => {
    const { rows } = await db.query(
      `SELECT c.organization_id, c.region_code FROM commendations.commendation c
        WHERE c.status = 'APPROVED' AND c.year = 2016 AND c.organization_id IS NOT NULL
          AND EXISTS (SELECT 1 FROM commendations.commendation o
                       WHERE o.region_code = c.region_code AND o.year = 2016 AND o.organization_id IS DISTINCT FROM c.organization_id)
        ORDER BY c.organization_id LIMIT 1`,
    );
    const { organization_id: organizationId, region_code: county } = rows[0];
    const branch = await stack.token({ tier: 'BRANCH', regionCode: county, organizationId });
    const own = await served(county, 2016, branch);
    expect(own.approved).toBeGreaterThan(0);
    expect(own).toEqual(await recount(county, 2016, organizationId));
    expect(own).not.toEqual(await recount(county, 2016));
  });
});
