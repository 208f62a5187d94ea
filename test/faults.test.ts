import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { dropDatabase, ensureDatabase } from '../scripts/lib/postgres';
import { eventually } from './helpers/eventually';
import { freeLauncherPorts, graphql, isRunning, Launcher, launcherEnv, type Outcome } from './helpers/launcher';
import { contractOperation } from './helpers/stack';
import { loadConfig } from '../shared/src/config';
import { createProofSigner, PROOF_HEADER } from '../shared/src/internal';

// The faults an operator meets, on the real `npm start`: its processes, its signals, its ports.
jest.setTimeout(240_000);

const DASHBOARD = contractOperation('ProvinceDashboard');
const ANSHAN = { code: '210300', year: 2018, awardYear: 2016 };
/** The dashboard for a year nobody has asked for yet: the gateway keeps whole answers, and would answer ANSHAN again without asking the subgraphs. */
const anshanIn = (year: number) => ({ ...ANSHAN, year });
const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterInstitutionInput!) { registerInstitution(input: $input) { id name licenseNumber } }
`;
const INSTITUTION = /* GraphQL */ `
  query Institution($id: ID!) { institution(id: $id) { id name licenseNumber } }
`;

/** An answer with every field and no error. */
const whole = (outcome: Outcome) => outcome.kind === 'answered' && outcome.status === 200 && !outcome.body.errors && !!outcome.body.data;

describe('npm start on the configured PostgreSQL', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'sanji-faults-'));
  let databaseUrl: string;
  let database: string;
  let launcher: Launcher;
  let env: NodeJS.ProcessEnv;
  let reader: string;
  const launchers: Launcher[] = [];

  const start = async () => {
    const ports = launcher?.ports ?? (await freeLauncherPorts());
    env ??= launcherEnv(stateDir, ports, databaseUrl);
    launcher = new Launcher(env, ports);
    launchers.push(launcher);
    await launcher.waitFor(/^\[sanji\] ready/m);
    reader = await launcher.token({ tier: 'PROVINCE', regionCode: '210000' });
  };

  beforeAll(async () => {
    database = `sanji_faults_${randomBytes(6).toString('hex')}`;
    databaseUrl = await ensureDatabase(process.env.SANJI_TEST_ADMIN_URL!, database, process.env.SANJI_TEST_TEMPLATE!);
    await start();
  });

  afterAll(async () => {
    for (const each of launchers) {
      for (const pid of [each.pid, ...Object.values(each.servicePids())]) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    }
    await dropDatabase(process.env.SANJI_TEST_ADMIN_URL!, database);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('starts a subgraph killed with kill -9 again, while the others keep answering', async () => {
    expect(whole(await graphql(launcher.url, DASHBOARD, ANSHAN, reader))).toBe(true);
    const before = launcher.servicePids();
    process.kill(before.members, 'SIGKILL');

    // Meanwhile the other subgraphs' fields arrive, the members subgraph's are missing, and an error
    // says so: asked by a caller the gateway has kept nothing for.
    const anshanCity = await launcher.token({ tier: 'CITY', regionCode: '210300' });
    const during = await graphql(launcher.url, DASHBOARD, anshanIn(2017), anshanCity);
    // The province's own dashboard for another year reads the members subgraph's figures the
    // gateway kept for 2018 (they do not depend on the year), unchanged since: it is whole.
    const kept = await graphql(launcher.url, DASHBOARD, anshanIn(2016), reader);
    await launcher.waitFor(/^\[sanji\] members exited unexpectedly \(SIGKILL\); starting it again/m, 5);
    expect(during.kind).toBe('answered');
    if (during.kind !== 'answered') return;
    expect(during.body.data.region).toMatchObject({ code: '210300', name: '鞍山市', memberStats: null });
    expect(during.body.data.region.coverage.institutions).toBeGreaterThan(0);
    expect(during.body.data.region.activityStats.total).toBeGreaterThan(0);
    expect(during.body.errors?.length).toBeGreaterThan(0);
    expect(whole(kept)).toBe(true);

    // The new members subgraph answers what the gateway could not take from what it kept.
    const again = await eventually(() => graphql(launcher.url, DASHBOARD, anshanIn(2017), anshanCity), whole, 15);
    expect(whole(again)).toBe(true);
    if (again.kind === 'answered') expect(again.body.data.region.memberStats.partyMembers).toBeGreaterThan(0);
    const after = launcher.servicePids();
    expect(after.members).not.toBe(before.members);
    // Nothing else was restarted.
    for (const name of ['gateway', 'organization', 'activities', 'commendations']) {
      expect(after[name]).toBe(before[name]);
      expect(isRunning(after[name])).toBe(true);
    }
  });

  it('lets a subgraph that alone gets SIGTERM, as in a rolling restart, answer the requests it has taken first', async () => {
    const members = launcher.servicePids().members;
    const url = `http://127.0.0.1:${launcher.ports.subgraphs.members}/graphql`;
    const query = 'query Members { members(first: 100) { totalCount edges { node { id name } } } }';
    // Sent as the gateway sends them: with its proof for this very request.
    const proof = await createProofSigner(loadConfig(launcher.env), 'gateway')(query, {}, { authorization: `Bearer ${reader}` });
    const ask = () => graphql(url, query, {}, reader, { [PROOF_HEADER]: proof });
    expect(whole(await ask())).toBe(true);

    const taken = Array.from({ length: 10 }, ask);
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.kill(members, 'SIGTERM');
    const answers = await Promise.all(taken);
    expect(answers.filter((answer) => !whole(answer))).toEqual([]);
    expect(answers.every((answer) => answer.kind === 'answered' && answer.body.data!.members.totalCount > 0)).toBe(true);

    await launcher.waitFor(/^\[sanji\] members exited unexpectedly \(code 0\); starting it again/m, 30);
    // Asked by a caller the gateway has kept nothing for, so that the members subgraph itself answers.
    const tiedong = await launcher.token({ tier: 'COUNTY', regionCode: '210302' });
    const again = await eventually(() => graphql(launcher.url, DASHBOARD, { ...ANSHAN, code: '210302' }, tiedong), whole, 15);
    expect(whole(again)).toBe(true);
  });

  it('stops on Ctrl-C under load with no request in flight failing, and keeps every write for the next start', async () => {
    const editor = await launcher.token({ tier: 'COUNTY', regionCode: '210302', roles: ['viewer', 'editor'], subject: 'faults-editor' });
    const prefix = `F${randomBytes(4).toString('hex').toUpperCase().slice(0, 6)}`;
    let serial = 0;
    const written: { id: string; name: string; licenseNumber: string }[] = [];
    const failures: string[] = [];
    let answered = 0;
    let inFlight = 0;
    let inFlightAtCtrlC = -1;

    /**
     * Sends requests one after another until the gateway no longer takes connections. A request
     * sent before Ctrl-C was in flight and must be answered whole; one sent after it may be
     * turned away unanswered (a connection refused, or reset before the gateway took it), but
     * never half-answered, and the data check below shows it wrote nothing.
     */
    const client = async (send: () => Promise<Outcome>, accept: (outcome: Outcome & { kind: 'answered' }) => void) => {
      for (;;) {
        const afterCtrlC = inFlightAtCtrlC >= 0;
        inFlight += 1;
        const outcome = await send();
        inFlight -= 1;
        if (outcome.kind === 'refused') {
          if (!afterCtrlC) failures.push('refused before Ctrl-C');
          return;
        }
        if (outcome.kind === 'failed') {
          if (!afterCtrlC) failures.push(outcome.error);
        } else if (outcome.status !== 200 || outcome.body.errors) failures.push(`${outcome.status} ${JSON.stringify(outcome.body.errors)}`);
        else {
          answered += 1;
          accept(outcome);
        }
      }
    };
    const readers = Array.from({ length: 10 }, () => client(() => graphql(launcher.url, DASHBOARD, ANSHAN, reader), () => undefined));
    const writers = Array.from({ length: 6 }, () =>
      client(
        () => {
          const licenseNumber = `${prefix}${String(++serial).padStart(11, '0')}`;
          return graphql(launcher.url, REGISTER, { input: { name: `断电测试律师事务所${licenseNumber}`, kind: 'LAW_FIRM', licenseNumber, regionCode: '210302', approvedOn: '2020-01-01' } }, editor);
        },
        (outcome) => written.push(outcome.body.data.registerInstitution),
      ),
    );

    const pids = Object.values(launcher.servicePids());
    await eventually(async () => answered, (count) => count >= 40, 60);
    inFlightAtCtrlC = inFlight;
    launcher.interrupt();
    await Promise.all([...readers, ...writers]);
    const exit = await launcher.exited;

    expect(failures).toEqual([]);
    expect(inFlightAtCtrlC).toBeGreaterThan(0);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(launcher.log).toMatch(/^\[sanji\] stopping$[\s\S]*^\[sanji\] stopped$/m);
    expect(pids.filter(isRunning)).toEqual([]);

    // The next start has every write that was answered, once, with its audit row, and no other.
    await start();
    expect(written.length).toBeGreaterThan(0);
    for (const institution of written) {
      const outcome = await graphql(launcher.url, INSTITUTION, { id: institution.id }, editor);
      expect(outcome.kind === 'answered' && outcome.body.data.institution).toEqual(institution);
    }
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const stored = await db.query(`SELECT id::text FROM organization.institution WHERE license_number LIKE $1`, [`${prefix}%`]);
      expect(stored.rows.map((row) => row.id).sort()).toEqual(written.map((institution) => institution.id).sort());
      const audited = await db.query(
        `SELECT entity_id, count(*)::int AS rows FROM organization.audit_log WHERE action = 'registerInstitution' AND entity_id = ANY($1) GROUP BY entity_id`,
        [written.map((institution) => institution.id)],
      );
      expect(audited.rows).toHaveLength(written.length);
      expect(audited.rows.every((row) => row.rows === 1)).toBe(true);
    } finally {
      await db.end();
    }

    launcher.process.kill('SIGTERM');
    expect(await launcher.exited).toEqual({ code: 0, signal: null });
  });
});
