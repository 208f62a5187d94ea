import cors from 'cors';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { REQUEST_ID_HEADER } from '../../shared/src/request-id';

/**
 * The headers a browser page may send: the token, the body's type, its own request id, and the
 * ones Apollo's clients add to persisted and GET operations (which CSRF prevention requires).
 */
export const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', REQUEST_ID_HEADER, 'apollo-require-preflight', 'x-apollo-operation-name'];

/** How long a browser may reuse a preflight's answer, in seconds. */
export const CORS_MAX_AGE_SECONDS = 600;

const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/**
 * One configured origin as a test of a browser's Origin header: `*` as the port is any port (or
 * none), `*.` before the host is one or more leading labels; everything else matches exactly.
 */
export function originMatcher(pattern: string): (origin: string) => boolean {
  const [, scheme, host, port] = /^(https?:\/\/)(.*?)(?::(\*|\d+))?$/.exec(pattern)!;
  const hostPart = host.startsWith('*.') ? `(?:[a-z0-9-]+\\.)+${escape(host.slice(2))}` : escape(host);
  const portPart = port === '*' ? '(?::\\d{1,5})?' : port ? `:${port}` : '';
  const regex = new RegExp(`^${escape(scheme)}${hostPart}${portPart}$`);
  return (origin) => regex.test(origin.toLowerCase());
}

/**
 * Answers browsers' cross-origin requests for the allowed origins: a preflight (OPTIONS) gets 204
 * and the allowed methods and headers without any token, since it carries none; an actual request
 * gets its origin echoed. An origin not on the list gets no CORS header at all, so the browser
 * keeps the answer from the page. No credentials mode: the token travels in a header, never in a
 * cookie, so there is nothing for a browser to attach on its own.
 */
export function corsPolicy(origins: readonly string[]): RequestHandler {
  const matchers = origins.map(originMatcher);
  if (matchers.length === 0) return (_req, _res, next) => next();
  const allowCors = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && matchers.some((matches) => matches(origin)) ? origin : false),
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: [REQUEST_ID_HEADER],
    maxAge: CORS_MAX_AGE_SECONDS,
    credentials: false,
    optionsSuccessStatus: 204,
  });
  return (req: Request, res: Response, next: NextFunction) => {
    // The answer depends on the Origin even when it carries no CORS header: a cache must keep them apart.
    res.vary('Origin');
    allowCors(req, res, next);
  };
}
