import type { Client } from 'pg';
import type { TokenClaims } from '../../shared/src/auth';
import type { SubgraphName } from '../../shared/src/config';
import type { Stack } from './stack';

/**
 * A generic harness for "who may change what": every mutation is tried by callers standing in
 * each relation to the record it changes, and each answer is checked against the owner rule. A
 * refused write must leave the subgraph's schema exactly as it was (every table, counters and
 * `audit_log` included), compared in PostgreSQL over a real connection.
 */

/** How a caller stands to the record a write changes. */
export type RelationName =
  | 'owner editor'
  | 'city above'
  | 'province above'
  | 'county below'
  | 'sibling county'
  | 'other city'
  | 'branch own'
  | 'branch other'
  | 'branch temporary host'
  | 'owner viewer';

export const RELATION_NAMES: readonly RelationName[] = [
  'owner editor',
  'city above',
  'province above',
  'county below',
  'sibling county',
  'other city',
  'branch own',
  'branch other',
  'branch temporary host',
  'owner viewer',
];

export type Outcome = 'ALLOWED' | 'FORBIDDEN' | 'NOT_FOUND';

/** The tier whose editors own a case's record. */
export type OwnerTier = 'COUNTY' | 'CITY';

/**
 * Where the records of a matrix live: the owner's county (or city), its neighbours, and three
 * branches of that county: the one holding the member's formal relation, another, and one the
 * member takes part in temporarily (临时组织生活).
 */
export interface Geography {
  county: string;
  siblingCounty: string;
  city: string;
  otherCity: string;
  ownOrganizationId: string;
  otherOrganizationId: string;
  hostOrganizationId: string;
}

export type Claims = Pick<TokenClaims, 'tier' | 'regionCode'> & Partial<TokenClaims>;

export interface Relation {
  name: RelationName;
  claims: Claims;
}

/** The callers of each relation to a record owned by a county (or a city) of `g`; a relation that does not exist is left out. */
export function relationsFor(owner: OwnerTier, g: Geography): Relation[] {
  const editor = ['editor'] as TokenClaims['roles'];
  const branch = (organizationId: string): Claims => ({ tier: 'BRANCH', regionCode: g.county, organizationId, roles: editor });
  const ownerClaims: Claims = owner === 'COUNTY' ? { tier: 'COUNTY', regionCode: g.county } : { tier: 'CITY', regionCode: g.city };
  const relations: Partial<Record<RelationName, Claims>> = {
    'owner editor': { ...ownerClaims, roles: editor },
    'city above': owner === 'COUNTY' ? { tier: 'CITY', regionCode: g.city, roles: editor } : undefined,
    'province above': { tier: 'PROVINCE', regionCode: '210000', roles: editor },
    'county below': owner === 'CITY' ? { tier: 'COUNTY', regionCode: g.county, roles: editor } : undefined,
    'sibling county': owner === 'COUNTY' ? { tier: 'COUNTY', regionCode: g.siblingCounty, roles: editor } : undefined,
    'other city': { tier: 'CITY', regionCode: g.otherCity, roles: editor },
    'branch own': branch(g.ownOrganizationId),
    'branch other': branch(g.otherOrganizationId),
    'branch temporary host': branch(g.hostOrganizationId),
    'owner viewer': { ...ownerClaims, roles: ['viewer'] },
  };
  return RELATION_NAMES.filter((name) => relations[name]).map((name) => ({
    name,
    claims: { subject: `matrix-${name.replaceAll(' ', '-')}`, ...relations[name]! },
  }));
}

/** One mutation of the matrix: how to prepare a fresh record and the request, and what each relation gets. */
export interface WriteCase {
  mutation: string;
  subgraph: SubgraphName;
  owner: OwnerTier;
  /** Prepares a fresh record for this caller (never one an earlier case changed) and the request to send. */
  build(relation: Relation): Promise<{ query: string; variables: Record<string, unknown> }>;
  /** What the caller must get; `undefined` leaves the relation out for this mutation. */
  expected(relation: Relation): Outcome | undefined;
}

/** A fingerprint of every table of a schema: row count and an order-independent hash of its rows. */
export type Snapshot = Record<string, { rows: number; hash: string }>;

export async function snapshotSchema(db: Client, schema: string): Promise<Snapshot> {
  const { rows: tables } = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
    [schema],
  );
  const snapshot: Snapshot = {};
  for (const { table_name: table } of tables) {
    const quoted = `${escapeIdentifier(schema)}.${escapeIdentifier(table)}`;
    const { rows } = await db.query<{ rows: number; hash: string }>(
      `SELECT count(*)::int AS rows, coalesce(sum(hashtextextended(t::text, 0)::numeric), 0)::text AS hash FROM ${quoted} t`,
    );
    snapshot[table] = rows[0];
  }
  return snapshot;
}

export async function auditRows(db: Client, schema: string): Promise<number> {
  const { rows } = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${escapeIdentifier(schema)}.audit_log`);
  return rows[0].count;
}

function escapeIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export interface Attempt {
  outcome: Outcome | string;
  errors: any[] | undefined;
  data: any;
  before: Snapshot;
  after: Snapshot;
  auditBefore: number;
  auditAfter: number;
}

/** Prepares the case for the relation, sends the mutation as that caller and fingerprints the subgraph's schema around it. */
export async function attempt(stack: Stack, db: Client, writeCase: WriteCase, relation: Relation): Promise<Attempt> {
  const { query, variables } = await writeCase.build(relation);
  // Fixtures written with SQL are announced to the read caches; forgetting now spares waiting for it.
  stack.forgetCachedReads();
  const token = await stack.token(relation.claims);
  const before = await snapshotSchema(db, writeCase.subgraph);
  const auditBefore = await auditRows(db, writeCase.subgraph);
  const { body } = await stack.request(query, variables, token);
  const after = await snapshotSchema(db, writeCase.subgraph);
  const auditAfter = await auditRows(db, writeCase.subgraph);
  // An import answers a report: a row it refuses is a row error, with the code the mutation's error would carry.
  const rowErrors = importReportOf(body.data)?.errors;
  const errors = body.errors?.length ? body.errors : rowErrors?.length ? rowErrors.map((e) => ({ message: e.message, extensions: { code: e.code, field: e.field } })) : undefined;
  const outcome = errors ? String(errors[0].extensions?.code ?? 'NO CODE') : 'ALLOWED';
  return { outcome, errors, data: body.data, before, after, auditBefore, auditAfter };
}

function importReportOf(data: any): { errors: { code: string; field: string | null; message: string }[] } | undefined {
  const answer = data && Object.values(data)[0];
  return answer && typeof answer === 'object' && Array.isArray((answer as { errors?: unknown }).errors) ? (answer as { errors: { code: string; field: string | null; message: string }[] }) : undefined;
}

/** Asserts one cell of the matrix: allowed with an audit row, or refused with the expected code and nothing written. */
export function expectOutcome(result: Attempt, expected: Outcome): void {
  if (expected === 'ALLOWED') {
    expect(result.errors).toBeUndefined();
    expect(result.auditAfter).toBeGreaterThan(result.auditBefore);
    return;
  }
  expect({ outcome: result.outcome, message: result.errors?.[0]?.message }).toMatchObject({ outcome: expected });
  expect(result.after).toEqual(result.before);
  expect(result.auditAfter).toBe(result.auditBefore);
}
