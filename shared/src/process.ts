import { loadConfig } from './config';
import { createLogger } from './logger';

/** A service started and listening: where it answers, and how it stops (draining first). */
export interface RunningService {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

/**
 * Runs a service as a process of its own: starts it, and stops it cleanly on SIGTERM, draining
 * the requests it has accepted before its database connections close.
 *
 * Under `npm start` (an IPC channel to the launcher), the launcher orders the stop: a terminal's
 * Ctrl-C, which signals the whole process group, is ignored here, and the service stops on its
 * own when the launcher is gone (the channel disconnects), killed or not. Run by hand, Ctrl-C
 * stops it too. It tells the launcher when it is serving.
 */
export function runUntilSignalled(name: string, start: () => Promise<{ url: string; stop: () => Promise<void> }>): void {
  const log = createLogger(name, process.env.LOG_LEVEL ?? 'info');
  const { drainMs } = loadConfig();
  const supervised = typeof process.send === 'function';
  let running: Promise<{ stop: () => Promise<void> } | null> | null = null;
  let stopping = false;

  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, `${name} stopping`);
    // A drain that hangs must not keep the process: it goes anyway, a little after the drain time.
    setTimeout(() => {
      log.error({ drainMs }, `${name} did not stop in time`);
      process.exit(1);
    }, drainMs + 5_000).unref();
    void running!.then((service) =>
      (service ? service.stop() : Promise.resolve()).then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err }, `${name} did not stop cleanly`);
          process.exit(1);
        },
      ),
    );
  };

  running = start().then(
    (service) => {
      if (supervised && process.connected) process.send!({ ready: service.url });
      return service;
    },
    (err: unknown) => {
      log.fatal({ err }, `${name} failed to start`);
      process.exit(1);
    },
  ) as Promise<{ stop: () => Promise<void> } | null>;

  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => {
    if (!supervised) stop('SIGINT');
  });
  if (supervised) {
    process.on('disconnect', () => stop('the launcher is gone'));
    // The channel is how the service learns the launcher is gone, not a reason to keep running.
    process.channel?.unref();
  }
}

/**
 * V8 heap bounds for each service process. Left alone, V8 sizes its heap for the machine's whole
 * memory and grows it lazily, so one burst of concurrent requests leaves the gateway holding some
 * 300 MB it no longer needs. Bounded, the subgraphs peak near 200 MB resident under the mixed
 * benchmark and the gateway, with its caches, under 300 MB; the young generation's 8 MB
 * semi-spaces took the gateway's peak 12–20 MB lower than 16 MB ones at the same throughput.
 * The benchmark reports peak resident memory with these flags, as `npm start`, the benchmark and
 * docker-compose.yml all run the services with them.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-old-space-size=160', '--max-semi-space-size=8'];
