import type { DataSource } from 'typeorm';
import { prefixRange, regionPrefix, sharedSubtree } from '../../../../shared/src/regions';
import { listOf, listSql, numbersOf, SqlParams, unseenArray } from '../../../../shared/src/sql';
import type { Scope } from '../../../../shared/src/viewer';
import type { ActivityKind, Frequency, Requirement } from '../entities';
import { ACTIVITY_KINDS, NATIONAL_CODE, ORGANIZATIONAL_LIFE_KINDS, OWING_ORGANIZATION_KINDS } from '../rules';
import { scopeSql } from './scope';

export interface OrganizationalLifeLine {
  organizationId: string;
  kind: ActivityKind;
  frequency: Frequency | null;
  required: number;
  held: number;
  periodsMet: number;
}

/** The period length of a rule in force, and the last of its periods ended by the day asked (-1: none). */
interface PeriodRule {
  months: number;
  lastPeriod: number;
}

export interface ActivityStatsCounts {
  total: number;
  /** One count per kind, in the order of `ACTIVITY_KINDS`. */
  kindCounts: number[];
  branches: number;
  obligations: number;
  obligationsMet: number;
  organizationalLifeComplianceRate: number;
}

function noActivityStats(): ActivityStatsCounts {
  return { total: 0, kindCounts: ACTIVITY_KINDS.map(() => 0), branches: 0, obligations: 0, obligationsMet: 0, organizationalLifeComplianceRate: 0 };
}

/**
 * The rule in force for a kind in a province (`province`: its 2-digit prefix) and year, as a
 * subquery: the province's own latest from a year not after the year, else the national
 * standard's; its frequency and the months in one period.
 */
function ruleInForceSql(kind: string, province: string, year: string): string {
  return `SELECT r.frequency, CASE r.frequency WHEN 'MONTHLY' THEN 1 WHEN 'QUARTERLY' THEN 3 WHEN 'HALF_YEARLY' THEN 6 ELSE 12 END AS months
            FROM requirement r
           WHERE r.kind = ${kind} AND r.region_code IN (${province} || '0000', '${NATIONAL_CODE}') AND r.from_year <= ${year}
           ORDER BY r.region_code = '${NATIONAL_CODE}', r.from_year DESC
           LIMIT 1`;
}

/** The last period of `months` months ended by `day` in `year`, numbered from 0; -1 when none has. */
function lastEndedPeriodSql(day: string, months: string, year: string): string {
  const monthsEnded = `(extract(month FROM ${day})::int - 1 + (${day} = (date_trunc('month', ${day}) + interval '1 month - 1 day')::date)::int)`;
  return `CASE WHEN ${day} >= make_date(${year}, 12, 31) THEN 12 / ${months} - 1
               WHEN ${day} < make_date(${year}, 1, 1) THEN -1
               ELSE ${monthsEnded} / ${months} - 1 END`;
}

/**
 * The period length in force for each kind of organizational life in each (province, year), and
 * the last period of that length ended by `today` (`"lastPeriod"`); a kind without a rule has no row.
 */
function periodRulesSql(p: SqlParams, provinces: string[], years: number[], today: string): string {
  const day = `${p.add(today)}::date`;
  return `SELECT y.province, y.year, k.kind, r.months, ${lastEndedPeriodSql(day, 'r.months', 'y.year')} AS "lastPeriod"
            FROM unnest(${unseenArray(p, provinces, 'text[]')}, ${unseenArray(p, years, 'int[]')}) AS y(province, year)
           CROSS JOIN unnest(${unseenArray(p, ORGANIZATIONAL_LIFE_KINDS, 'text[]')}) AS k(kind)
           CROSS JOIN LATERAL (${ruleInForceSql('k.kind', 'y.province', 'y.year')}) r`;
}

