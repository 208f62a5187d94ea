import { startInstances, type Instances } from './helpers/instances';
import { contractOperation } from './helpers/stack';
import { expectNoErrors } from './helpers/expectations';

const INSTITUTIONS = `query($code: ID!) { region(code: $code) { institutions(kind: LAW_FIRM, first: 1) { edges { node { id } } } } }`;
const NAME = `query($id: ID!) { institution(id: $id) { name } }`;
const RENAME = `mutation($id: ID!, $name: String!) { updateInstitution(id: $id, input: { name: $name }) { id } }`;
const REGISTER = `mutation($input: RegisterInstitutionInput!) { registerInstitution(input: $input) { id } }`;
const COVERAGE = `query($code: ID!) { region(code: $code) { coverage(kind: LAW_FIRM) { institutions } } }`;
const DASHBOARD = contractOperation('ProvinceDashboard');
const LEDGER = contractOperation('InstitutionLedger');

/** Which of a pair of in-process instances answered while `send` ran: 0, 1, or null when both or neither did. */
async function servedBy<T>(set: Instances, send: () => Promise<T>): Promise<{ answer: T; instance: 0 | 1 | null }> {
  const [first, second] = set.instances.organization;
  const before = [first.requestCount!(), second.requestCount!()];
  const answer = await send();
  const moved = [first.requestCount!() - before[0] > 0, second.requestCount!() - before[1] > 0];
  return { answer, instance: moved[0] === moved[1] ? null : moved[0] ? 0 : 1 };
}

describe('two gateways and two instances of each subgraph on one database', () => {
  describe('a write through one gateway', () => {
    let set: Instances;
    let gateways: [string, string];

    beforeAll(async () => {
      // The second organization instance is far from PostgreSQL: it hears every change 20 ms
      // after the first one does, longer than a caller takes to ask again.
      set = await startInstances({ slowLink: { subgraph: 'organization', delayMs: 20 } });
      // A connection per fetch: each balancer then hands the gateways' fetches to both instances in turn.
      gateways = [await set.gateway({ subgraphSockets: 0 }), await set.gateway({ subgraphSockets: 0 })];
    });
    afterAll(() => set?.stop());

    it('is read through the other gateway on the very next request, whichever instance answers', async () => {
      const editor = await set.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'], subject: 'tiedong-editor' });
      const province = await set.token({ tier: 'PROVINCE', regionCode: '210000' });
      const listed = await set.request(gateways[0], INSTITUTIONS, { code: '210302' }, province);
      const id = listed.body.data.region.institutions.edges[0].node.id as string;
      const name = async (gateway: string) => (await set.request(gateway, NAME, { id }, province)).body.data?.institution?.name as string;
      const coverage = async (gateway: string) => (await set.request(gateway, COVERAGE, { code: '210302' }, province)).body.data?.region?.coverage.institutions as number;

      const stale: string[] = [];
      const answeredBy: string[] = [];
      let registered = await coverage(gateways[0]);
      for (let round = 0; round < 30; round++) {
        const [writer, reader] = round % 2 === 0 ? gateways : [gateways[1], gateways[0]];
        // Both instances keep the current answers, read through either gateway. Three reads, or
        // four every other round, so that the write and the read fall on each instance in turn.
        for (let i = 0; i < 2 + (round % 2); i++) {
          await name(reader);
          await coverage(reader);
          await name(writer);
        }

        const renamed = `铁东多实例测试${round}律师事务所`;
        const written = await servedBy(set, () => set.request(writer, RENAME, { id, name: renamed }, editor));
        expectNoErrors(written.answer);
        const read = await servedBy(set, () => name(reader));
        if (read.answer !== renamed) stale.push(`round ${round}: renamed to ${renamed}, read ${read.answer}`);
        answeredBy.push(`${written.instance}>${read.instance}`);

        const input = { name: `铁东多实例登记${round}律师事务所`, kind: 'LAW_FIRM', licenseNumber: `31210302MD98${String(round).padStart(5, '0')}X`, regionCode: '210302', approvedOn: '2019-03-01' };
        const added = await set.request(writer, REGISTER, { input }, editor);
        expectNoErrors(added);
        registered += 1;
        const counted = await coverage(reader);
        if (counted !== registered) stale.push(`round ${round}: ${registered} law firms registered, read ${counted}`);
      }

      expect(stale).toEqual([]);
      // The case that matters happened: a change written by the first instance, read from its far twin's cache.
      expect(answeredBy.filter((pair) => pair === '0>1').length).toBeGreaterThanOrEqual(3);
    });
  });

  describe('one instance of a subgraph killed while its twin serves', () => {
    let set: Instances;
    let gateways: [string, string];

    beforeAll(async () => {
      set = await startInstances({ childProcess: 'members' });
      gateways = [await set.gateway(), await set.gateway()];
    });
    afterAll(() => set?.stop());

    it('loses no request: the twin answers every one, whole', async () => {
      const province = await set.token({ tier: 'PROVINCE', regionCode: '210000' });
      const anshan = await set.token({ tier: 'CITY', regionCode: '210300' });
      const requests = [
        { query: DASHBOARD, variables: { code: '210000', year: 2019, awardYear: 2016 }, token: province },
        { query: DASHBOARD, variables: { code: '210300', year: 2018, awardYear: 2016 }, token: anshan },
        { query: LEDGER, variables: { code: '210300', kind: 'LAW_FIRM', first: 20 }, token: anshan },
      ];
      const failures: string[] = [];
      let answered = 0;
      let answeredAfterKill = 0;
      let killed = false;
      let running = true;
      const worker = async (n: number) => {
        for (let i = n; running; i++) {
          const { query, variables, token } = requests[i % requests.length];
          const gateway = gateways[i % 2];
          try {
            const { status, body } = await set.request(gateway, query, variables, token);
            const whole = status === 200 && !body.errors && body.data?.region && (query !== DASHBOARD || body.data.region.memberStats);
            if (!whole) failures.push(`${status} ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
            answered += 1;
            if (killed) answeredAfterKill += 1;
          } catch (err) {
            failures.push(String(err));
          }
        }
      };

      const load = Array.from({ length: 6 }, (_, n) => worker(n));
      const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      const child = set.instances.members[1].child!;
      await wait(2000);
      // The instance about to be killed has been serving its share.
      expect(set.balancers.members.connections()[1]).toBeGreaterThan(0);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      killed = true;
      await wait(3000);
      running = false;
      await Promise.all(load);

      expect(child.signalCode).toBe('SIGKILL');
      expect(failures).toEqual([]);
      expect(answered).toBeGreaterThan(0);
      expect(answeredAfterKill).toBeGreaterThan(0);
    });
  });
});
