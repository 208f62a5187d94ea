import type { Client } from 'pg';
import { listenForAnnouncements, type Announcements } from './helpers/announcements';
import { expectNoErrors } from './helpers/expectations';
import { startStack, type Stack } from './helpers/stack';

const PAGE = `query($code: ID!) { members(filter: { regionCode: $code }, first: 5) { edges { node { id name phone } } } }`;
const WORK_LIST = `query($code: ID!) { region(code: $code) { probationsDue(withinDays: 3650, first: 5) { totalCount edges { node { id phone } } } } }`;
const COUNTS = `query($code: ID!) { region(code: $code) { memberStats { practitioners partyMembers } } }`;

/** A county with more members than a page holds. */
async function countyWithMembers(db: Client): Promise<string> {
  const { rows } = await db.query(
    `SELECT m.region_code AS county FROM members.member m JOIN organization.region r ON r.code = m.region_code AND r.level = 'COUNTY'
      WHERE m.party_status = 'PROBATIONARY' GROUP BY m.region_code HAVING count(*) > 6 ORDER BY m.region_code LIMIT 1`,
  );
  return rows[0].county as string;
}

/** A different number each time, so that even a masked one shows the change. */
let numbers = 0;
const newPhone = () => `1390000${String(1000 + (numbers++ % 9000)).padStart(4, '0')}`;

describe('a change of columns only shown is announced as such, naming the rows by their own ids', () => {
  let stack: Stack;
  let announcements: Announcements;
  let db: Client;

  beforeAll(async () => {
    stack = await startStack({ registerSyncMs: 0 });
    announcements = await listenForAnnouncements(stack, 'members');
    db = announcements.db;
  });
  afterAll(async () => {
    await announcements?.end();
    await stack?.stop();
  });

  const announced = (statement: string, values: unknown[]) => announcements.announced(statement, values, 'member');

  it('a new phone number: the member alone, in its region', async () => {
    const { rows } = await db.query(`SELECT id, organization_id, region_code FROM members.member WHERE organization_id IS NOT NULL LIMIT 1`);
    const [change] = await announced(`UPDATE members.member SET phone = $1 WHERE id = $2`, [newPhone(), rows[0].id]);
    expect(change).toEqual({ r: [rows[0].region_code], i: [rows[0].id, '@member'], s: true });
  });

  it('a new name, by which lists are ordered: every row it names, as any change', async () => {
    const { rows } = await db.query(`SELECT id, organization_id, region_code FROM members.member WHERE organization_id IS NOT NULL LIMIT 1`);
    try {
      const [change] = await announced(`UPDATE members.member SET name = name || '·' WHERE id = $1`, [rows[0].id]);
      expect(change.s).toBeUndefined();
      expect(change.r).toEqual([rows[0].region_code]);
      expect(change.i).toEqual(expect.arrayContaining([rows[0].id, rows[0].organization_id]));
    } finally {
      await db.query(`UPDATE members.member SET name = rtrim(name, '·') WHERE id = $1`, [rows[0].id]);
    }
  });

  it('a statement that changes a phone of one member and the name of another, as any change', async () => {
    const { rows } = await db.query(`SELECT id FROM members.member LIMIT 2`);
    try {
      const [change] = await announced(
        `UPDATE members.member SET phone = CASE WHEN id = $2 THEN $1 ELSE phone END, name = CASE WHEN id = $3 THEN name || '·' ELSE name END WHERE id IN ($2, $3)`,
        [newPhone(), rows[0].id, rows[1].id],
      );
      expect(change.s).toBeUndefined();
    } finally {
      await db.query(`UPDATE members.member SET name = rtrim(name, '·') WHERE id = $1`, [rows[1].id]);
    }
  });
});

/** Where a county's answers are kept: whole at the gateway, or (with its response cache off) as the subgraphs' answers to its fetches. */
describe.each([
  { layer: 'the gateway’s whole answers', options: {} },
  { layer: 'the gateway’s fetches', options: { responseCacheEntries: 0 } },
])('a member’s new phone forgets the answers that show that member, and keeps the county’s others: $layer', ({ options }) => {
  let stack: Stack;
  let db: Client;
  let county: string;
  let editor: string;

  beforeAll(async () => {
    stack = await startStack({ registerSyncMs: 0, ...options });
    db = await stack.database();
    county = await countyWithMembers(db);
    editor = await stack.token({ tier: 'COUNTY', regionCode: county, roles: ['editor'] });
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  const ask = async (query: string) => expectNoErrors(await stack.request(query, { code: county }, editor));
  /** A member of the county on none of the lists asked. */
  const memberOnNone = async (shown: string[]) =>
    (await db.query(`SELECT id FROM members.member WHERE region_code = $1 AND id <> ALL($2::uuid[]) ORDER BY id LIMIT 1`, [county, shown])).rows[0].id as string;

  it('a county editor’s page of members, work list and counts are kept when a member on none of them changes phone; the page and the list show the new number of one on them', async () => {
    const page = await ask(PAGE);
    const list = await ask(WORK_LIST);
    const counts = await ask(COUNTS);
    const pageIds = page.members.edges.map((edge: { node: { id: string } }) => edge.node.id);
    const listIds = list.region.probationsDue.edges.map((edge: { node: { id: string } }) => edge.node.id);
    const elsewhere = await memberOnNone([...pageIds, ...listIds]);

    await db.query(`UPDATE members.member SET phone = $1 WHERE id = $2`, [newPhone(), elsewhere]);
    const requests = stack.subgraphRequests().members;
    expect(await ask(PAGE)).toEqual(page);
    expect(await ask(WORK_LIST)).toEqual(list);
    expect(await ask(COUNTS)).toEqual(counts);
    // Kept: the members subgraph was not asked again.
    expect(stack.subgraphRequests().members).toBe(requests);

    const phone = newPhone();
    await db.query(`UPDATE members.member SET phone = $1 WHERE id = $2`, [phone, pageIds[0]]);
    const after = await ask(PAGE);
    expect(after.members.edges[0].node).toEqual({ ...page.members.edges[0].node, phone });
    expect(after.members.edges.slice(1)).toEqual(page.members.edges.slice(1));

    const listed = newPhone();
    await db.query(`UPDATE members.member SET phone = $1 WHERE id = $2`, [listed, listIds[0]]);
    const listAfter = await ask(WORK_LIST);
    expect(listAfter.region.probationsDue.edges[0].node).toEqual({ id: listIds[0], phone: listed });
    expect(await ask(COUNTS)).toEqual(counts);
  });
});
