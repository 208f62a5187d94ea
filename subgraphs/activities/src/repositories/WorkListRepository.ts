import type { DataSource } from 'typeorm';
import type { Connection, Edge } from '../../../../shared/src/pagination';
import { readingFacets, type Facets } from '../../../../shared/src/facets';
import { regionScopeSql, regionSubtreeSql, SqlParams } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';
import type { ActivityKind, CheckpointStage, Frequency } from '../entities';
import { NATIONAL_CODE, ORGANIZATIONAL_LIFE_KINDS, OWING_ORGANIZATION_KINDS, PERIOD_MONTHS } from '../rules';
import { scopeSql } from './scope';

/** One page of a work list and how many items the whole list has. */
export interface WorkListPage<T> {
  rows: T[];
  totalCount: number;
}

export interface OrganizationalLifeShortfall {
  kind: ActivityKind;
  frequency: Frequency;
  required: number;
  periodsMet: number;
  /** The periods owed and missed, numbered from 1 within the year (month, quarter, half or 1). */
  missedPeriods: number[];
}

export interface OrganizationalLifeGapRow {
  organizationId: string;
  /** The last day of the earliest period missed: how long the gap has been open. */
  firstMissedDueOn: string;
  periodsMissed: number;
  kinds: OrganizationalLifeShortfall[];
}

export interface InstitutionWithoutVisitRow {
  institutionId: string;
  lastVisitedOn: string | null;
  /** The day the visit became due: the last visit's (or, never visited, the approval's) anniversary of `sinceMonths`; null when neither is known. */
  visitDueOn: string | null;
}

export interface MissingCheckpointRow {
  institutionId: string;
  missingStages: CheckpointStage[];
}

export type OrganizationalLifeGapConnection = Connection<OrganizationalLifeGapRow>;
export type OrganizationalLifeGapEdge = Edge<OrganizationalLifeGapRow>;
export type InstitutionWithoutVisitConnection = Connection<InstitutionWithoutVisitRow>;
export type InstitutionWithoutVisitEdge = Edge<InstitutionWithoutVisitRow>;
export type MissingCheckpointConnection = Connection<MissingCheckpointRow>;
export type MissingCheckpointEdge = Edge<MissingCheckpointRow>;

/** Sort keys of the work lists, as cursors carry them. */
export const gapSortKey = (row: OrganizationalLifeGapRow) => [row.firstMissedDueOn, String(row.periodsMissed), row.organizationId];
export const visitSortKey = (row: InstitutionWithoutVisitRow) => [row.visitDueOn ?? NO_DATE, row.institutionId];
export const checkpointSortKey = (row: MissingCheckpointRow) => [String(row.missingStages.length), row.institutionId];

/** Sorts first among dates: an institution never visited whose approval day is unknown is the most overdue. */
const NO_DATE = '1000-01-01';

/**
 * The stations' work lists read in this subgraph: each one statement that finds the region's
 * candidates with the tier's scope in its WHERE clause. The candidates are the region's branches
 * or institutions, read by the region-code index; each is then one or a few index probes (a
 * branch's months held, all kinds at once, as the compliance counters keep them; an institution's
 * last visit; its checkpoints of the year), so a list costs what the region's branches or
 * institutions number, never what its activities do. The institution lists are counted and paged
 * in SQL; the branches' missed periods are reckoned, counted and paged here.
 */
export class WorkListRepository {
  constructor(private readonly db: DataSource) {}

  /** A statement that reads, of the tables announcing `facets`, rows of those values only (see `readingFacets`). */
  private readOnly<T>(facets: Facets, text: string, values: unknown[]): Promise<T> {
    return readingFacets(facets, () => this.db.query(text, values));
  }