/**
 * One row per organization and kind of organizational life in a year: the rule in force, the
 * periods owed, the activities held and the owed periods they fall in.
 *
 * The rule is the province's own latest from a year not after the year, else the national
 * standard's. A period (of 1, 3, 6 or 12 months) is owed when the organization is of an owing
 * kind, was founded by the end of the year and not dissolved by then, the period began on or
 * after the founding day, and the period has ended by `today`.
 *
 * `organizations` is a FROM item yielding the registered organizations as `o` and the year of
 * each as `year`; `today` is an SQL expression.
 */
function organizationalLifeLinesSql(p: SqlParams, organizations: string, today: string): string {
  const yearStart = `make_date(year, 1, 1)`;
  const yearEnd = `make_date(year, 12, 31)`;
  const periodOf = `((extract(month FROM a.held_on)::int - 1) / r.months)`;
  // Periods are numbered 0 to 12 / months - 1. Those owed run from the first that begins on or
  // after the founding day to the last that has ended by today; none when the first is past the last.
  const monthsBeforeFounding = `(extract(month FROM o.founded_on)::int - 1 + (extract(day FROM o.founded_on)::int > 1)::int)`;
  return `
    SELECT o.organization_id, o.region_code, year, k.kind, k.ordinal, r.frequency,
           greatest(w.last_period - w.first_period + 1, 0) AS required, h.held, h.periods_met
      FROM ${organizations}
     CROSS JOIN unnest(${p.add(ORGANIZATIONAL_LIFE_KINDS)}::text[]) WITH ORDINALITY AS k(kind, ordinal)
      LEFT JOIN LATERAL (${ruleInForceSql('k.kind', 'left(o.region_code, 2)', 'year')}) r ON true
     CROSS JOIN LATERAL (
           SELECT CASE WHEN r.months IS NULL OR NOT (o.kind = ANY(${p.add(OWING_ORGANIZATION_KINDS)}::text[]))
                        OR o.founded_on > ${yearEnd} OR o.dissolved_on <= ${yearEnd} THEN 12
                       WHEN o.founded_on <= ${yearStart} THEN 0
                       ELSE (${monthsBeforeFounding} + r.months - 1) / r.months END AS first_period,
                  ${lastEndedPeriodSql(today, 'r.months', 'year')} AS last_period) w
     CROSS JOIN LATERAL (
           SELECT count(*)::int AS held,
                  count(DISTINCT ${periodOf}) FILTER (WHERE ${periodOf} BETWEEN w.first_period AND w.last_period)::int AS periods_met
             FROM activity a
            WHERE a.organizer_organization_id = o.organization_id AND a.kind = k.kind AND a.status = 'HELD'
              AND a.held_on BETWEEN ${yearStart} AND ${yearEnd}) h`;
}

/**
 * The fewest code ranges that cover the regions asked for, year by year: a region inside another
 * one asked for the same year adds nothing, so a province and its cities are one range.
 */
export function coveringRanges(keys: readonly { regionCode: string; year: number }[]): { from: string; to: string; year: number }[] {
  const cover: { from: string; to: string; year: number }[] = [];
  for (const year of new Set(keys.map((key) => key.year))) {
    const prefixes = [...new Set(keys.filter((key) => key.year === year).map((key) => regionPrefix(key.regionCode)))].sort((a, b) => a.length - b.length);
    const kept: string[] = [];
    for (const prefix of prefixes) if (!kept.some((outer) => prefix.startsWith(outer))) kept.push(prefix);
    for (const prefix of kept) cover.push({ ...prefixRange(prefix), year });
  }
  return cover;
}

export class ComplianceRepository {
  constructor(private readonly db: DataSource) {}

