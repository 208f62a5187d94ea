import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';

/** How long a stopping service still takes connections, at most, and the quiet that ends it sooner. */
const LAST_CONNECTIONS_MS = 1000;
const CONNECTIONS_QUIET_MS = 100;

/**
 * For a server about to stop accepting: waits until no connection has arrived for a moment (at
 * most a second). A busy server leaves connections queued in the kernel's backlog, already
 * carrying their requests; closing the listener would reset them, so they are taken and served
 * first. Each check lets the event loop accept what is queued, so a blocked loop never looks quiet.
 */
export function settleConnections(server: Server): () => Promise<void> {
  let lastConnectionAt = 0;
  server.on('connection', () => (lastConnectionAt = Date.now()));
  return async () => {
    const deadline = Date.now() + LAST_CONNECTIONS_MS;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      await new Promise((resolve) => setImmediate(resolve));
      if (Date.now() - lastConnectionAt >= CONNECTIONS_QUIET_MS) return;
    }
  };
}

/**
 * How a service (the gateway or a subgraph) stops without losing a request: from the moment it
 * starts draining, `/health` answers 503 so a balancer sends traffic elsewhere, every answer closes
 * its connection, the connections already on their way are still taken, and then Apollo Server
 * stops accepting and waits up to `drainMs` for the requests it has taken.
 */
export interface Drain {
  /** Whether the service has begun to stop: `/health` then answers 503 `draining`. */
  readonly draining: boolean;
  /** Apollo Server's plugin that closes the listener and waits for the requests in flight. */
  readonly plugin: ApolloServerPlugin;
  /**
   * Called first on every request: false when the request must not run. While draining, every
   * answer closes its connection, so the client sends nothing more on it; a request on a
   * connection the drain has already ended could not be answered, so it never runs.
   */
  admit(req: IncomingMessage, res: ServerResponse): boolean;
  /** Drains, then stops Apollo Server; what the service closes after it (its pool) is its own. */
  stop(apollo: { stop(): Promise<void> }): Promise<void>;
}

export function createDrain(httpServer: Server, drainMs: number): Drain {
  let draining = false;
  const connectionsSettled = settleConnections(httpServer);
  return {
    get draining() {
      return draining;
    },
    plugin: ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: drainMs }),
    admit(req, res) {
      if (!draining) return true;
      if (req.socket.writableEnded) {
        req.socket.destroy();
        return false;
      }
      res.setHeader('connection', 'close');
      return true;
    },
    async stop(apollo) {
      draining = true;
      await connectionsSettled();
      await apollo.stop();
    },
  };
}
