import { createServer } from 'node:net';

/**
 * Ports are taken below the kernel's ephemeral range (32768 and up on Linux), where a port found
 * free can be given to some outgoing connection before the server meant for it binds. Each jest
 * worker draws from its own slice, so parallel test files never pick the same port.
 */
const FIRST = 20_000;
const SLICE = 1_500;
const WORKER = Number(process.env.JEST_WORKER_ID ?? 0) % 8;
/** The next port to try, from a random place in the slice: a port comes round again only after the whole slice. */
let next = Math.floor(Math.random() * SLICE);

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A TCP port on the loopback interface that is free now and was not handed out lately by this process. */
export async function freePort(): Promise<number> {
  const start = FIRST + WORKER * SLICE;
  for (let tries = 0; tries < SLICE; tries += 1) {
    const port = start + (next++ % SLICE);
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port between ${start} and ${start + SLICE - 1}`);
}
