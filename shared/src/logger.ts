import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs, one line per event, with the service name on every line. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    // Tokens and personal data never reach the log.
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.idNumber', '*.phone'], censor: '[redacted]' },
  });
}
