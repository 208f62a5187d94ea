import { request as httpRequest, createServer as createHttpServer, Agent, type Server as HttpServer } from 'node:http';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startGateway } from '../gateway/src/server';
import type { SubgraphName } from '../shared/src/config';
import type { RunningServer } from '../shared/src/subgraph-server';
import { captureLogs, LOG_LEVEL, type LogCapture } from './helpers/log-capture';
import { startStack, type Stack } from './helpers/stack';
import { expectNoErrors } from './helpers/expectations';

/**
 * A TCP hop in front of a subgraph that drops a kept-alive connection the moment a second request
 * arrives on it, as a subgraph closing an idle connection does when a request crosses its close.
 * A connection's first request always goes through.
 */
class ConnectionDroppingProxy {
  connections = 0;
  dropped = 0;
  private readonly server: Server;
  private readonly open = new Set<Socket>();

  constructor(private readonly target: number) {
    this.server = createServer((client) => {
      this.connections += 1;
      const upstream = createConnection(this.target, '127.0.0.1');
      this.open.add(client).add(upstream);
      let answered = false;
      upstream.on('data', (chunk) => {
        answered = true;
        client.write(chunk);
      });
      client.on('data', (chunk) => {
        if (!answered) return void upstream.write(chunk);
        this.dropped += 1;
        client.resetAndDestroy();
        upstream.destroy();
      });
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
  }

  async close(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/**
 * An HTTP hop in front of a subgraph that sends each answer in chunks without a length, as a
 * proxy or a streaming server does, on kept-alive connections.
 */
class ChunkingProxy {
  private readonly server: HttpServer;
  private readonly agent = new Agent({ keepAlive: true });

  constructor(private readonly target: number) {
    this.server = createHttpServer((req, res) => {
      const upstream = httpRequest({ host: '127.0.0.1', port: this.target, path: req.url, method: req.method, headers: req.headers, agent: this.agent }, (answer) => {
        const headers = { ...answer.headers };
        delete headers['content-length'];
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.on('data', (chunk: Buffer) => {
          // Two chunks per piece, so the answer's end comes in a packet of its own.
          const half = Math.ceil(chunk.length / 2);
          res.write(chunk.subarray(0, half));
          res.write(chunk.subarray(half));
        });
        answer.on('end', () => res.end());
      });
      req.pipe(upstream);
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.agent.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe('connections from the gateway to the subgraphs', () => {
  let stack: Stack;
  let logs: LogCapture;
  const proxies: ConnectionDroppingProxy[] = [];
  const gateways: RunningServer[] = [];

  /** A gateway whose one kept-alive socket to `subgraph` passes through a proxy that drops it on reuse; it keeps no whole answers, so every query fetches. */
  const gatewayThroughProxy = async (subgraph: SubgraphName) => {
    const proxy = new ConnectionDroppingProxy(stack.config.subgraphPorts[subgraph]);
    proxies.push(proxy);
    const config = { ...stack.config, subgraphSockets: 1, responseCacheEntries: 0, fetchCacheEntries: 0, logLevel: 'info', logDestination: logs.destination };
    const gateway = await startGateway(config, { port: 0, subgraphUrls: { [subgraph]: await proxy.listen() } });
    gateways.push(gateway);
    return { proxy, url: gateway.url };
  };

  const scrape = async (gatewayUrl: string) => (await fetch(gatewayUrl.replace(/\/graphql$/, '/metrics'))).text();

  beforeAll(async () => {
    logs = captureLogs();
    stack = await startStack();
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    for (const proxy of proxies) await proxy.close();
    await stack?.stop();
  });

  it('answers a query whose kept-alive connection the subgraph dropped, by sending its fetch again', async () => {
    const { proxy, url } = await gatewayThroughProxy('organization');
    const province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
    const query = `{ institutions(first: 2) { edges { node { name fullPartyMemberCount } } } }`;
    const first = await stack.request(query, {}, province, url);
    expectNoErrors(first);
    expect(proxy.dropped).toBe(0);

    const second = await stack.request(query, {}, province, url);
    expect(proxy.dropped).toBe(1);
    expectNoErrors(second);
    expect(second.body.data).toEqual(first.body.data);
    expect(await scrape(url)).toContain('sanji_gateway_subgraph_fetch_retries_total{subgraph="organization",reason="reset",service="gateway"} 1');
  });

  it('reads every answer of a subgraph that sends its answers in chunks, however busy its kept-alive connections are', async () => {
    const proxy = new ChunkingProxy(stack.config.subgraphPorts.organization);
    const config = { ...stack.config, subgraphSockets: 2, responseCacheEntries: 0, fetchCacheEntries: 0, logLevel: 'info', logDestination: logs.destination };
    const gateway = await startGateway(config, { port: 0, subgraphUrls: { organization: await proxy.listen() } });
    try {
      const province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
      const query = `query($code: ID!) { region(code: $code) { name children { name } } institutions(first: 20) { edges { node { name } } } }`;
      const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => stack.request(query, { code: i % 2 ? '210000' : '210300' }, province, gateway.url)));
      for (const answer of answers) expectNoErrors(answer);
      expect(new Set(answers.map((answer) => answer.body.data.region.name))).toEqual(new Set(['辽宁省', '鞍山市']));
      expect(await scrape(gateway.url)).not.toContain('sanji_gateway_subgraph_fetch_errors_total{');
    } finally {
      await gateway.stop();
      await proxy.close();
    }
  });

  it('never sends a mutation twice: it fails with its path and request id, and nothing is written', async () => {
    const { proxy, url } = await gatewayThroughProxy('members');
    const editor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'], subject: 'tiedong-editor' });
    const listed = await stack.request(`{ members(first: 1) { edges { node { id ethnicity } } } }`, {}, editor, url);
    expectNoErrors(listed);
    const member = listed.body.data.members.edges[0].node;
    const connections = proxy.connections;

    const update = await stack.request(`mutation($id: ID!) { updateMember(id: $id, input: { ethnicity: "满族" }) { id ethnicity } }`, { id: member.id }, editor, url);
    expect(proxy.dropped).toBe(1);
    expect(proxy.connections).toBe(connections);
    expect(update.body.data).toBeNull();
    expect(update.body.errors).toEqual([{ message: 'Internal server error.', path: ['updateMember'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: expect.any(String) } }]);
    const requestId = String(update.body.errors?.[0]?.extensions?.requestId);
    expect(logs.ofRequest(requestId).filter((line) => line.level >= LOG_LEVEL.error)).toEqual([
      expect.objectContaining({ service: 'gateway', msg: 'subgraph fetch failed', subgraph: 'members', reason: 'reset' }),
    ]);

    const db = await stack.database();
    const audit = await db.query(`SELECT 1 FROM members.audit_log WHERE entity_id = $1 AND action = 'updateMember'`, [member.id]);
    expect(audit.rows).toEqual([]);
    const after = await stack.request(`query($id: ID!) { member(id: $id) { ethnicity } }`, { id: member.id }, editor);
    expect(after.body.data.member.ethnicity).toBe(member.ethnicity);
  });
});
