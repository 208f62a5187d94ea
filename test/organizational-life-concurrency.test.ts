import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { configurePgTypes } from '../shared/src/pg-types';
import { dropDatabase, ensureDatabase } from '../scripts/lib/postgres';
import { ComplianceRepository } from '../subgraphs/activities/src/repositories/ComplianceRepository';

/**
 * A branch secretary records a meeting at the moment the register of Party organizations copies a
 * change of that branch (here, a move to another county): two transactions on two connections,
 * both open at once, the second started while the first has written and not yet committed.
 */
const ROUNDS = 40;
const ORGANIZATIONAL_LIFE = ['BRANCH_GENERAL_MEETING', 'BRANCH_COMMITTEE_MEETING', 'PARTY_GROUP_MEETING', 'PARTY_LECTURE', 'THEME_PARTY_DAY', 'ORGANIZATIONAL_LIFE_MEETING', 'DEMOCRATIC_APPRAISAL'];
const PROVINCE_SCOPE = { prefix: '21', from: '210000', to: '220000', organizationId: null };

const LINES = `
  SELECT organization_id, year, kind, held_months, region_code, months_before_founding
    FROM activities.organizational_life_line ORDER BY 1, 2, 3`;
/** Every line counted from scratch: the months of each held activity, with the organization's registration as it is now. */
const RECOUNT = `
  SELECT a.organizer_organization_id AS organization_id, extract(year FROM a.held_on)::int AS year, a.kind,
         bit_or(1 << (extract(month FROM a.held_on)::int - 1)) AS held_months, o.region_code,
         activities.organizational_life_months_before_founding(o.kind, o.founded_on, o.dissolved_on, extract(year FROM a.held_on)::int) AS months_before_founding
    FROM activities.activity a LEFT JOIN activities.registered_organization o ON o.organization_id = a.organizer_organization_id
   WHERE a.status = 'HELD' AND a.organizer_organization_id IS NOT NULL AND a.kind = ANY($1)
   GROUP BY 1, 2, 3, o.organization_id ORDER BY 1, 2, 3`;

interface Outcome {
  error: string | null;
}

const outcome = (pending: Promise<unknown>): Promise<Outcome> =>
  pending.then(
    () => ({ error: null }),
    (err: Error) => ({ error: err.message }),
  );

