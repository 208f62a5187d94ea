import { idNumberCheckCharacter } from '../shared/src/id-number';
import { fetchCacheOf, responseCacheOf, startStack, type Stack } from './helpers/stack';
import { askedRecords, askName, callerTokens, contractAsks, sendAsk, tierCallers, type Ask, type Caller } from './helpers/tier-asks';

/**
 * The caches forget by region and record, never wholesale: after each write in 铁东区 (through
 * the API, to each subgraph, or at psql), every contract operation asked by every kind of caller
 * through a warm stack must read exactly as the same database read with no cache at all; and
 * what the write did not touch is still answered from what was kept.
 */

interface Write {
  name: string;
  /** Makes the write; throws when it was refused. */
  run: () => Promise<void>;
}

describe('every answer after a write in one county, with every cache warm', () => {
  let warm: Stack;
  let uncached: Stack;
  let asks: Ask[] = [];
  let tokens = new Map<Caller, string>();
  const writes: Write[] = [];
  let institutionFound = false;

  beforeAll(async () => {
    // The activities subgraph's register follows the organization's changes only as activities are
    // recorded: a copy made in the background would change answers between the two stacks' reads.
    warm = await startStack({ registerSyncMs: 0 });
    // The same database, served by subgraphs and a gateway that keep nothing.
    uncached = await startStack({ registerSyncMs: 0, readCacheEntries: 0, responseCacheEntries: 0, fetchCacheEntries: 0 }, warm);
    const records = await askedRecords(warm);
    const callers = tierCallers(records);
    tokens = await callerTokens(warm, callers);
    asks = contractAsks(callers, records);

    const editor = await warm.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'], subject: 'tiedong-editor' });
    const admin = await warm.token({ tier: 'COUNTY', regionCode: '210302', roles: ['admin'], subject: 'tiedong-admin' });
    const branchEditor = await warm.token({ tier: 'BRANCH', regionCode: '210302', organizationId: records.tiedongBranch, roles: ['editor'], subject: 'tiedong-secretary' });
    const db = await warm.database();
    const institution = (await db.query(`SELECT id FROM organization.institution WHERE party_organization_id = $1 ORDER BY id LIMIT 1`, [records.tiedongBranch])).rows[0]?.id as string | undefined;
    institutionFound = institution !== undefined;
    // An activity cannot precede its organizer's founding.
    const activityDate = (
      await db.query(`SELECT to_char(greatest(founded_on + 1, date '2019-06-01'), 'YYYY-MM-DD') AS day FROM organization.party_organization WHERE id = $1`, [records.tiedongBranch])
    ).rows[0].day as string;
    const send = async (query: string, variables: Record<string, unknown>, token: string) => {
      const { body } = await warm.request(query, variables, token);
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const [, , tiedongMember] = records.members;
    let activityId = '';

    writes.push(
      {
        name: 'an institution registered (organization)',
        run: async () =>
          void (await send(
            `mutation($input: RegisterInstitutionInput!) { registerInstitution(input: $input) { id } }`,
            { input: { name: '铁东缓存律师事务所', kind: 'LAW_FIRM', licenseNumber: '31210302MD9900003X', regionCode: '210302', approvedOn: '2019-03-01' } },
            editor,
          )),
      },
      {
        name: 'the branch’s institution renamed (organization, by record)',
        run: async () => void (await send(`mutation($id: ID!) { updateInstitution(id: $id, input: { name: "铁东改名律师事务所" }) { id } }`, { id: institution }, editor)),
      },
      {
        name: 'a member registered (members)',
        run: async () =>
          void (await send(
            `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`,
            {
              input: {
                name: '缓存新人',
                gender: 'FEMALE',
                ethnicity: '汉族',
                birthDate: '1991-05-06',
                idNumber: '21030219910506702' + idNumberCheckCharacter('21030219910506702'),
                institutionId: institution,
                licenseNumber: '12103201900000991',
              },
            },
            editor,
          )),
      },
      {
        name: 'a member’s name and phone changed (members, by record)',
        run: async () => void (await send(`mutation($id: ID!) { updateMember(id: $id, input: { name: "缓存改名", phone: "13700000001" }) { id } }`, { id: tiedongMember }, editor)),
      },
      {
        name: 'an activity recorded by the branch (activities)',
        run: async () => {
          const data = await send(
            `mutation($input: RecordActivityInput!) { recordActivity(input: $input) { id } }`,
            { input: { organizerOrganizationId: records.tiedongBranch, kind: 'THEME_PARTY_DAY', title: '缓存主题党日', date: activityDate } },
            branchEditor,
          );
          activityId = data.recordActivity.id;
        },
      },
      {
        name: 'the activity cancelled (activities, by record)',
        run: async () => void (await send(`mutation($id: ID!) { cancelActivity(id: $id, reason: "改期") { id } }`, { id: activityId }, branchEditor)),
      },
      {
        name: 'a commendation program opened (commendations)',
        run: async () =>
          void (await send(
            `mutation($input: CreateCommendationProgramInput!) { createCommendationProgram(input: $input) { id } }`,
            { input: { name: '铁东区缓存评先', regionCode: '210302', year: 2016, opensOn: '2016-01-01', closesOn: '2016-12-31', categories: [{ category: 'ADVANCED_BRANCH', quota: 1 }] } },
            admin,
          )),
      },
      {
        name: 'a 铁东 member moved to 铁西区 at psql (members, across counties)',
        run: async () => void (await db.query(`UPDATE members.member SET region_code = '210303' WHERE id = $1`, [tiedongMember])),
      },
      {
        name: 'a 铁西 institution renamed at psql (organization, the next county)',
        run: async () =>
          void (await db.query(`UPDATE organization.institution SET name = name || '（更名）' WHERE id = (SELECT id FROM organization.institution WHERE region_code = '210303' ORDER BY id LIMIT 1)`)),
      },
    );
    // Every answer is in the caches before the first write.
    for (const one of asks) await sendAsk(warm, tokens, one);
  }, 180_000);
  afterAll(async () => {
    await uncached?.stop();
    await warm?.stop();
  });

  it('has an institution of the branch to write to, and asks every tier', () => {
    expect(writes).toHaveLength(9);
    expect(institutionFound).toBe(true);
    expect(new Set(asks.map((one) => one.caller.claims.tier))).toEqual(new Set(['PROVINCE', 'CITY', 'COUNTY', 'BRANCH']));
  });

  it('after each write, answers every caller as a stack with no cache does, and still answers what the write did not touch from the gateway’s cache', async () => {
    const fetchHitsBefore = (await fetchCacheOf(warm)).hits;
    for (const write of writes) {
      await write.run();
      const hitsBefore = (await responseCacheOf(warm)).hits;
      for (const one of asks) {
        const [expected, answered] = await Promise.all([sendAsk(uncached, tokens, one), sendAsk(warm, tokens, one)]);
        expect({ write: write.name, ask: askName(one), ...answered }).toEqual({ write: write.name, ask: askName(one), ...expected });
      }
      // 沈阳市和平区 lies in another city: its answers, at least, were kept through a write in 铁东区.
      expect({ write: write.name, keptAnswers: ((await responseCacheOf(warm)).hits) - hitsBefore > 0 }).toEqual({ write: write.name, keptAnswers: true });
    }
    // The answers a write made the gateway forget were planned again, and some of their fetches answered from what the gateway kept.
    expect((await fetchCacheOf(warm)).hits).toBeGreaterThan(fetchHitsBefore);
    // Nine writes, each followed by some 200 asks of two stacks: minutes on a loaded machine.
  }, 300_000);
});