  /** Each organization's lines for one year, in kind order; organizations outside the tier or never registered give none. */
  async organizationalLife(organizationIds: readonly string[], year: number, today: string, scope: Scope): Promise<OrganizationalLifeLine[]> {
    const p = new SqlParams();
    const organizations = `(SELECT o.*, ${p.add(year)}::int AS year FROM registered_organization o
                             WHERE o.organization_id = ANY(${unseenArray(p, organizationIds, 'uuid[]')}) AND ${scopeSql.organization(p, 'o', scope)}) o`;
    return this.db.query(
      `SELECT l.organization_id AS "organizationId", l.kind, l.frequency, l.required, l.held, l.periods_met AS "periodsMet"
         FROM (${organizationalLifeLinesSql(p, organizations, `${p.add(today)}::date`)}) l
        ORDER BY l.organization_id, l.ordinal`,
      p.values,
    );
  }

  /**
   * Activity counts and organizational-life compliance under each (region, year) pair, read from
   * the region's own counters that the triggers keep (see the RegionCounters migration), worked
   * out for `today` and the rule in force in its province. A caller scoped to one branch is
   * counted row by row, since the counters are kept per region, not per organization.
   *
   * One statement, one row per (region, year) asked: its activity counters, the compliance counters
   * that the rules in force in its province that year select (a CTE of one row per province, year
   * and kind, listed once for all rows), and the owing branches' population: those founded before the year summed
   * (they owe from its first month), those founded in it by first month owed. Every part is
   * an index range of its own region and year, so one plan serves one region or fifteen, and
   * PostgreSQL keeps it (see `unseenArray`). The rules are joined to the compliance counters
   * only; joining them per population row cost PostgreSQL about three times the CPU, so the little
   * arithmetic left, a few numbers per region, is done here. The lists travel as comma-separated
   * text (`listSql`), the cheapest shape for PostgreSQL to build.
   */
  async stats(keys: readonly { regionCode: string; year: number }[], today: string, scope: Scope): Promise<ActivityStatsCounts[]> {
    if (scope.organizationId) return this.statsByCounting(keys, today, scope);
    const asked = keys.map((key) => ({ prefix: sharedSubtree(regionPrefix(key.regionCode), scope.prefix), year: key.year }));
    const distinct = new Map<string, { prefix: string; year: number }>();
    for (const key of asked) if (key.prefix !== null) distinct.set(`${key.prefix}|${key.year}`, { prefix: key.prefix, year: key.year });
    if (distinct.size === 0) return keys.map(() => noActivityStats());
    const pairs = [...distinct.values()];

    const p = new SqlParams();
    const provinceYears = [...new Set(pairs.map((key) => `${key.prefix.slice(0, 2)}|${key.year}`))].map((pair) => pair.split('|'));
    // Lists travel as comma-separated text (see `listSql`).
    const rows: {
      prefix: string;
      year: number;
      kinds: string | null;
      held: string | null;
      rules: string | null;
      met: number;
      foundedBefore: number;
      owedFrom: string | null;
      organizations: string | null;
    }[] = await this.db.query(
      `WITH rules AS MATERIALIZED (${periodRulesSql(p, provinceYears.map(([province]) => province), provinceYears.map(([, year]) => Number(year)), today)})
       SELECT q.prefix, q.year, h.kinds, h.held, m.met, o."foundedBefore", o."owedFrom", o.organizations,
              (SELECT ${listSql(`r.province || ':' || r.year || ':' || r.months || ':' || r."lastPeriod"`)} FROM rules r) AS rules
         FROM unnest(${unseenArray(p, pairs.map((key) => key.prefix), 'text[]')}, ${unseenArray(p, pairs.map((key) => key.year), 'int[]')}) AS q(prefix, year)
        CROSS JOIN LATERAL (
              SELECT ${listSql('a.kind')} AS kinds, ${listSql('a.held')} AS held
                FROM activity_region_stats a WHERE a.year = q.year AND a.region_prefix = q.prefix) h
        CROSS JOIN LATERAL (
              SELECT coalesce(sum(l.organizations), 0)::int AS met
                FROM rules r
                JOIN organizational_life_region_stats l
                  ON l.year = q.year AND l.region_prefix = q.prefix AND l.kind = r.kind AND l.months = r.months AND l.last_period = r."lastPeriod"
               WHERE r.province = left(q.prefix, 2) AND r.year = q.year) m
        CROSS JOIN LATERAL (
              SELECT coalesce(sum(o.organizations) FILTER (WHERE o.founded_year < q.year), 0)::int AS "foundedBefore",
                     ${listSql('o.months_before_founding')} FILTER (WHERE o.founded_year = q.year) AS "owedFrom",
                     ${listSql('o.organizations')} FILTER (WHERE o.founded_year = q.year) AS organizations
                FROM organizational_life_population o
               WHERE o.region_prefix = q.prefix AND o.founded_year <= q.year AND o.last_owing_year >= q.year) o`,
      p.values,
    );
    const byPair = new Map(rows.map((row) => [`${row.prefix}|${row.year}`, row]));
    // Every row lists every province's and year's rules, read once: "province:year:months:lastPeriod".
    const rulesInForce = new Map<string, PeriodRule[]>();
    for (const rule of listOf(rows[0]?.rules ?? null)) {
      const [province, year, months, lastPeriod] = rule.split(':');
      const key = `${province}|${year}`;
      rulesInForce.set(key, [...(rulesInForce.get(key) ?? []), { months: Number(months), lastPeriod: Number(lastPeriod) }]);
    }

    return asked.map(({ prefix, year }) => {
      const row = prefix === null ? undefined : byPair.get(`${prefix}|${year}`);
      if (!row) return noActivityStats();
      const kindCounts = ACTIVITY_KINDS.map(() => 0);
      const held = numbersOf(row.held);
      listOf<ActivityKind>(row.kinds).forEach((kind, i) => (kindCounts[ACTIVITY_KINDS.indexOf(kind)] += held[i]));
      // An obligation is owed when at least one whole period lies between the founding and the day
      // asked; a branch owes something as soon as it owes the most frequent kind, as shorter periods
      // nest in longer ones.
      const inForce = rulesInForce.get(`${row.prefix.slice(0, 2)}|${row.year}`) ?? [];
      const shortest = inForce.reduce<PeriodRule | null>((best, rule) => (best === null || rule.months < best.months ? rule : best), null);
      const owes = (monthsBeforeFounding: number, rule: PeriodRule) => Math.floor((monthsBeforeFounding + rule.months - 1) / rule.months) <= rule.lastPeriod;
      // The branches founded before the year owe from its first month and come summed; those founded
      // in it come as one entry per population row (several may share a first owed month).
      const organizations = numbersOf(row.organizations);
      const population: [owedFrom: number, organizations: number][] = [[0, row.foundedBefore], ...numbersOf(row.owedFrom).map((owedFrom, i): [number, number] => [owedFrom, organizations[i]])];
      let obligations = 0;
      let branches = 0;
      for (const [owedFrom, count] of population) {
        if (shortest === null || count === 0) continue;
        obligations += count * inForce.filter((rule) => owes(owedFrom, rule)).length;
        if (owes(owedFrom, shortest)) branches += count;
      }
      return {
        total: kindCounts.reduce((sum, count) => sum + count, 0),
        kindCounts,
        branches,
        obligations,
        obligationsMet: row.met,
        organizationalLifeComplianceRate: obligations === 0 ? 0 : row.met / obligations,
      };
    });
  }