describe('organizational life counted while the register of Party organizations changes', () => {
  const adminUrl = process.env.SANJI_TEST_ADMIN_URL!;
  const database = `sanji_test_${randomBytes(6).toString('hex')}`;
  let db: Client;
  let secretary: Client;
  let register: Client;
  let activities: DataSource;
  const pids = new Map<Client, number>();

  beforeAll(async () => {
    configurePgTypes();
    const url = await ensureDatabase(adminUrl, database, process.env.SANJI_TEST_TEMPLATE!);
    [db, secretary, register] = [new Client({ connectionString: url }), new Client({ connectionString: url }), new Client({ connectionString: url })];
    for (const client of [db, secretary, register]) await client.connect();
    for (const client of [secretary, register]) pids.set(client, (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    activities = new DataSource({ type: 'postgres', url, extra: { options: '-c search_path=activities' } });
    await activities.initialize();
  });
  afterAll(async () => {
    await activities?.destroy();
    for (const client of [db, secretary, register]) await client?.end().catch(() => undefined);
    await dropDatabase(adminUrl, database);
  });

  /** Returns once `client`'s statement waits on a lock or has finished (after two seconds, the other is committed anyway). */
  const waitingOrDone = async (client: Client, done: Promise<Outcome>) => {
    let finished = false;
    void done.then(() => (finished = true));
    for (let i = 0; i < 400 && !finished; i++) {
      const { rows } = await db.query(`SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1`, [pids.get(client)]);
      if (rows[0]?.wait_event_type === 'Lock') return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  it('an activity recorded while the register updates the same branch is counted once, without an error', async () => {
    // Branches of counties with organizational life counted in 2019, each moved to another county.
    const { rows: branches } = await db.query<{ id: string; region_code: string; kind: string }>(
      `SELECT o.organization_id AS id, o.region_code, (array_agg(l.kind ORDER BY l.kind))[1] AS kind
         FROM activities.registered_organization o JOIN activities.organizational_life_line l ON l.organization_id = o.organization_id AND l.year = 2019
        WHERE o.kind IN ('STANDALONE_BRANCH', 'JOINT_BRANCH') AND o.dissolved_on IS NULL AND right(o.region_code, 2) <> '00'
        GROUP BY o.organization_id ORDER BY o.organization_id LIMIT ${ROUNDS}`,
    );
    expect(branches).toHaveLength(ROUNDS);
    const counties = [...new Set(branches.map((b) => b.region_code))].sort();
    expect(counties.length).toBeGreaterThan(1);

    const failures: string[] = [];
    const touched = new Set<string>();
    for (const [round, branch] of branches.entries()) {
      // Every order and kind of overlap: the activity written first or the register's change, and
      // the meeting one of a kind the branch already held that year or the first of its kind.
      const activityFirst = round % 2 === 0;
      const [kind, heldOn] = Math.floor(round / 2) % 2 === 0 ? [branch.kind, '2019-12-20'] : ['THEME_PARTY_DAY', '2020-03-15'];
      const movedTo = counties[(counties.indexOf(branch.region_code) + 1) % counties.length];
      touched.add(branch.region_code).add(movedTo);
      const record = () =>
        secretary.query(
          `INSERT INTO activities.activity (kind, title, held_on, organizer_organization_id, region_code) VALUES ($1, $2, $3, $4, $5)`,
          [kind, `并发${round}`, heldOn, branch.id, branch.region_code],
        );
      const copy = () => register.query(`UPDATE activities.registered_organization SET region_code = $2, described_at = now() WHERE organization_id = $1`, [branch.id, movedTo]);
      const [first, second] = activityFirst ? [[secretary, record], [register, copy]] as const : [[register, copy], [secretary, record]] as const;

      await first[0].query('BEGIN');
      await second[0].query('BEGIN');
      const firstDone = await outcome(first[1]());
      const secondDone = outcome(second[1]());
      await waitingOrDone(second[0], secondDone);
      await first[0].query(firstDone.error ? 'ROLLBACK' : 'COMMIT');
      const secondOutcome = await secondDone;
      await second[0].query(secondOutcome.error ? 'ROLLBACK' : 'COMMIT');
      for (const [who, { error }] of [[activityFirst ? 'activity' : 'register', firstDone], [activityFirst ? 'register' : 'activity', secondOutcome]] as const) {
        if (error) failures.push(`round ${round}, ${who}: ${error}`);
      }
    }

    // Both writes of every round commit, and no line is left counted with a registration read before the move committed.
    expect(failures).toEqual([]);
    expect((await db.query(LINES)).rows).toEqual((await db.query(RECOUNT, [ORGANIZATIONAL_LIFE])).rows);

    // And the figures the dashboards read from the counters are a count of the rows, in every region touched.
    const regions = [...touched].flatMap((county) => [county, `${county.slice(0, 4)}00`, `${county.slice(0, 2)}0000`]);
    const keys = [...new Set(regions)].sort().flatMap((regionCode) => [2019, 2020].map((year) => ({ regionCode, year })));
    const compliance = new ComplianceRepository(activities);
    for (const today of ['2020-06-30', '2026-11-23']) {
      expect(await compliance.stats(keys, today, PROVINCE_SCOPE)).toEqual(await compliance.statsByCounting(keys, today, PROVINCE_SCOPE));
    }
  });

  it('the register copying a whole province at once takes one lock, not one per organization', async () => {
    // PostgreSQL keeps every lock of a transaction in one shared table of bounded size: a lock
    // apiece for a national register (tens of thousands of organizations) ran out of it.
    await register.query('BEGIN');
    try {
      await register.query(`SELECT activities.organizational_life_lock(ARRAY(SELECT gen_random_uuid() FROM generate_series(1, 20000)))`);
      const { rows } = await db.query(`SELECT count(*)::int AS locks FROM pg_locks WHERE pid = $1 AND locktype = 'advisory'`, [pids.get(register)]);
      expect(rows[0].locks).toBe(1);
    } finally {
      await register.query('ROLLBACK');
    }
  });

  it('a recount of many organizations waits for a recount of one under way, and a recount of one for it', async () => {
    const one = `SELECT activities.organizational_life_lock(ARRAY['00000000-0000-4000-8000-000000000001']::uuid[])`;
    const many = `SELECT activities.organizational_life_lock(ARRAY(SELECT gen_random_uuid() FROM generate_series(1, 100)))`;
    for (const [first, second] of [[one, many], [many, one]]) {
      await secretary.query('BEGIN');
      await register.query('BEGIN');
      await secretary.query(first);
      const waiting = outcome(register.query(second));
      let finished = false;
      void waiting.then(() => (finished = true));
      await waitingOrDone(register, waiting);
      expect({ first, waitedFor: !finished }).toEqual({ first, waitedFor: true });
      await secretary.query('COMMIT');
      expect(await waiting).toEqual({ error: null });
      await register.query('COMMIT');
    }
  });
});
