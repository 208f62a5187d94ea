import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode, isClientError } from './errors';

/**
 * What a client sees of an error. Its own mistakes (bad input, validation, a missing record) come
 * with their message and stable code. Anything else is the service's: in production only a
 * generic message and the request id that the logs also carry, never SQL, a stack or the name of
 * a subgraph.
 */
export function maskingFormatError(production: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    const clientMistake =
      isClientError(error) ||
      code === ErrorCode.BAD_USER_INPUT ||
      code === 'GRAPHQL_VALIDATION_FAILED' ||
      code === 'GRAPHQL_PARSE_FAILED' ||
      code === 'BAD_REQUEST' ||
      code === 'PERSISTED_QUERY_NOT_FOUND' ||
      code === 'PERSISTED_QUERY_NOT_SUPPORTED';
    if (clientMistake && typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      if (!production) return formatted;
      const { field, requestId, cost, maxCost } = formatted.extensions ?? {};
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code, field, requestId, cost, maxCost } };
    }
    if (!production && code !== ErrorCode.INTERNAL_SERVER_ERROR && code !== undefined) return formatted;
    return {
      message: 'Internal server error.',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId: formatted.extensions?.requestId },
    };
  };
}