  /**
   * The same figures as `stats`, counted from the activities and organizations themselves: the
   * share of (branch, kind) obligations met over the branches of the region. The lines and counts
   * are computed once per county over the smallest set of ranges covering the regions asked for (a
   * province covers its cities), then summed per region.
   */
  async statsByCounting(keys: readonly { regionCode: string; year: number }[], today: string, scope: Scope): Promise<ActivityStatsCounts[]> {
    const p = new SqlParams();
    const ranges = keys.map((key) => prefixRange(regionPrefix(key.regionCode)));
    const cover = coveringRanges(keys);
    const q = `unnest(${p.add(ranges.map((r) => r.from))}::char(6)[], ${p.add(ranges.map((r) => r.to))}::char(6)[], ${p.add(keys.map((k) => k.year))}::int[])
               WITH ORDINALITY AS q(from_code, to_code, year, ordinal)`;
    const covered = `unnest(${p.add(cover.map((c) => c.from))}::char(6)[], ${p.add(cover.map((c) => c.to))}::char(6)[], ${p.add(cover.map((c) => c.year))}::int[])
                     AS c(from_code, to_code, year)`;
    const organizations = `(SELECT o.*, c.year FROM ${covered} JOIN registered_organization o ON o.region_code >= c.from_code AND o.region_code < c.to_code
                             WHERE ${scopeSql.organization(p, 'o', scope)}) o`;
    const lines = organizationalLifeLinesSql(p, organizations, `${p.add(today)}::date`);
    return this.db.query(
      `WITH obligations AS MATERIALIZED (
         SELECT l.region_code, l.year,
                count(DISTINCT l.organization_id) FILTER (WHERE l.required > 0) AS branches,
                count(*) FILTER (WHERE l.required > 0) AS obligations,
                count(*) FILTER (WHERE l.required > 0 AND l.periods_met >= l.required) AS met
           FROM (${lines}) l
          GROUP BY l.region_code, l.year
       ),
       counts AS MATERIALIZED (
         SELECT a.region_code, a.kind, c.year, count(*) AS count
           FROM ${covered}
           JOIN activity a ON a.region_code >= c.from_code AND a.region_code < c.to_code
                          AND a.held_on BETWEEN make_date(c.year, 1, 1) AND make_date(c.year, 12, 31)
          WHERE a.status = 'HELD' AND ${scopeSql.activity(p, 'a', scope)}
          GROUP BY a.region_code, a.kind, c.year
       )
       SELECT s.total, s."kindCounts", c.branches, c.obligations, c."obligationsMet",
              CASE WHEN c.obligations = 0 THEN 0 ELSE c."obligationsMet"::float8 / c.obligations END AS "organizationalLifeComplianceRate"
         FROM ${q}
        CROSS JOIN LATERAL (
              SELECT coalesce(sum(b.branches), 0)::int AS branches, coalesce(sum(b.obligations), 0)::int AS obligations,
                     coalesce(sum(b.met), 0)::int AS "obligationsMet"
                FROM obligations b
               WHERE b.year = q.year AND b.region_code >= q.from_code AND b.region_code < q.to_code) c
        CROSS JOIN LATERAL (
              SELECT coalesce(sum(n.count), 0)::int AS total, array_agg(coalesce(n.count, 0)::int ORDER BY k.ordinal) AS "kindCounts"
                FROM unnest(${p.add(ACTIVITY_KINDS)}::text[]) WITH ORDINALITY AS k(kind, ordinal)
                LEFT JOIN (
                     SELECT n.kind, sum(n.count) AS count FROM counts n
                      WHERE n.year = q.year AND n.region_code >= q.from_code AND n.region_code < q.to_code
                      GROUP BY n.kind) n ON n.kind = k.kind) s
        ORDER BY q.ordinal`,
      p.values,
    );
  }

  /** The rule in force for each kind of organizational life in a province and year. */
  async requirementsInForce(provinceCode: string, year: number): Promise<Requirement[]> {
    return this.db.query(
      `SELECT r.region_code AS "regionCode", k.kind, r.from_year AS "fromYear", r.frequency
         FROM unnest($1::text[]) WITH ORDINALITY AS k(kind, ordinal)
        CROSS JOIN LATERAL (
              SELECT * FROM requirement r
               WHERE r.kind = k.kind AND r.region_code IN ($2, '${NATIONAL_CODE}') AND r.from_year <= $3
               ORDER BY r.region_code = '${NATIONAL_CODE}', r.from_year DESC
               LIMIT 1) r
        ORDER BY k.ordinal`,
      [ORGANIZATIONAL_LIFE_KINDS, provinceCode, year],
    );
  }
}
