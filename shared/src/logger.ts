import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

let destination: DestinationStream | undefined;

/**
 * Where loggers created from now on write, instead of standard output: the tests read what the
 * services they start in-process log. Without an argument, back to standard output.
 */
export function setLogDestination(stream?: DestinationStream): void {
  destination = stream;
}

/** Structured JSON logs, one line per event, with the service name on every line. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  const options: pino.LoggerOptions = {
    name: service,
    level,
    base: { service },
    // Tokens and personal data never reach the log.
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.idNumber', '*.phone'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
