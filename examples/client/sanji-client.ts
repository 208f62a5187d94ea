/**
 * A typed Sanji client for another service to copy: each contract operation is a typed document
 * (generated.ts, from `npm run codegen`), so results and variables are checked at compile time.
 * It sends operations by their persisted id when the gateway knows them, and the full document
 * otherwise (automatic persisted queries), so it works with safelisting on.
 */
import { createHash } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

export interface SanjiErrorDetail {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string; requestId?: string };
}

/** The gateway answered with errors; `code` is the first error's stable `extensions.code`. */
export class SanjiError extends Error {
  readonly code: string | undefined;

  constructor(
    readonly status: number,
    readonly errors: SanjiErrorDetail[],
  ) {
    super(errors.map((error) => error.message).join('; ') || `HTTP ${status}`);
    this.code = errors[0]?.extensions?.code;
  }
}

export class SanjiClient {
  /**
   * @param url the gateway's GraphQL endpoint, e.g. `http://sanji:4000/graphql`
   * @param token a function giving the service's current bearer token
   */
  constructor(
    private readonly url: string,
    private readonly token: () => string | Promise<string>,
  ) {}

  async request<Result, Variables extends Record<string, unknown>>(document: TypedDocumentNode<Result, Variables>, variables: Variables): Promise<Result> {
    // The printed document is the canonical text whose hash is the operation's persisted id.
    const query = print(document);
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const persisted = { persistedQuery: { version: 1, sha256Hash } };
    let answer = await this.send({ variables, extensions: persisted });
    if (answer.body.errors?.[0]?.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND') {
      answer = await this.send({ query, variables, extensions: persisted });
    }
    const { status, body } = answer;
    if (body.errors?.length || !body.data) throw new SanjiError(status, body.errors ?? []);
    return body.data as Result;
  }

  private async send(payload: Record<string, unknown>): Promise<{ status: number; body: { data?: unknown; errors?: SanjiErrorDetail[] } }> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.token()}` },
      body: JSON.stringify(payload),
    });
    return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: SanjiErrorDetail[] } };
  }
}
