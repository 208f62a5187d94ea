import { GraphQLError } from 'graphql';

/** The stable `extensions.code` values a client can rely on. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

function error(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** The input breaks a rule; `field` names the argument or input field at fault. */
export function badUserInput(message: string, field?: string): GraphQLError {
  return error(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
}

export function unauthenticated(message = 'A valid bearer token is required.'): GraphQLError {
  return error(ErrorCode.UNAUTHENTICATED, message);
}

export function forbidden(message: string): GraphQLError {
  return error(ErrorCode.FORBIDDEN, message);
}

/**
 * The record does not exist, or lies outside the caller's tier: the two are deliberately
 * indistinguishable, so the message names only what was asked for.
 */
export function notFound(what: string, id: string, field?: string): GraphQLError {
  return error(ErrorCode.NOT_FOUND, `${what} ${id} was not found.`, field ? { field } : {});
}

/** The request is valid but clashes with the current state (a duplicate, a full branch, ...). */
export function conflict(message: string): GraphQLError {
  return error(ErrorCode.CONFLICT, message);
}

export function isClientError(err: unknown): boolean {
  const code = (err as GraphQLError | undefined)?.extensions?.code;
  return typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR;
}