  /**
   * Branches of the region owing organizational life in `year` with at least one owed period, of
   * any kind, without an activity of that kind (as `PartyOrganization.organizationalLife` reckons
   * it on `asOf`); the gap that has been open longest first, then the most periods missed.
   */
  async organizationalLifeGaps(
    regionCode: string,
    year: number,
    asOf: string,
    size: number,
    after: string[] | null,
    scope: Scope,
  ): Promise<WorkListPage<OrganizationalLifeGapRow>> {
    const p = new SqlParams();
    const y = `${p.add(year)}::int`;
    const yearEnd = `make_date(${y}, 12, 31)`;
    // The statement reads the rules in force and each owing branch's months held (one probe of the
    // compliance counters' key per branch); the periods missed are reckoned here, where the
    // arithmetic costs the subgraph microseconds instead of costing PostgreSQL a set function per line.
    // Of the counted tables it reads the year's lines only: another year's activities cannot change the list.
    // Each branch comes as an array, [id, founded on, kinds, months held], its kinds and months
    // as two arrays: building an object per branch and per kind cost PostgreSQL more than reading them.
    const [result]: { rules: OrganizationalLifeRule[]; branches: OwingBranchRow[] | null }[] = await this.readOnly(
      { year: [String(year)] },
      `SELECT (SELECT json_agg(json_build_object('kind', k.kind, 'frequency', r.frequency) ORDER BY k.ordinal)
                 FROM unnest(${p.add(ORGANIZATIONAL_LIFE_KINDS)}::text[]) WITH ORDINALITY AS k(kind, ordinal)
                CROSS JOIN LATERAL (
                      SELECT r.frequency FROM requirement r
                       WHERE r.kind = k.kind AND r.region_code IN (${p.add(`${regionCode.slice(0, 2)}0000`)}, '${NATIONAL_CODE}') AND r.from_year <= ${y}
                       ORDER BY r.region_code = '${NATIONAL_CODE}', r.from_year DESC
                       LIMIT 1) r) AS rules,
              (SELECT json_agg(json_build_array(o.organization_id, o.founded_on, held.kinds, held.months))
                 FROM registered_organization o
                 -- The months with an activity held, as the compliance counters' triggers keep them: one row per (branch, year, kind).
                 CROSS JOIN LATERAL (
                       SELECT array_agg(l.kind) AS kinds, array_agg(l.held_months) AS months FROM organizational_life_line l
                        WHERE l.organization_id = o.organization_id AND l.year = ${y}) held
                WHERE ${regionSubtreeSql(p, 'o.region_code', regionCode)} AND ${scopeSql.organization(p, 'o', scope)}
                  AND o.kind = ANY(${p.add(OWING_ORGANIZATION_KINDS)}::text[])
                  AND o.founded_on <= ${yearEnd} AND (o.dissolved_on IS NULL OR o.dissolved_on > ${yearEnd})) AS branches`,
      p.values,
    );
    const gaps = (result.branches ?? []).flatMap((row) => {
      const gap = organizationalLifeGap(owingBranch(row), result.rules ?? [], year, asOf);
      return gap ? [gap] : [];
    });
    gaps.sort(compareGaps);
    const start = after ? gaps.findIndex((gap) => compareGaps(gap, { firstMissedDueOn: after[0], periodsMissed: Number(after[1]), organizationId: after[2] }) > 0) : 0;
    return { rows: start < 0 ? [] : gaps.slice(start, start + size + 1), totalCount: gaps.length };
  }

  /**
   * Operating institutions of the region, approved by `asOf`, with no guidance visit held in the
   * `sinceMonths` months up to `asOf`; the visit overdue longest first (never visited: counted from
   * the approval), then by id.
   */
  async institutionsWithoutVisit(
    regionCode: string,
    sinceMonths: number,
    asOf: string,
    size: number,
    after: string[] | null,
    scope: Scope,
  ): Promise<WorkListPage<InstitutionWithoutVisitRow>> {
    const p = new SqlParams();
    const day = `${p.add(asOf)}::date`;
    const months = `make_interval(months => ${p.add(sinceMonths)}::int)`;
    const dueKey = `coalesce(n.visit_due_on, '${NO_DATE}'::date)`;
    const afterSql = after ? `WHERE (${dueKey}, n.institution_id) > (${p.add(after[0])}::date, ${p.add(after[1])}::uuid)` : '';
    // Of the activities it reads guidance visits only: a Party day or a lecture cannot change the list.
    const [result]: { total: number; page: InstitutionWithoutVisitRow[] | null }[] = await this.readOnly(
      { activityKind: ['GUIDANCE_VISIT'] },
      `WITH unvisited AS MATERIALIZED (
         SELECT i.institution_id, v.held_on AS last_visited_on,
                (coalesce(v.held_on, i.approved_on) + ${months})::date AS visit_due_on
           FROM registered_institution i
           LEFT JOIN LATERAL (
                SELECT a.held_on FROM activity a
                 WHERE a.institution_id = i.institution_id AND a.kind = 'GUIDANCE_VISIT' AND a.status = 'HELD' AND a.held_on <= ${day}
                 ORDER BY a.held_on DESC LIMIT 1) v ON true
          WHERE ${regionSubtreeSql(p, 'i.region_code', regionCode)} AND ${institutionScopeSql(p, 'i', scope)}
            AND i.state = 'OPERATING' AND (i.approved_on IS NULL OR i.approved_on <= ${day})
            AND (v.held_on IS NULL OR v.held_on <= (${day} - ${months})::date)
       )
       SELECT (SELECT count(*)::int FROM unvisited) AS total,
              (SELECT json_agg(json_build_object('institutionId', n.institution_id, 'lastVisitedOn', n.last_visited_on, 'visitDueOn', n.visit_due_on)
                                ORDER BY ${dueKey}, n.institution_id)
                 FROM (SELECT * FROM unvisited n ${afterSql} ORDER BY ${dueKey}, n.institution_id LIMIT ${p.add(size + 1)}) n) AS page`,
      p.values,
    );
    return { rows: result.page ?? [], totalCount: result.total };
  }

