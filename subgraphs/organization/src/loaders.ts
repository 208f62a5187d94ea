import DataLoader from 'dataloader';
import { argumentLoader, listLoader, recordLoader } from '../../../shared/src/loaders';
import { parseHistoryKey } from '../../../shared/src/history';
import { isUuid } from '../../../shared/src/sql';
import { idsIn, onRecord, onRegion, type DependsOn, type ScopedReads } from '../../../shared/src/read-cache';
import type { Scope } from '../../../shared/src/viewer';
import { regionPrefix } from '../../../shared/src/regions';
import type { InstitutionKind, Region } from './entities';
import type { Repositories } from './repositories';
import type { CoverageYearCounts } from './repositories/CoverageHistoryRepository';
import type { CoverageCounts, InstitutionPage, InstitutionPageRequest } from './repositories/InstitutionRepository';
import type { CoverageCounterRow, RegionWithSurroundings } from './repositories/RegionRepository';

/**
 * The loaders of one request, bound to the caller's scope. A new set is made for every request;
 * what they share with other requests goes through the read cache, keyed by the same scope.
 */
export function createLoaders(repos: Repositories, scope: Scope, reads: ScopedReads) {
  // A malformed id names no record; it must not reach a uuid cast and fail the whole batch.
  const ids = (keys: readonly string[]) => keys.filter(isUuid);
  const byRegion = onRegion(scope);
  // An institution's answer shows its Party organization's kind, which that organization's own changes move.
  const institutionsAndOrganizations: DependsOn = (key, answer) => ({ records: [key, ...idsIn(answer), ...idsIn(answer, 'partyOrganizationId')] });

  const assignments = (owner: 'institution_id' | 'station_id', activeOnly: boolean) =>
    listLoader(
      (keys: readonly string[]) => repos.guidanceOfficers.findByOwners(owner, ids(keys), activeOnly, scope),
      (a) => (owner === 'institution_id' ? a.institutionId : a.stationId),
      reads.named(`assignments:${owner}:${activeOnly}`, onRecord),
    );

  const region = recordLoader((codes: readonly string[]) => repos.regions.findByCodes(codes, scope), (r) => r.code, reads.named('region', byRegion));
  const regionChildren = listLoader((codes: readonly string[]) => repos.regions.findChildren(codes, scope), (r) => r.parentCode ?? '', reads.named('regionChildren', byRegion));
  const stationOfRegion = recordLoader((codes: readonly string[]) => repos.stations.findByRegionCodes(codes, scope), (s) => s.regionCode, reads.named('stationOfRegion', byRegion));
  const coverage = new DataLoader<string, CoverageCounts>(
    reads.named('coverage', byRegion)((keys) =>
      repos.institutions.coverage(
        keys.map((key) => {
          const [regionCode, kind] = key.split('|');
          return { regionCode, kind: (kind || null) as InstitutionKind | null };
        }),
        scope,
      ),
    ),
    // A region's coverage and its children's are asked a few promise turns apart (the children
    // come from a loader already filled): waiting for the turn's end reads them in one statement.
    { batchScheduleFn: (dispatch) => setImmediate(dispatch) },
  );
  // Keyed by `summaryKey`. Summaries asked together read the sectors any of them shows, in one statement.
  const regionSummary = new DataLoader<string, RegionSummary | null>(
    reads.named('regionSummary', byRegion)(async (keys) => {
      const asked = keys.map(parseSummaryKey);
      const sectors = asked.some((key) => key.sectors === null) ? null : [...new Set(asked.flatMap((key) => key.sectors!))];
      const rows = await repos.regions.findWithChildren(asked.map((key) => key.code), sectors, scope);
      return asked.map(({ code }) => {
        const own = rows.find((row) => row.code === code);
        if (!own) return null;
        return { region: own, children: rows.filter((row) => row.parentCode === code), sectors };
      });
    }),
  );

  return {
    region,
    regionChildren,
    /**
     * A region with its station, its children and theirs, and the coverage of each in the sectors
     * `sectors` names (every sector and their sum for null), read in one statement and handed to
     * the loaders its fields use: a region's page asks for them next.
     */
    regionWithChildren: async (code: string, sectors: readonly InstitutionKind[] | null): Promise<Region | null> => {
      const summary = await regionSummary.load(summaryKey(code, sectors));
      if (!summary) return null;
      const { station, coverage: counters, ...own } = summary.region;
      const children = summary.children.map(({ station: childStation, coverage: _coverage, ...child }) => {
        region.prime(child.code, child);
        stationOfRegion.prime(child.code, childStation);
        return child;
      });
      regionChildren.prime(code, children);
      stationOfRegion.prime(code, station);
      if (counters) {
        for (const { code: subtree } of [own, ...children]) {
          const prefix = regionPrefix(subtree);
          const rows = counters.filter(([part]) => part.startsWith(prefix));
          for (const kind of summary.sectors ?? [...INSTITUTION_KINDS, null]) coverage.prime(`${subtree}|${kind ?? ''}`, coverageOf(rows, kind));
        }
      }
      return own;
    },

    station: recordLoader((keys: readonly string[]) => repos.stations.findByIds(ids(keys), scope), (s) => s.id, reads.named('station', onRecord)),
    stationOfRegion,
    stationChildren: listLoader((keys: readonly string[]) => repos.stations.findChildren(ids(keys), scope), (s) => s.parentId ?? '', reads.named('stationChildren', onRecord)),

    institution: recordLoader((keys: readonly string[]) => repos.institutions.findByIds(ids(keys), scope), (i) => i.id, reads.named('institution', institutionsAndOrganizations)),
    institutionsOfOrganization: listLoader(
      (keys: readonly string[]) => repos.institutions.findByOrganizationIds(ids(keys), scope),
      (i) => i.partyOrganizationId ?? '',
      reads.named('institutionsOfOrganization', institutionsAndOrganizations),
    ),
    branchOffices: listLoader((keys: readonly string[]) => repos.institutions.findBranchOffices(ids(keys), scope), (i) => i.headOfficeId ?? '', reads.named('branchOffices', institutionsAndOrganizations)),
    institutionPage: argumentLoader<string, InstitutionPageRequest, InstitutionPage>(
      async (codes, request) => {
        const pages = await repos.institutions.findPages(codes, request, scope);
        return codes.map((code) => pages.get(code) ?? { rows: [], totalCount: 0 });
      },
      (composite) => {
        const { regionCode, ...request } = JSON.parse(composite) as InstitutionPageRequest & { regionCode: string };
        return { key: regionCode, args: request, argsId: JSON.stringify(request) };
      },
      reads.named('institutionPage', (key, answer) => ({
        regions: [(JSON.parse(key) as { regionCode: string }).regionCode],
        records: [...(scope.organizationId ? [scope.organizationId] : []), ...idsIn((answer as InstitutionPage).rows, 'partyOrganizationId')],
      })),
    ),
    coverage,
    /** Keyed by `historyKey(region, kind, fromYear, toYear)`. */
    coverageHistory: new DataLoader<string, CoverageYearCounts[]>(
      reads.named('coverageHistory', byRegion)((keys) =>
        repos.coverageHistory.coverageHistory(
          keys.map((key) => {
            const { regionCode, what, fromYear, toYear } = parseHistoryKey(key);
            return { regionCode, kind: what as InstitutionKind, fromYear, toYear };
          }),
          scope,
        ),
      ),
    ),

    organization: recordLoader((keys: readonly string[]) => repos.organizations.findByIds(ids(keys), scope), (o) => o.id, reads.named('organization', onRecord)),
    organizationChildren: listLoader((keys: readonly string[]) => repos.organizations.findChildren(ids(keys), scope), (o) => o.parentId ?? '', reads.named('organizationChildren', onRecord)),

    assignment: recordLoader((keys: readonly string[]) => repos.guidanceOfficers.findByIds(ids(keys), scope), (a) => a.id, reads.named('assignment', onRecord)),
    activeAssignmentsOfInstitution: assignments('institution_id', true),
    allAssignmentsOfInstitution: assignments('institution_id', false),
    activeAssignmentsOfStation: assignments('station_id', true),
    allAssignmentsOfStation: assignments('station_id', false),
  };
}

