import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { HeaderMap, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import { ErrorCode } from './errors';
import type { Logger } from './logger';
import { REQUEST_ID_HEADER } from './request-id';

/**
 * How long a subgraph keeps an idle connection open. The gateway closes its idle sockets well
 * before this (see `SUBGRAPH_IDLE_SOCKET_MS`), so it never sends a request on a socket the
 * subgraph is closing at that very moment.
 */
export const SUBGRAPH_KEEP_ALIVE_MS = 30_000;

/** Answers with a JSON body; works on Node's own response and on Express's, which extends it. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

/** The request's id, when the server has given it one (it answers with it in `x-request-id`). */
function requestIdExtension(res: ServerResponse): { requestId?: string } {
  const requestId = res.getHeader(REQUEST_ID_HEADER);
  return typeof requestId === 'string' ? { requestId } : {};
}

export function unauthenticatedResponse(res: ServerResponse, message = 'A valid bearer token is required.'): void {
  sendJson(res, 401, { errors: [{ message, extensions: { code: ErrorCode.UNAUTHENTICATED, ...requestIdExtension(res) } }] }, { 'www-authenticate': 'Bearer' });
}

/** A request body that cannot be read as GraphQL's JSON, with the HTTP status it is answered with. */
export class RequestBodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message = status === 413 ? 'The request body is too large.' : status === 415 ? 'The request body must be JSON in UTF-8.' : 'The request body is not valid JSON.',
  ) {
    super(message);
  }
}

const INVALID_UTF8 = 'The request body is not valid UTF-8: text is accepted as sent or not at all, never with characters replaced.';

/**
 * For Express's `json()` parser (`verify`): a body that is not valid UTF-8 is refused, where the
 * decoder would quietly put U+FFFD in place of each bad byte and the service would store that.
 */
export function refuseInvalidUtf8(_req: IncomingMessage, _res: ServerResponse, body: Buffer): void {
  if (!isUtf8(body)) throw Object.assign(new RequestBodyError(400, INVALID_UTF8), { expose: true });
}

/**
 * Errors raised before GraphQL sees a request (a body too large, malformed JSON, an unknown
 * charset) answered as GraphQL errors with their HTTP status, never as an HTML page or a stack.
 */
function sendRequestFailure(res: ServerResponse, status: number, log: Logger, err: unknown): void {
  if (status >= 500) log.error({ err }, 'request failed before GraphQL');
  const message =
    err instanceof RequestBodyError
      ? err.message
      : status === 413 || status === 415
        ? new RequestBodyError(status).message
        : status < 500
          ? new RequestBodyError(400).message
          : 'Internal server error.';
  sendJson(res, status, { errors: [{ message, extensions: { code: status < 500 ? 'BAD_REQUEST' : ErrorCode.INTERNAL_SERVER_ERROR, ...requestIdExtension(res) } }] });
}

/** The same answers for errors raised by Express's body parser. */
export function httpErrorHandler(log: Logger) {
  return (err: { status?: number; statusCode?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    sendRequestFailure(res, err.status ?? err.statusCode ?? 500, log, err);
  };
}

/**
 * Reads a JSON request body as Express's `json()` parser would (only `application/json`, UTF-8,
 * uncompressed, an object or array at the top, `{}` when empty, nothing at all for another media
 * type), without its per-request middleware stack: the subgraphs answer several fetches for every
 * gateway request, and this is on each one's path.
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const [mediaType, ...parameters] = (req.headers['content-type'] ?? '').split(';');
  if (mediaType.trim().toLowerCase() !== 'application/json') {
    req.resume();
    return undefined;
  }
  const charset = parameters.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if ((charset !== undefined && charset !== 'utf-8') || encoding !== 'identity') {
    req.resume();
    throw new RequestBodyError(415);
  }
  if (Number(req.headers['content-length'] ?? 0) > limitBytes) {
    req.resume();
    throw new RequestBodyError(413);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > limitBytes) {
      req.resume();
      throw new RequestBodyError(413);
    }
    chunks.push(chunk);
  }
  const bytes = Buffer.concat(chunks, received);
  if (!isUtf8(bytes)) throw new RequestBodyError(400, INVALID_UTF8);
  const text = bytes.toString('utf8');
  const first = /\S/.exec(text)?.[0];
  if (first === undefined) return {};
  if (first !== '{' && first !== '[') throw new RequestBodyError(400);
  try {
    return JSON.parse(text);
  } catch {
    throw new RequestBodyError(400);
  }
}

/** Apollo Server's view of a request whose body has been read. */
export function graphQLRequestOf(req: IncomingMessage, body: unknown): HTTPGraphQLRequest {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return { method: (req.method ?? 'GET').toUpperCase(), headers, search: urlParts(req).search, body };
}

/** A request's path and its query string (with its `?`, or empty). */
export function urlParts(req: IncomingMessage): { path: string; search: string } {
  const url = req.url ?? '';
  const query = url.indexOf('?');
  return query < 0 ? { path: url, search: '' } : { path: url.slice(0, query), search: url.slice(query) };
}

/** Writes Apollo Server's answer, streamed when it comes in parts (incremental delivery); `body`, when given, in place of its text. */
export async function sendGraphQLResponse(res: ServerResponse, response: HTTPGraphQLResponse, body?: Buffer): Promise<void> {
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    // Encoded once, rather than measured and then encoded again as a string is.
    const bytes = body ?? Buffer.from(response.body.string);
    res.setHeader('content-length', String(bytes.length));
    res.end(bytes);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** Answers a failure that escaped the handler: a GraphQL error while nothing was sent, else a cut connection. */
export function sendUnexpectedFailure(res: ServerResponse, log: Logger, err: unknown): void {
  if (err instanceof RequestBodyError) return sendRequestFailure(res, err.status, log, err);
  if (res.headersSent) {
    log.error({ err }, 'response failed');
    res.destroy();
    return;
  }
  sendRequestFailure(res, 500, log, err);
}
