import type { GraphQLErrorBody, GraphQLResponse } from './stack';

/**
 * What a caller checks in an answer, said once: it succeeded and here is its data, or it was
 * refused with a stable `extensions.code`, naming the field at fault, without a stack trace.
 */

/** An answer as the test holds it: from `stack.request`, or from `answerOf` for a raw fetch; or only its body, where the status does not matter. */
export type Answer<T = unknown> = Pick<GraphQLResponse<T>, 'status' | 'body'> | GraphQLResponse<T>['body'];

function bodyOf<T>(answer: Answer<T>): GraphQLResponse<T>['body'] {
  return 'status' in answer && 'body' in answer ? answer.body : (answer as GraphQLResponse<T>['body']);
}

/**
 * An answer's data as a test reads it: present all the way down. A field the operation does not
 * select does not compile; a field the answer left null fails the test where it is read, as it
 * would with `any`.
 */
export type Present<T> = 0 extends 1 & T
  ? any
  : T extends readonly (infer E)[]
    ? Present<E>[]
    : T extends object
      ? { [K in keyof T]-?: Present<NonNullable<T[K]>> }
      : NonNullable<T>;

export interface RefusalDetails {
  /** `extensions.field`: the argument or input field the caller got wrong. */
  field?: string;
  /** The error's path in the answer. */
  path?: (string | number)[];
  /** The whole message, or a pattern it matches. */
  message?: string | RegExp;
  /** A text the message contains. */
  messageIncludes?: string;
}

/** Asserts the answer succeeded (HTTP 200 where the status is known, no error, data present) and returns its data. */
export function expectNoErrors<T>(answer: Pick<GraphQLResponse<T>, 'status' | 'body'>): Present<T>;
export function expectNoErrors<T>(body: GraphQLResponse<T>['body']): Present<T>;
export function expectNoErrors<T>(answer: Answer<T>): Present<T> {
  const body = bodyOf(answer);
  if ('status' in answer && 'body' in answer) expect({ status: answer.status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
  else expect(body.errors).toBeUndefined();
  expect(body.data).toEqual(expect.anything());
  return body.data as Present<T>;
}

/**
 * Asserts the answer carries data and returns it, for an answer whose errors the test examines
 * itself (a field refused beside others served).
 */
export function expectData<T>(answer: Pick<GraphQLResponse<T>, 'status' | 'body'>): Present<T>;
export function expectData<T>(body: GraphQLResponse<T>['body']): Present<T>;
export function expectData<T>(answer: Answer<T>): Present<T> {
  const data = bodyOf(answer).data;
  expect(data).toEqual(expect.anything());
  return data as Present<T>;
}

/**
 * Asserts the answer's first error is a refusal with `code` (and the field, path and message
 * given), that it carries no stack trace, and returns the error for any further check.
 */
export function expectRefused(answer: Answer, code: string, details: RefusalDetails = {}): GraphQLErrorBody {
  const error = bodyOf(answer).errors?.[0];
  const expected: Record<string, unknown> = { extensions: details.field === undefined ? { code } : { code, field: details.field } };
  if (details.path) expected.path = details.path;
  expect(error).toMatchObject(expected);
  expect(error!.extensions).not.toHaveProperty('stacktrace');
  // What was refused answers null, never a partial record.
  let refused: unknown = bodyOf(answer).data;
  for (const key of error!.path ?? []) refused = (refused as Record<string | number, unknown> | null | undefined)?.[key];
  if (error!.path) expect(refused ?? null).toBeNull();
  if (typeof details.message === 'string') expect(error!.message).toBe(details.message);
  else if (details.message) expect(error!.message).toMatch(details.message);
  if (details.messageIncludes !== undefined) expect(error!.message).toContain(details.messageIncludes);
  return error!;
}

/** Asserts a refusal at the HTTP level: the status and the first error's code, as a caller's client sees them. */
export function expectHttpRefusal(answer: Pick<GraphQLResponse, 'status' | 'body'>, status: number, code: string, details: RefusalDetails = {}): GraphQLErrorBody {
  expect({ status: answer.status, code: answer.body.errors?.[0]?.extensions?.code }).toEqual({ status, code });
  return expectRefused(answer, code, details);
}

/** The `extensions.code` of every error of the answer, in order; empty when it succeeded. */
export function errorCodes(answer: Answer): (string | undefined)[] {
  return (bodyOf(answer).errors ?? []).map((error) => error.extensions?.code);
}

/** A raw fetch's answer read as GraphQL, for requests the stack's client cannot send (odd bodies, methods, headers). */
export async function answerOf(response: Response): Promise<GraphQLResponse> {
  const text = await response.text();
  let body: GraphQLResponse['body'];
  try {
    body = text ? (JSON.parse(text) as GraphQLResponse['body']) : {};
  } catch {
    body = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
  }
  return { status: response.status, body };
}