/** A region and its children as `RegionRepository.findWithChildren` reads them, with the sectors of coverage read (all for null). */
interface RegionSummary {
  region: RegionWithSurroundings;
  children: RegionWithSurroundings[];
  sectors: readonly InstitutionKind[] | null;
}

function summaryKey(code: string, sectors: readonly InstitutionKind[] | null): string {
  return `${code}|${sectors === null ? '*' : [...sectors].sort().join(',')}`;
}

function parseSummaryKey(key: string): { code: string; sectors: InstitutionKind[] | null } {
  const [code, sectors] = key.split('|');
  return { code, sectors: sectors === '*' ? null : sectors === '' ? [] : (sectors.split(',') as InstitutionKind[]) };
}

const INSTITUTION_KINDS = Object.keys({
  LAW_FIRM: true,
  NOTARY_OFFICE: true,
  JUDICIAL_APPRAISAL: true,
  GRASSROOTS_LEGAL_SERVICE: true,
} satisfies Record<InstitutionKind, true>) as InstitutionKind[];

/** A subtree's coverage in one sector (all sectors for `null`), summed from its counter rows as `InstitutionRepository.coverage` sums them. */
function coverageOf(rows: CoverageCounterRow[], kind: InstitutionKind | null): CoverageCounts {
  const counts: CoverageCounts = { institutions: 0, standalone: 0, joint: 0, partyOrganizations: 0, standaloneBranches: 0, jointBranches: 0 };
  for (const [, sector, institutions, standalone, joint, partyOrganizations, standaloneBranches, jointBranches] of rows) {
    if (kind !== null && sector !== kind) continue;
    counts.institutions += institutions;
    counts.standalone += standalone;
    counts.joint += joint;
    counts.partyOrganizations += partyOrganizations;
    counts.standaloneBranches += standaloneBranches;
    counts.jointBranches += jointBranches;
  }
  return counts;
}

export type OrganizationLoaders = ReturnType<typeof createLoaders>;

/** The key of `institutionPage`: one region subtree and the page it asks for. */
export function institutionPageKey(regionCode: string, request: InstitutionPageRequest): string {
  return JSON.stringify({ regionCode, ...request });
}
