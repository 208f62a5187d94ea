import type { Client } from 'pg';
import { expectNoErrors } from './helpers/expectations';
import { startStack, type Stack } from './helpers/stack';

const MEMBER_BRANCH = `query($id: ID!) { member(id: $id) { id partyOrganization { id } } }`;

/**
 * A county member whose formal branch lies in the member's county, and another county of the
 * same city: the members subgraph asks the organization subgraph, on the caller's behalf, whether
 * the caller sees that branch.
 */
async function memberAndBranch(db: Client): Promise<{ member: string; branch: string; county: string; otherCounty: string }> {
  const { rows } = await db.query(
    `SELECT m.id AS member, o.id AS branch, o.region_code AS county,
            (SELECT r.code FROM organization.region r
              WHERE r.parent_code = c.parent_code AND r.code <> c.code ORDER BY r.code LIMIT 1) AS "otherCounty"
       FROM members.member m
       JOIN organization.party_organization o ON o.id = m.organization_id AND o.region_code = m.region_code
       JOIN organization.region c ON c.code = o.region_code AND c.level = 'COUNTY'
      ORDER BY m.id LIMIT 1`,
  );
  return rows[0];
}

describe('whether a caller sees another subgraph’s record is kept until that subgraph announces a change of it', () => {
  let stack: Stack;
  let db: Client;
  let found: Awaited<ReturnType<typeof memberAndBranch>>;

  beforeAll(async () => {
    // The gateway keeps nothing: each request reaches the members subgraph, whose read cache is on.
    // The activities register's own reads of the organization subgraph would count among its requests.
    stack = await startStack({ responseCacheEntries: 0, fetchCacheEntries: 0, registerSyncMs: 0 });
    db = await stack.database();
    found = await memberAndBranch(db);
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  it('a county viewer’s second look at a member’s branch asks the organization subgraph nothing, and a move of the branch shows at once', async () => {
    const county = await stack.token({ tier: 'COUNTY', regionCode: found.county });
    const branchOf = async () => expectNoErrors(await stack.request(MEMBER_BRANCH, { id: found.member }, county)).member.partyOrganization;

    stack.forgetCachedReads();
    const before = stack.subgraphRequests().organization;
    expect(await branchOf()).toEqual({ id: found.branch });
    const afterFirst = stack.subgraphRequests().organization;
    // The members subgraph asked whether the county sees the branch.
    expect(afterFirst - before).toBeGreaterThan(0);
    expect(await branchOf()).toEqual({ id: found.branch });
    expect(stack.subgraphRequests().organization - afterFirst).toBe(0);

    // The branch moves to the next county: the organization subgraph announces it, and the county no longer sees it.
    await db.query(`UPDATE organization.party_organization SET region_code = $1 WHERE id = $2`, [found.otherCounty, found.branch]);
    try {
      expect(await branchOf()).toBeNull();
    } finally {
      await db.query(`UPDATE organization.party_organization SET region_code = $1 WHERE id = $2`, [found.county, found.branch]);
    }
    expect(await branchOf()).toEqual({ id: found.branch });
  });

  it('the activities and commendations subgraphs ask the members subgraph once whether the caller sees a member', async () => {
    const county = await stack.token({ tier: 'COUNTY', regionCode: found.county });
    const FIGURES = `query($id: ID!) { member(id: $id) { id trainingHours(year: 2019) commendations { id } } }`;
    stack.forgetCachedReads();
    const asked: number[] = [];
    for (let look = 0; look < 2; look++) {
      const before = stack.subgraphRequests().members;
      expect(expectNoErrors(await stack.request(FIGURES, { id: found.member }, county)).member.id).toBe(found.member);
      asked.push(stack.subgraphRequests().members - before);
    }
    // The gateway's fetch of the member, and the two subgraphs' lookups; then the fetch alone.
    expect(asked).toEqual([3, 1]);
  });

  it('another change in the organization subgraph, of another record, keeps it', async () => {
    const county = await stack.token({ tier: 'COUNTY', regionCode: found.county });
    await stack.request(MEMBER_BRANCH, { id: found.member }, county);
    const before = stack.subgraphRequests().organization;
    // An institution of the same county renamed: the organization subgraph's change names other records.
    await db.query(
      `UPDATE organization.institution SET name = name || '（更名）' WHERE id = (SELECT id FROM organization.institution WHERE region_code = $1 ORDER BY id LIMIT 1)`,
      [found.county],
    );
    try {
      expect(expectNoErrors(await stack.request(MEMBER_BRANCH, { id: found.member }, county)).member.partyOrganization).toEqual({ id: found.branch });
      expect(stack.subgraphRequests().organization).toBe(before);
    } finally {
      await db.query(
        `UPDATE organization.institution SET name = replace(name, '（更名）', '') WHERE id = (SELECT id FROM organization.institution WHERE region_code = $1 ORDER BY id LIMIT 1)`,
        [found.county],
      );
    }
  });
});

describe('the gateway’s whole answer that holds such a lookup is forgotten by the change of the record looked up', () => {
  let stack: Stack;
  let db: Client;
  let found: Awaited<ReturnType<typeof memberAndBranch>>;

  beforeAll(async () => {
    stack = await startStack({ registerSyncMs: 0 });
    db = await stack.database();
    found = await memberAndBranch(db);
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  it('a county viewer’s kept answer stops showing a branch moved out of the county', async () => {
    const county = await stack.token({ tier: 'COUNTY', regionCode: found.county });
    const branchOf = async () => expectNoErrors(await stack.request(MEMBER_BRANCH, { id: found.member }, county)).member.partyOrganization;
    expect(await branchOf()).toEqual({ id: found.branch });
    const requests = stack.subgraphRequests().members;
    expect(await branchOf()).toEqual({ id: found.branch });
    // Served whole by the gateway.
    expect(stack.subgraphRequests().members).toBe(requests);

    await db.query(`UPDATE organization.party_organization SET region_code = $1 WHERE id = $2`, [found.otherCounty, found.branch]);
    try {
      expect(await branchOf()).toBeNull();
    } finally {
      await db.query(`UPDATE organization.party_organization SET region_code = $1 WHERE id = $2`, [found.county, found.branch]);
    }
  });
});

describe('with the read cache off, the members subgraph asks on every request', () => {
  let stack: Stack;
  let db: Client;
  let found: Awaited<ReturnType<typeof memberAndBranch>>;

  beforeAll(async () => {
    stack = await startStack({ responseCacheEntries: 0, fetchCacheEntries: 0, readCacheEntries: 0, registerSyncMs: 0 });
    db = await stack.database();
    found = await memberAndBranch(db);
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  it('a county viewer’s every look at a member’s branch asks the organization subgraph', async () => {
    const county = await stack.token({ tier: 'COUNTY', regionCode: found.county });
    const asked: number[] = [];
    for (let look = 0; look < 2; look++) {
      const before = stack.subgraphRequests().organization;
      expect(expectNoErrors(await stack.request(MEMBER_BRANCH, { id: found.member }, county)).member.partyOrganization).toEqual({ id: found.branch });
      asked.push(stack.subgraphRequests().organization - before);
    }
    expect(asked[0]).toBeGreaterThan(0);
    expect(asked[1]).toBeGreaterThan(0);
  });

  it('and the activities and commendations subgraphs ask the members subgraph every time', async () => {
    const county = await stack.token({ tier: 'COUNTY', regionCode: found.county });
    const FIGURES = `query($id: ID!) { member(id: $id) { id trainingHours(year: 2019) commendations { id } } }`;
    const asked: number[] = [];
    for (let look = 0; look < 2; look++) {
      const before = stack.subgraphRequests().members;
      expect(expectNoErrors(await stack.request(FIGURES, { id: found.member }, county)).member.id).toBe(found.member);
      asked.push(stack.subgraphRequests().members - before);
    }
    expect(asked).toEqual([3, 3]);
  });
});
