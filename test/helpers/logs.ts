import { setLogDestination } from '../../shared/src/logger';

export interface LogLine {
  level: number;
  service: string;
  msg: string;
  [key: string]: unknown;
}

/** pino's level numbers: 50 is error, 60 fatal. */
export const ERROR_LEVEL = 50;

/**
 * Collects every line the services started after this call log (start them with a `logLevel`
 * that lets the lines through, e.g. `startStack({ logLevel: 'warn' })`). `stop` sends logs back
 * to standard output.
 */
export function captureLogs(): { lines: LogLine[]; errors: () => LogLine[]; stop: () => void } {
  const lines: LogLine[] = [];
  setLogDestination({
    write: (chunk: string) => {
      for (const text of chunk.split('\n')) if (text.trim()) lines.push(JSON.parse(text) as LogLine);
    },
  });
  return { lines, errors: () => lines.filter((line) => line.level >= ERROR_LEVEL), stop: () => setLogDestination() };
}
