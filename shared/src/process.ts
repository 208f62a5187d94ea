import { createLogger } from './logger';

/**
 * Runs a service as a process of its own: starts it, and stops it cleanly on SIGINT or SIGTERM so
 * in-flight requests finish and database connections close.
 */
export function runUntilSignalled(name: string, start: () => Promise<{ url: string; stop: () => Promise<void> }>): void {
  const log = createLogger(name, process.env.LOG_LEVEL ?? 'info');
  start().then(
    (service) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.info({ signal }, `${name} stopping`);
        service.stop().then(
          () => process.exit(0),
          (err) => {
            log.error({ err }, `${name} did not stop cleanly`);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    },
    (err) => {
      log.fatal({ err }, `${name} failed to start`);
      process.exit(1);
    },
  );
}

/**
 * V8 heap bounds for each service process. Left alone, V8 sizes its heap for the machine's whole
 * memory and grows it lazily, so one burst of concurrent requests leaves the gateway holding some
 * 300 MB it no longer needs; bounded, every service stays under 250 MB resident. The benchmark
 * reports peak resident memory with these flags, as `npm start`, the benchmark and
 * docker-compose.yml all run the services with them.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-old-space-size=160', '--max-semi-space-size=16'];
