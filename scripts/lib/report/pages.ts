import type { PagedOperation } from '../../../shared/src/report/connection';

/** The largest page the gateway serves by default (SANJI_MAX_PAGE_SIZE). */
export const DEFAULT_PAGE_SIZE = 100;

interface GraphQLAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

interface Connection {
  totalCount?: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: unknown }[];
}

export interface Progress {
  rows: number;
  /** The connection's totalCount, when the operation selects it. */
  total: number | undefined;
}

/** An answer the export cannot use, said as the API said it. */
export class ExportError extends Error {}

async function ask(url: string, token: string, paged: PagedOperation, variables: Record<string, unknown>): Promise<GraphQLAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: paged.query, operationName: paged.operationName || undefined, variables }),
  });
  if (response.status === 401) throw new ExportError('the gateway refused the token (401): set SANJI_TOKEN to a valid token (`npm run --silent token -- ...` in development)');
  const text = await response.text();
  let answer: GraphQLAnswer;
  try {
    answer = JSON.parse(text) as GraphQLAnswer;
  } catch {
    throw new ExportError(`the gateway answered ${response.status} without GraphQL: ${text.slice(0, 200)}`);
  }
  if (answer.errors?.length) {
    throw new ExportError(answer.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}${e.extensions?.field ? ` (${e.extensions.field})` : ''}: ${e.message}`).join('\n'));
  }
  return answer;
}

/**
 * Every record of the operation's connection, page after page, each page asked with the last
 * one's end cursor. A connection that is null (a region outside the caller's tier reads as
 * missing) is an error, not an empty report.
 */
export async function fetchAllRecords(
  url: string,
  token: string,
  paged: PagedOperation,
  variables: Record<string, unknown>,
  onPage: (progress: Progress) => void = () => undefined,
): Promise<{ records: unknown[]; total: number | undefined }> {
  const records: unknown[] = [];
  const seen = new Set<string>();
  let after: string | null = (variables[paged.cursorVariable] as string | null | undefined) ?? null;
  let total: number | undefined;
  for (;;) {
    const pageVariables = { ...variables, [paged.cursorVariable]: after };
    if (paged.pageSizeVariable && pageVariables[paged.pageSizeVariable] == null) pageVariables[paged.pageSizeVariable] = DEFAULT_PAGE_SIZE;
    const answer = await ask(url, token, paged, pageVariables);
    let value: unknown = answer.data;
    for (const key of paged.connectionPath) value = value === null || value === undefined ? undefined : (value as Record<string, unknown>)[key];
    if (!value) throw new ExportError(`nothing at ${paged.connectionPath.join('.')}: it does not exist, or it is outside your tier`);
    const connection = value as Connection;
    total = connection.totalCount ?? total;
    for (const edge of connection.edges) records.push(edge.node);
    onPage({ rows: records.length, total });
    const next = connection.pageInfo.endCursor;
    if (!connection.pageInfo.hasNextPage || !next) break;
    if (seen.has(next)) throw new ExportError(`the connection gave the cursor ${next} twice: stopping rather than looping`);
    seen.add(next);
    after = next;
  }
  return { records, total };
}
