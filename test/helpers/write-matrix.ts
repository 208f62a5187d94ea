import type { Client } from 'pg';
import type { SubgraphName } from '../../shared/src/config';
import type { AccessRole, Tier } from '../../shared/src/viewer';
import { expectNoErrors, expectRefused } from './expectations';
import type { Stack } from './stack';

/**
 * The write-ownership harness: "who may change what". A case names a mutation, the tier that
 * owns the record it changes, how to build the request for a caller, and what each caller
 * relation to that record must get. Every refusal is checked in PostgreSQL over a real
 * connection: no row of the subgraph's schema changed and no audit row was written.
 */

export type Outcome = 'ALLOWED' | 'FORBIDDEN' | 'NOT_FOUND';
export type OwnerTier = Tier;

/** A caller's place: its tier, its root region and, for a BRANCH, its organization. */
export interface Place {
  tier: Tier;
  regionCode: string;
  organizationId?: string;
}

/**
 * The places the relations are drawn from, all around one record: its county, the city and
 * province above, a sibling county of the same city, another city, and three branches of the
 * county: the one the record concerns (own), one it does not (other), and one hosting a member
 * the record names as a temporary participant (临时组织生活, host).
 */
export interface World {
  province: Place;
  city: Place;
  county: Place;
  siblingCounty: Place;
  otherCity: Place;
  ownBranch: Place;
  otherBranch: Place;
  hostBranch: Place;
}

/** How a caller stands to the record a write changes. */
export type RelationName =
  | 'owner’s tier'
  | 'tier above: county'
  | 'tier above: city'
  | 'tier above: province'
  | 'tier below: city'
  | 'tier below: county'
  | 'sibling county'
  | 'another city'
  | 'BRANCH: own organization'
  | 'BRANCH: other organization'
  | 'BRANCH: temporary host'
  | 'VIEWER at the owner’s tier'
  | 'EDITOR at the owner’s tier';

/** A caller relation to the record's owner: where the caller sits and with which role. */
export interface Relation {
  name: RelationName;
  place: Place;
  role: AccessRole;
}

const OWNER_PLACE: Record<OwnerTier, keyof World> = { PROVINCE: 'province', CITY: 'city', COUNTY: 'county', BRANCH: 'ownBranch' };

/** The relations to a record owned at `owner`, in a fixed order; `role` is what the owner needs (editor, or admin). */
export function relationNames(owner: OwnerTier, role: AccessRole = 'editor'): RelationName[] {
  const above: RelationName[] = {
    BRANCH: ['tier above: county', 'tier above: city', 'tier above: province'] as RelationName[],
    COUNTY: ['tier above: city', 'tier above: province'] as RelationName[],
    CITY: ['tier above: province'] as RelationName[],
    PROVINCE: [] as RelationName[],
  }[owner];
  const below: RelationName[] = owner === 'PROVINCE' ? ['tier below: city', 'tier below: county'] : owner === 'CITY' ? ['tier below: county'] : [];
  const branches: RelationName[] = owner === 'BRANCH' ? ['BRANCH: other organization', 'BRANCH: temporary host'] : ['BRANCH: own organization', 'BRANCH: other organization', 'BRANCH: temporary host'];
  const weaker: RelationName[] = role === 'admin' ? ['EDITOR at the owner’s tier', 'VIEWER at the owner’s tier'] : ['VIEWER at the owner’s tier'];
  return ['owner’s tier', ...above, ...below, 'sibling county', 'another city', ...branches, ...weaker];
}

export function relationOf(name: RelationName, owner: OwnerTier, world: World, role: AccessRole = 'editor'): Relation {
  const places: Record<RelationName, Place> = {
    'owner’s tier': world[OWNER_PLACE[owner]],
    'tier above: county': world.county,
    'tier above: city': world.city,
    'tier above: province': world.province,
    'tier below: city': world.city,
    'tier below: county': world.county,
    'sibling county': world.siblingCounty,
    'another city': world.otherCity,
    'BRANCH: own organization': world.ownBranch,
    'BRANCH: other organization': world.otherBranch,
    'BRANCH: temporary host': world.hostBranch,
    'VIEWER at the owner’s tier': world[OWNER_PLACE[owner]],
    'EDITOR at the owner’s tier': world[OWNER_PLACE[owner]],
  };
  const roleOf: AccessRole = name === 'VIEWER at the owner’s tier' ? 'viewer' : name === 'EDITOR at the owner’s tier' ? 'editor' : role;
  return { name, place: places[name], role: roleOf };
}

/** One mutation on one kind of record, for every relation. */
export interface WriteCase {
  /** The mutation's field, optionally followed by words telling this case from another of the same mutation. */
  mutation: string;
  subgraph: SubgraphName;
  /** The record the mutation changes, in words. */
  record: string;
  owner: OwnerTier;
  /** The role the owner needs; editor unless said. */
  role?: AccessRole;
  /** Prepares a fresh record (never one an earlier cell changed) and returns the request to send. */
  build: (relation: Relation) => Promise<{ query: string; variables: Record<string, unknown> }>;
  /** What a caller in the relation must get; `undefined` leaves the relation out for this case. */
  expected: (relation: RelationName) => Outcome | undefined;
}

