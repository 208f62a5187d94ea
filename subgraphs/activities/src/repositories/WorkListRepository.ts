import type { DataSource } from 'typeorm';
import type { Connection, Edge } from '../../../../shared/src/pagination';
import { prefixRange, regionPrefix } from '../../../../shared/src/regions';
import { regionScopeSql, SqlParams } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';
import type { ActivityKind, CheckpointStage, Frequency } from '../entities';
import { NATIONAL_CODE, ORGANIZATIONAL_LIFE_KINDS, OWING_ORGANIZATION_KINDS } from '../rules';
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

const STAGES: readonly CheckpointStage[] = ['APPROVAL', 'ANNUAL_INSPECTION', 'ANNUAL_ASSESSMENT'];

/**
 * The stations' work lists read in this subgraph: each one statement that finds the region's items
 * with the tier's scope in its WHERE clause, counts them, and returns the page after the cursor in
 * the list's order. The candidates are the region's branches or institutions, read by the
 * region-code index; each is then one or a few index probes (its months held of each kind, as
 * the compliance counters keep them; its last visit; its checkpoints of the year), so a list costs
 * what the region's branches or institutions number, never what its activities do.
 */
export class WorkListRepository {
  constructor(private readonly db: DataSource) {}

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
    const range = prefixRange(regionPrefix(regionCode));
    const y = `${p.add(year)}::int`;
    const day = `${p.add(asOf)}::date`;
    const yearStart = `make_date(${y}, 1, 1)`;
    const yearEnd = `make_date(${y}, 12, 31)`;
    const monthsBeforeFounding = `(extract(month FROM o.founded_on)::int - 1 + (extract(day FROM o.founded_on)::int > 1)::int)`;
    const monthsEnded = `(extract(month FROM ${day})::int - 1 + (${day} = (date_trunc('month', ${day}) + interval '1 month - 1 day')::date)::int)`;
    const afterSql = after
      ? `WHERE (g.first_missed_due_on, -g.periods_missed, g.organization_id) > (${p.add(after[0])}::date, -${p.add(Number(after[1]))}::int, ${p.add(after[2])}::uuid)`
      : '';
    const [result]: { total: number; page: OrganizationalLifeGapRow[] | null }[] = await this.db.query(
      `WITH rules AS MATERIALIZED (
         SELECT k.kind, k.ordinal, r.frequency, r.months
           FROM unnest(${p.add(ORGANIZATIONAL_LIFE_KINDS)}::text[]) WITH ORDINALITY AS k(kind, ordinal)
          CROSS JOIN LATERAL (
                SELECT r.frequency, CASE r.frequency WHEN 'MONTHLY' THEN 1 WHEN 'QUARTERLY' THEN 3 WHEN 'HALF_YEARLY' THEN 6 ELSE 12 END AS months
                  FROM requirement r
                 WHERE r.kind = k.kind AND r.region_code IN (${p.add(`${regionCode.slice(0, 2)}0000`)}, '${NATIONAL_CODE}') AND r.from_year <= ${y}
                 ORDER BY r.region_code = '${NATIONAL_CODE}', r.from_year DESC
                 LIMIT 1) r
       ),
       lines AS MATERIALIZED (
         SELECT o.organization_id, r.kind, r.ordinal, r.frequency, r.months, w.first_period, w.last_period,
                coalesce((held.held ->> r.kind)::int, 0) AS held_months
           FROM registered_organization o
          -- The months with an activity held, as the compliance counters' triggers keep them: one row per
          -- (branch, year, kind), all of a branch's year read by one probe of the key.
          CROSS JOIN LATERAL (
                SELECT jsonb_object_agg(l.kind, l.held_months) AS held FROM organizational_life_line l
                 WHERE l.organization_id = o.organization_id AND l.year = ${y}) held
          CROSS JOIN rules r
          CROSS JOIN LATERAL (
                SELECT CASE WHEN o.founded_on <= ${yearStart} THEN 0 ELSE (${monthsBeforeFounding} + r.months - 1) / r.months END AS first_period,
                       CASE WHEN ${day} >= ${yearEnd} THEN 12 / r.months - 1
                            WHEN ${day} < ${yearStart} THEN -1
                            ELSE ${monthsEnded} / r.months - 1 END AS last_period) w
          WHERE o.region_code >= ${p.add(range.from)} AND o.region_code < ${p.add(range.to)} AND ${scopeSql.organization(p, 'o', scope)}
            AND o.kind = ANY(${p.add(OWING_ORGANIZATION_KINDS)}::text[])
            AND o.founded_on <= ${yearEnd} AND (o.dissolved_on IS NULL OR o.dissolved_on > ${yearEnd})
       ),
       missed AS MATERIALIZED (
         SELECT l.*, m.periods
           FROM lines l
          CROSS JOIN LATERAL (
                SELECT array_agg(q ORDER BY q) AS periods
                  FROM generate_series(l.first_period, l.last_period) AS q
                 WHERE (l.held_months >> (q * l.months)) & ((1 << l.months) - 1) = 0) m
       ),
       gaps AS MATERIALIZED (
         SELECT m.organization_id,
                min((make_date(${y}, 1, 1) + make_interval(months => (m.periods[1] + 1) * m.months) - interval '1 day')::date)
                  FILTER (WHERE m.periods IS NOT NULL) AS first_missed_due_on,
                sum(coalesce(cardinality(m.periods), 0))::int AS periods_missed,
                json_agg(json_build_object(
                  'kind', m.kind, 'frequency', m.frequency, 'required', greatest(m.last_period - m.first_period + 1, 0),
                  'periodsMet', greatest(m.last_period - m.first_period + 1, 0) - cardinality(m.periods),
                  'missedPeriods', (SELECT array_agg(q + 1 ORDER BY q) FROM unnest(m.periods) AS q)) ORDER BY m.ordinal)
                  FILTER (WHERE m.periods IS NOT NULL) AS kinds
           FROM missed m
          GROUP BY m.organization_id
         HAVING bool_or(m.periods IS NOT NULL)
       )
       SELECT (SELECT count(*)::int FROM gaps) AS total,
              (SELECT json_agg(json_build_object('organizationId', g.organization_id, 'firstMissedDueOn', g.first_missed_due_on,
                                                 'periodsMissed', g.periods_missed, 'kinds', g.kinds)
                                ORDER BY g.first_missed_due_on, g.periods_missed DESC, g.organization_id)
                 FROM (SELECT * FROM gaps g ${afterSql}
                        ORDER BY g.first_missed_due_on, g.periods_missed DESC, g.organization_id LIMIT ${p.add(size + 1)}) g) AS page`,
      p.values,
    );
    return { rows: result.page ?? [], totalCount: result.total };
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
    const range = prefixRange(regionPrefix(regionCode));
    const day = `${p.add(asOf)}::date`;
    const months = `make_interval(months => ${p.add(sinceMonths)}::int)`;
    const dueKey = `coalesce(n.visit_due_on, '${NO_DATE}'::date)`;
    const afterSql = after ? `WHERE (${dueKey}, n.institution_id) > (${p.add(after[0])}::date, ${p.add(after[1])}::uuid)` : '';
    const [result]: { total: number; page: InstitutionWithoutVisitRow[] | null }[] = await this.db.query(
      `WITH unvisited AS MATERIALIZED (
         SELECT i.institution_id, v.held_on AS last_visited_on,
                (coalesce(v.held_on, i.approved_on) + ${months})::date AS visit_due_on
           FROM registered_institution i
           LEFT JOIN LATERAL (
                SELECT a.held_on FROM activity a
                 WHERE a.institution_id = i.institution_id AND a.kind = 'GUIDANCE_VISIT' AND a.status = 'HELD' AND a.held_on <= ${day}
                 ORDER BY a.held_on DESC LIMIT 1) v ON true
          WHERE i.region_code >= ${p.add(range.from)} AND i.region_code < ${p.add(range.to)} AND ${institutionScopeSql(p, 'i', scope)}
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
    const range = prefixRange(regionPrefix(regionCode));
    const y = `${p.add(year)}::int`;
    const yearStart = `make_date(${y}, 1, 1)`;
    const yearEnd = `make_date(${y}, 12, 31)`;
    const afterSql = after ? `WHERE (-cardinality(m.stages), m.institution_id) > (-${p.add(Number(after[0]))}::int, ${p.add(after[1])}::uuid)` : '';
    const [result]: { total: number; page: MissingCheckpointRow[] | null }[] = await this.db.query(
      `WITH missing AS MATERIALIZED (
         SELECT i.institution_id, s.stages
           FROM registered_institution i
          CROSS JOIN LATERAL (
                SELECT array_agg(st.stage ORDER BY st.ordinal) AS stages
                  FROM unnest(${p.add(STAGES)}::text[]) WITH ORDINALITY AS st(stage, ordinal)
                 WHERE CASE WHEN st.stage = 'APPROVAL'
                            THEN i.approved_on BETWEEN ${yearStart} AND ${yearEnd}
                                 AND NOT EXISTS (SELECT 1 FROM checkpoint c WHERE c.institution_id = i.institution_id AND c.stage = 'APPROVAL')
                            ELSE (i.approved_on IS NULL OR i.approved_on < ${yearStart})
                                 AND NOT EXISTS (SELECT 1 FROM checkpoint c WHERE c.institution_id = i.institution_id AND c.stage = st.stage AND c.year = ${y})
                       END) s
          WHERE i.region_code >= ${p.add(range.from)} AND i.region_code < ${p.add(range.to)} AND ${institutionScopeSql(p, 'i', scope)}
            AND (i.approved_on IS NULL OR i.approved_on <= ${yearEnd})
            AND CASE WHEN i.closed_on IS NOT NULL THEN i.closed_on > ${yearEnd} ELSE i.state = 'OPERATING' END
            AND s.stages IS NOT NULL
       )
       SELECT (SELECT count(*)::int FROM missing) AS total,
              (SELECT json_agg(json_build_object('institutionId', m.institution_id, 'missingStages', m.stages)
                                ORDER BY cardinality(m.stages) DESC, m.institution_id)
                 FROM (SELECT * FROM missing m ${afterSql} ORDER BY cardinality(m.stages) DESC, m.institution_id LIMIT ${p.add(size + 1)}) m) AS page`,
      p.values,
    );
    return { rows: result.page ?? [], totalCount: result.total };
  }
}

/** A BRANCH caller's institutions are those its organization covers; every other tier's, those of its regions. */
function institutionScopeSql(p: SqlParams, alias: string, scope: Scope): string {
  return scope.organizationId ? `${alias}.party_organization_id = ${p.add(scope.organizationId)}` : regionScopeSql(p, `${alias}.region_code`, scope);
}
