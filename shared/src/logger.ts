import pino, { type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from './request-id';

export type { DestinationStream, Logger };

/**
 * Structured JSON logs, one line per event, with the service name on every line and, on a line
 * logged while serving a request, that request's id; to standard output unless a destination says
 * otherwise (the tests read a stack's lines this way: `Config.logDestination`).
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name: service,
    level,
    base: { service },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId === undefined ? {} : { requestId };
    },
    // Tokens and personal data never reach the log.
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.idNumber', '*.phone'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
