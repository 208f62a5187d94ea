import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { ErrorCode } from './errors';
import { isCalendarDate, isTimestamp } from './validation';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * What makes a string unstorable, or null when it is fine: PostgreSQL refuses a NUL character,
 * and half of a surrogate pair would be written as U+FFFD, silently changing what was sent.
 */
export function stringProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain a NUL character';
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode text';
  return null;
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isCalendarDate(value)) {
    throw new GraphQLError(`Date must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(value)}.`, {
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    });
  }
  return value;
}

function parseTimestamp(value: unknown): string {
  if (typeof value !== 'string' || !isTimestamp(value)) {
    throw new GraphQLError('DateTime must be an ISO 8601 timestamp with its zone, e.g. 2019-12-01T09:30:00Z.', { extensions: { code: ErrorCode.BAD_USER_INPUT } });
  }
  return value;
}

/** A calendar date, `YYYY-MM-DD`, with no time or zone: dates of the domain are days in China. */
export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date, `YYYY-MM-DD`.',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : parseDate(value)),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

/** A moment in time, written as ISO 8601 with its zone. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO 8601 timestamp with its time zone, e.g. `2019-12-01T09:30:00.000Z`.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()),
  parseValue: parseTimestamp,
  parseLiteral: (ast) => parseTimestamp(ast.kind === Kind.STRING ? ast.value : undefined),
});

/** Any JSON value, passed through as it is: records before and after a write. */
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value: a record as it was before or after a write.',
  serialize: (value) => value,
  parseValue: (value) => value,
});
