import type { DestinationStream } from 'pino';

/** One JSON log line as a service wrote it. */
export interface LogLine {
  level: number;
  service: string;
  msg: string;
  requestId?: string;
  [key: string]: unknown;
}

/** pino's numeric levels. */
export const LOG_LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;

export interface LogCapture {
  /** Give it to a stack (`startStack({ logDestination, logLevel })`) or a gateway's config. */
  destination: DestinationStream;
  lines: LogLine[];
  /** The lines logged for one request, in every service. */
  ofRequest(requestId: string): LogLine[];
}

/** Keeps every line the services log, instead of writing them to standard output. */
export function captureLogs(): LogCapture {
  const lines: LogLine[] = [];
  return {
    lines,
    destination: {
      write(chunk: string) {
        for (const line of chunk.split('\n')) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      },
    },
    ofRequest: (requestId) => lines.filter((line) => line.requestId === requestId),
  };
}
