import { connect, createServer, type Socket } from 'node:net';

export interface Backend {
  host: string;
  port: number;
}

export interface Balancer {
  port: number;
  /** `http://127.0.0.1:<port>` followed by `path`. */
  url(path?: string): string;
  /** Connections handed to each backend so far, in the order the backends were given. */
  connections(): number[];
  stop(): Promise<void>;
}

export interface BalancerOptions {
  /**
   * Holds every chunk this long before passing it on, in either direction, in order: a link to
   * a backend far away.
   */
  delayMs?: number;
}

/**
 * A TCP balancer, as an operator would put in front of several instances of a service: each new
 * connection goes to the next backend in turn, and to the one after it when that one refuses.
 * A connection whose backend goes away is closed on the client's side too.
 */
export function startBalancer(backends: Backend[], options: BalancerOptions = {}): Promise<Balancer> {
  const counts = backends.map(() => 0);
  const open = new Set<Socket>();
  let next = 0;

  // Whatever happens on one side reaches the other after the link's delay, in order.
  const later = (fn: () => void) => (options.delayMs ? void setTimeout(fn, options.delayMs) : fn());
  const pass = (from: Socket, to: Socket) => {
    from.on('data', (chunk) => later(() => to.writable && to.write(chunk)));
    from.on('end', () => later(() => to.end()));
    from.once('close', () => later(() => to.destroy()));
  };

  const server = createServer((client) => {
    open.add(client);
    client.pause();
    const tried = new Set<number>();
    const tryNext = () => {
      if (tried.size === backends.length || client.destroyed) return void client.destroy();
      let index = next;
      while (tried.has(index)) index = (index + 1) % backends.length;
      next = (index + 1) % backends.length;
      tried.add(index);
      const backend = connect(backends[index].port, backends[index].host);
      let connected = false;
      backend.on('error', () => {
        // Refused: the client has sent this backend nothing yet, so another may serve it.
        if (!connected) tryNext();
      });
      backend.once('connect', () => {
        connected = true;
        counts[index] += 1;
        open.add(backend);
        backend.once('close', () => open.delete(backend));
        pass(client, backend);
        pass(backend, client);
        client.resume();
      });
    };
    client.once('close', () => open.delete(client));
    client.on('error', () => undefined);
    tryNext();
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        port,
        url: (path = '') => `http://127.0.0.1:${port}${path}`,
        connections: () => [...counts],
        stop: () =>
          new Promise<void>((done) => {
            for (const socket of open) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