  /**
   * Institutions of the region lacking a checkpoint of the three synchronizations owed in `year`:
   * the approval checkpoint of an institution approved in the year, and the annual inspection and
   * assessment of one approved before the year and operating at its end. Those missing the most
   * stages first, then by id.
   */
  async missingCheckpoints(regionCode: string, year: number, size: number, after: string[] | null, scope: Scope): Promise<WorkListPage<MissingCheckpointRow>> {
    const p = new SqlParams();
    const y = `${p.add(year)}::int`;
    const yearStart = `make_date(${y}, 1, 1)`;
    const yearEnd = `make_date(${y}, 12, 31)`;
    const afterSql = after ? `AND (-cardinality(m.stages), m.institution_id) > (-${p.add(Number(after[0]))}::int, ${p.add(after[1])}::uuid)` : '';
    // The stages missing are one expression per institution, reckoned once (the CTE keeps it for
    // both the count and the page): the year's inspection and assessment are one probe of the
    // (institution, stage, year) key, and the approval checkpoint is asked of an institution
    // approved in the year only. A set of stages built per institution cost PostgreSQL 1.4 to 2 times as much.
    const [result]: { total: number; page: MissingCheckpointRow[] | null }[] = await this.db.query(
      `WITH owing AS MATERIALIZED (
         SELECT i.institution_id,
                CASE WHEN i.approved_on BETWEEN ${yearStart} AND ${yearEnd}
                     THEN CASE WHEN EXISTS (SELECT 1 FROM checkpoint c WHERE c.institution_id = i.institution_id AND c.stage = 'APPROVAL')
                               THEN NULL ELSE '{APPROVAL}'::text[] END
                     ELSE (SELECT CASE count(*) WHEN 0 THEN '{ANNUAL_INSPECTION,ANNUAL_ASSESSMENT}'::text[]
                                                WHEN 2 THEN NULL
                                                ELSE CASE WHEN bool_or(c.stage = 'ANNUAL_INSPECTION') THEN '{ANNUAL_ASSESSMENT}'::text[]
                                                          ELSE '{ANNUAL_INSPECTION}'::text[] END END
                             FROM checkpoint c WHERE c.institution_id = i.institution_id AND c.year = ${y} AND c.stage <> 'APPROVAL')
                END AS stages
           FROM registered_institution i
          WHERE ${regionSubtreeSql(p, 'i.region_code', regionCode)} AND ${institutionScopeSql(p, 'i', scope)}
            AND (i.approved_on IS NULL OR i.approved_on <= ${yearEnd})
            AND CASE WHEN i.closed_on IS NOT NULL THEN i.closed_on > ${yearEnd} ELSE i.state = 'OPERATING' END
       )
       SELECT (SELECT count(*)::int FROM owing WHERE stages IS NOT NULL) AS total,
              (SELECT json_agg(json_build_object('institutionId', m.institution_id, 'missingStages', m.stages)
                                ORDER BY cardinality(m.stages) DESC, m.institution_id)
                 FROM (SELECT * FROM owing m WHERE m.stages IS NOT NULL ${afterSql}
                        ORDER BY cardinality(m.stages) DESC, m.institution_id LIMIT ${p.add(size + 1)}) m) AS page`,
      p.values,
    );
    return { rows: result.page ?? [], totalCount: result.total };
  }
}

/** A BRANCH caller's institutions are those its organization covers; every other tier's, those of its regions. */
function institutionScopeSql(p: SqlParams, alias: string, scope: Scope): string {
  return scope.organizationId ? `${alias}.party_organization_id = ${p.add(scope.organizationId)}` : regionScopeSql(p, `${alias}.region_code`, scope);
}

