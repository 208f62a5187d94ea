import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** The header a request's id travels in: from the caller, to every subgraph, and back in the answer. */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * What a caller's id may look like: a UUID, a trace id, a base64 token. Anything longer or with
 * other characters is replaced, so that an id can neither flood the logs nor forge a log line
 * or a header.
 */
const ACCEPTED_ID = /^[A-Za-z0-9._:+=/-]{1,128}$/;

/** The caller's request id when it is acceptable, else a new one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && ACCEPTED_ID.test(header) ? header : randomUUID();
}

/**
 * The request a piece of code runs for, wherever it sits in the call chain: a subgraph's lookup
 * in another subgraph passes on the id of the request that made it without every caller handing
 * it down.
 */
const currentRequest = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `work`, and everything it starts, as part of the request with this id. */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return currentRequest.run({ requestId }, work);
}

/** The id of the request the calling code runs for, if any. */
export function currentRequestId(): string | undefined {
  return currentRequest.getStore()?.requestId;
}