/** Who gets what, by relation: `allowed` lists the relations that may write, `notFound` those the record is invisible to; the rest are refused. */
export function outcomes(allowed: RelationName[], notFound: RelationName[]): (relation: RelationName) => Outcome {
  return (name) => (allowed.includes(name) ? 'ALLOWED' : notFound.includes(name) ? 'NOT_FOUND' : 'FORBIDDEN');
}

/** Tables that change without any write of records: bookkeeping, skipped by the snapshot. */
const BOOKKEEPING = ['migrations', 'organization_register_cursor', 'institution_register_cursor'];

/**
 * Every table of a subgraph's schema, audit_log included, as row count and the newest row
 * version (xmin): an insert, update or delete committed anywhere in the table changes one of the
 * two, even one that writes back the same values, while a lock taken and released
 * (SELECT … FOR UPDATE) changes neither.
 */
export async function snapshot(db: Client, schema: string): Promise<Record<string, string>> {
  const { rows: tables } = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND NOT (table_name = ANY($2)) ORDER BY 1`,
    [schema, BOOKKEEPING],
  );
  const parts = tables.map((t) => `SELECT '${t.name}' AS name, count(*) || '/' || coalesce(max(xmin::text::bigint), 0) AS state FROM "${schema}"."${t.name}"`);
  const { rows } = await db.query<{ name: string; state: string }>(parts.join(' UNION ALL '));
  return Object.fromEntries(rows.map((row) => [row.name, row.state]));
}

export async function auditRows(db: Client, schema: string): Promise<number> {
  return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".audit_log`)).rows[0].n;
}

/** Runs one cell of the matrix and checks its outcome: allowed with an audit row, or refused with the expected code and nothing written. */
export async function checkWrite(stack: Stack, db: Client, c: WriteCase, relation: Relation, token: string): Promise<void> {
  const { query, variables } = await c.build(relation);
  const expected = c.expected(relation.name);
  const field = c.mutation.split(' ')[0];
  // Fixtures written with SQL are announced to the read caches; forgetting now spares waiting for it.
  stack.forgetCachedReads();
  const before = await snapshot(db, c.subgraph);
  const auditBefore = await auditRows(db, c.subgraph);
  const answer = await stack.request<Record<string, unknown>>(query, variables, token);
  const after = await snapshot(db, c.subgraph);
  const auditAfter = await auditRows(db, c.subgraph);
  // An import answers a report: a row it refuses is a row error, with the code the mutation's error would carry.
  const report = importReportOf(answer.body.data?.[field]);
  if (report && !answer.body.errors?.length) {
    if (expected === 'ALLOWED') {
      expect(report.errors).toEqual([]);
      expect(auditAfter).toBeGreaterThan(auditBefore);
      return;
    }
    expect(report.errors[0]).toMatchObject({ code: expected });
    if (expected === 'NOT_FOUND') expect(report.errors[0].message).toMatch(/was not found\.$/);
    expect(auditAfter).toBe(auditBefore);
    expect(after).toEqual(before);
    return;
  }
  if (expected === 'ALLOWED') {
    expect(expectNoErrors(answer)[field]).toBeTruthy();
    expect(auditAfter).toBeGreaterThan(auditBefore);
    return;
  }
  expect(answer.body.data?.[field] ?? null).toBeNull();
  // A record outside the tier reads exactly like a missing one: the message names what was asked for, nothing more.
  expectRefused(answer, expected!, expected === 'NOT_FOUND' ? { message: /^[\w ]+ \S+ was not found\.$/ } : {});
  expect(auditAfter).toBe(auditBefore);
  expect(after).toEqual(before);
}

function importReportOf(answer: unknown): { errors: { code: string; field: string | null; message: string }[] } | undefined {
  return answer && typeof answer === 'object' && Array.isArray((answer as { errors?: unknown }).errors)
    ? (answer as { errors: { code: string; field: string | null; message: string }[] })
    : undefined;
}

/** Tokens per place and role, signed once. */
export function tokenCache(stack: () => Stack) {
  const tokens = new Map<string, Promise<string>>();
  return (relation: Relation) => {
    const { place, role } = relation;
    const key = `${place.tier}|${place.regionCode}|${place.organizationId ?? ''}|${role}`;
    if (!tokens.has(key)) {
      tokens.set(key, stack().token({ tier: place.tier, regionCode: place.regionCode, organizationId: place.organizationId ?? null, roles: [role], subject: `matrix-${key}` }));
    }
    return tokens.get(key)!;
  };
}

/**
 * Defines one test per case and relation, named after the mutation, the record, the relation and
 * the outcome. The cases are listed when the file loads; their records are prepared when each
 * cell runs, in the world `env` gives once the stack is up.
 */
export function describeWriteMatrix(title: string, cases: WriteCase[], env: () => { stack: Stack; db: Client; world: World }): void {
  describe(title, () => {
    const token = tokenCache(() => env().stack);
    describe.each(cases)('$mutation on $record (owned by $owner)', (c) => {
      const cells = relationNames(c.owner, c.role).flatMap((name) => {
        const expected = c.expected(name);
        return expected ? [[name, expected] as const] : [];
      });
      it.each(cells)('%s: %s', async (name) => {
        const relation = relationOf(name, c.owner, env().world, c.role);
        await checkWrite(env().stack, env().db, c, relation, await token(relation));
      });
    });
  });
}