interface OrganizationalLifeRule {
  kind: ActivityKind;
  frequency: Frequency;
}

interface OwingBranch {
  organizationId: string;
  foundedOn: string;
  /** Months held per kind, as bit masks (bit 0 = January). */
  held: Partial<Record<ActivityKind, number>>;
}

/** A branch as the statement sends it: id, founding day, and the kinds with their months held (null when none). */
type OwingBranchRow = [organizationId: string, foundedOn: string, kinds: ActivityKind[] | null, months: number[] | null];

function owingBranch([organizationId, foundedOn, kinds, months]: OwingBranchRow): OwingBranch {
  const held: Partial<Record<ActivityKind, number>> = {};
  kinds?.forEach((kind, i) => (held[kind] = months![i]));
  return { organizationId, foundedOn, held };
}

/** The work list's order: the gap open longest first, then the most periods missed, then the branch. */
function compareGaps(a: Pick<OrganizationalLifeGapRow, 'firstMissedDueOn' | 'periodsMissed' | 'organizationId'>, b: typeof a): number {
  if (a.firstMissedDueOn !== b.firstMissedDueOn) return a.firstMissedDueOn < b.firstMissedDueOn ? -1 : 1;
  if (a.periodsMissed !== b.periodsMissed) return b.periodsMissed - a.periodsMissed;
  // Lower-case hex ids compare as PostgreSQL compares uuids.
  return a.organizationId < b.organizationId ? -1 : a.organizationId > b.organizationId ? 1 : 0;
}

/** A branch's organizational-life gap in `year` as reckoned on `asOf`, or null when it owes nothing missed. */
function organizationalLifeGap(branch: OwingBranch, rules: readonly OrganizationalLifeRule[], year: number, asOf: string): OrganizationalLifeGapRow | null {
  const kinds: OrganizationalLifeShortfall[] = [];
  let firstMissedDueOn: string | null = null;
  let periodsMissed = 0;
  for (const { kind, frequency } of rules) {
    const months = PERIOD_MONTHS[frequency];
    const { first, last } = owedPeriods(branch.foundedOn, year, asOf, months);
    const held = branch.held[kind] ?? 0;
    const missed: number[] = [];
    for (let period = first; period <= last; period++) {
      if (((held >> (period * months)) & ((1 << months) - 1)) === 0) missed.push(period);
    }
    if (missed.length === 0) continue;
    const required = Math.max(last - first + 1, 0);
    kinds.push({ kind, frequency, required, periodsMet: required - missed.length, missedPeriods: missed.map((period) => period + 1) });
    periodsMissed += missed.length;
    const dueOn = lastDayOfMonth(year, (missed[0] + 1) * months);
    if (firstMissedDueOn === null || dueOn < firstMissedDueOn) firstMissedDueOn = dueOn;
  }
  return firstMissedDueOn === null ? null : { organizationId: branch.organizationId, firstMissedDueOn, periodsMissed, kinds };
}

/**
 * The periods of `months` months (numbered from 0 within the year) that a branch founded on
 * `foundedOn` owes in `year` and that have ended by `asOf`: from the first period that begins
 * on or after the month after founding (a branch founded on the 1st owes its month), to the last
 * period ended by `asOf`.
 */
function owedPeriods(foundedOn: string, year: number, asOf: string, months: number): { first: number; last: number } {
  const yearStart = `${year}-01-01`;
  const yearEnd = `${year}-12-31`;
  const [, foundedMonth, foundedDay] = foundedOn.split('-').map(Number);
  const monthsBeforeFounding = foundedMonth - 1 + (foundedDay > 1 ? 1 : 0);
  const first = foundedOn <= yearStart ? 0 : Math.floor((monthsBeforeFounding + months - 1) / months);
  const [asOfYear, asOfMonth, asOfDay] = asOf.split('-').map(Number);
  const monthsEnded = asOfMonth - 1 + (asOfDay === daysInMonth(asOfYear, asOfMonth) ? 1 : 0);
  const last = asOf >= yearEnd ? 12 / months - 1 : asOf < yearStart ? -1 : Math.floor(monthsEnded / months) - 1;
  return { first, last };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The last day of the `monthsIntoYear`-th month of `year` (1 = January), as YYYY-MM-DD. */
function lastDayOfMonth(year: number, monthsIntoYear: number): string {
  return `${year}-${String(monthsIntoYear).padStart(2, '0')}-${String(daysInMonth(year, monthsIntoYear)).padStart(2, '0')}`;
}
