import type { NextFunction, Request, Response } from 'express';
import type { Logger } from './logger';

/**
 * Errors raised before GraphQL sees a request (a body too large, malformed JSON, an unknown
 * charset) answered as GraphQL errors with their HTTP status, never as an HTML page or a stack.
 */
export function httpErrorHandler(log: Logger) {
  return (err: { status?: number; statusCode?: number; type?: string; message?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = err.status ?? err.statusCode ?? 500;
    if (status >= 500) log.error({ err }, 'request failed before GraphQL');
    const message =
      status === 413 ? 'The request body is too large.'
      : status === 415 ? 'The request body must be JSON in UTF-8.'
      : status < 500 ? 'The request body is not valid JSON.'
      : 'Internal server error.';
    res.status(status).json({ errors: [{ message, extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } }] });
  };
}
