/**
 * Stand-in subgraphs for the benchmark's floor: each answers the gateway from memory with the
 * very response the real subgraph gave to the same request body the first time. What remains is
 * the gateway's own cost (planning, proofs, HTTP, JSON), measured with the same operations.
 */
import { createServer } from 'node:http';

const routes = JSON.parse(process.env.SANJI_STAND_INS ?? '[]') as { port: number; target: string }[];

for (const { port, target } of routes) {
  const answers = new Map<string, { status: number; body: string }>();
  createServer(async (req, res) => {
    if (req.method === 'GET') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let answer = answers.get(body);
    if (!answer) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
      const response = await fetch(target, { method: 'POST', headers, body });
      answer = { status: response.status, body: await response.text() };
      if (response.ok) answers.set(body, answer);
    }
    res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer.body) }).end(answer.body);
  }).listen(port, '127.0.0.1');
}
