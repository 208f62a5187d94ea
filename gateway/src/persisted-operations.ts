import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { parse, print, type OperationDefinitionNode } from 'graphql';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';

export const MANIFEST_FILE = 'persisted-operations.json';

export interface PersistedOperation {
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

export interface Manifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: PersistedOperation[];
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The canonical text of a document: printed by graphql-js, without comments or layout. */
export function canonicalDocument(text: string): string {
  return print(parse(text));
}

/** The contract operations as a manifest, in file-name order, each in its canonical text. */
export function buildManifest(root: string): Manifest {
  const dir = join(root, 'contract');
  const operations = readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => {
      const body = canonicalDocument(readFileSync(join(dir, file), 'utf8'));
      const definition = parse(body).definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
      if (!definition?.name) throw new Error(`${file} has no named operation`);
      return { id: sha256(body), name: definition.name.value, type: definition.operation, body };
    });
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

export function loadManifest(root: string): Manifest {
  const file = join(root, MANIFEST_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Manifest) : { format: 'apollo-persisted-query-manifest', version: 1, operations: [] };
}

/**
 * The persisted-query store: the manifest's operations, always known by id, and (unless the
 * gateway is safelisted) the ones clients register with automatic persisted queries.
 */
export function persistedQueryCache(manifest: Manifest, safelist: boolean): KeyValueCache<string> {
  const known = new Map(manifest.operations.map((operation) => [operation.id, operation.body]));
  const registered = new InMemoryLRUCache<string>({ maxSize: 10 * 1024 * 1024 });
  const hashOf = (key: string) => key.replace(/^apq:/, '');
  return {
    get: async (key) => known.get(hashOf(key)) ?? (safelist ? undefined : registered.get(key)),
    set: async (key, value, options) => {
      if (!safelist) await registered.set(key, value, options);
    },
    delete: async (key) => {
      await registered.delete(key);
    },
  };
}

/**
 * With safelisting on, a request whose document is not in the manifest is refused before GraphQL
 * sees it, whatever its comments and layout. A request by id alone needs no check: under
 * safelisting only the manifest's ids resolve.
 */
export function safelist(manifest: Manifest) {
  const allowed = new Set(manifest.operations.map((operation) => operation.id));
  const isPublished = (query: string) => {
    try {
      return allowed.has(sha256(canonicalDocument(query)));
    } catch {
      return false;
    }
  };
  return (req: Request, res: Response, next: NextFunction) => {
    const query = (req.body as { query?: unknown } | undefined)?.query ?? req.query.query;
    if (typeof query === 'string' && !isPublished(query)) {
      res.status(400).json({
        errors: [
          {
            message: 'Only the published operations are accepted here: send one of the persisted operations by its id.',
            extensions: { code: 'PERSISTED_QUERY_NOT_IN_SAFELIST' },
          },
        ],
      });
      return;
    }
    next();
  };
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * A persisted-query extension that Apollo Server would refuse without a code (another version, a
 * hash that does not match the query sent, an extension that is not an object) is refused here
 * first, as the caller's mistake, naming what is wrong.
 */
export function persistedQueryShape() {
  return (req: Request, res: Response, next: NextFunction) => {
    const refuse = (message: string, field: string) => {
      res.status(400).json({ errors: [{ message, extensions: { code: 'BAD_REQUEST', field } }] });
    };
    const body = (req.body ?? {}) as { query?: unknown; extensions?: unknown };
    let extensions = req.method === 'GET' ? req.query.extensions : body.extensions;
    if (typeof extensions === 'string' && req.method === 'GET') {
      try {
        extensions = JSON.parse(extensions);
      } catch {
        return refuse('extensions must be a JSON object.', 'extensions');
      }
    }
    if (extensions === undefined || extensions === null) return next();
    if (typeof extensions !== 'object' || Array.isArray(extensions)) return refuse('extensions must be an object.', 'extensions');
    const persisted = (extensions as { persistedQuery?: unknown }).persistedQuery;
    if (persisted === undefined || persisted === null) return next();
    if (typeof persisted !== 'object' || Array.isArray(persisted)) {
      return refuse('extensions.persistedQuery must be an object: { "version": 1, "sha256Hash": "<64 hex digits>" }.', 'extensions.persistedQuery');
    }
    const { version, sha256Hash } = persisted as { version?: unknown; sha256Hash?: unknown };
    if (version !== 1) {
      return refuse(`Only version 1 of persisted queries is served; extensions.persistedQuery.version was ${JSON.stringify(version) ?? 'absent'}.`, 'extensions.persistedQuery.version');
    }
    if (typeof sha256Hash !== 'string' || !SHA256_HEX.test(sha256Hash)) {
      return refuse('extensions.persistedQuery.sha256Hash must be 64 lower-case hexadecimal digits.', 'extensions.persistedQuery.sha256Hash');
    }
    const query = req.method === 'GET' ? req.query.query : body.query;
    if (typeof query === 'string' && sha256(query) !== sha256Hash) {
      return refuse('extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it.', 'extensions.persistedQuery.sha256Hash');
    }
    next();
  };
}
