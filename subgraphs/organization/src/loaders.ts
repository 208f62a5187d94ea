import DataLoader from 'dataloader';
import { argumentLoader, listLoader, recordLoader } from '../../../shared/src/loaders';
import { parseHistoryKey } from '../../../shared/src/history';
import { isUuid } from '../../../shared/src/sql';
import { idsIn, onRecord, onRegion, type DependsOn, type ScopedReads } from '../../../shared/src/read-cache';
import type { Scope } from '../../../shared/src/viewer';
import type { InstitutionKind } from './entities';
import type { Repositories } from './repositories';
import type { CoverageYearCounts } from './repositories/CoverageHistoryRepository';
import type { CoverageCounts, InstitutionPage, InstitutionPageRequest } from './repositories/InstitutionRepository';

/**
 * The loaders of one request, bound to the caller's scope. A new set is made for every request;
 * what they share with other requests goes through the read cache, keyed by the same scope.
 */
export function createLoaders(repos: Repositories, scope: Scope, reads: ScopedReads) {
  // A malformed id names no record; it must not reach a uuid cast and fail the whole batch.
  const ids = (keys: readonly string[]) => keys.filter(isUuid);
  const region = onRegion(scope);
  // An institution's answer shows its Party organization's kind, which that organization's own changes move.
  const institutionsAndOrganizations: DependsOn = (key, answer) => ({ records: [key, ...idsIn(answer), ...idsIn(answer, 'partyOrganizationId')] });

  const assignments = (owner: 'institution_id' | 'station_id', activeOnly: boolean) =>
    listLoader(
      (keys: readonly string[]) => repos.guidanceOfficers.findByOwners(owner, ids(keys), activeOnly, scope),
      (a) => (owner === 'institution_id' ? a.institutionId : a.stationId),
      reads.named(`assignments:${owner}:${activeOnly}`, onRecord),
    );

  return {
    region: recordLoader((codes: readonly string[]) => repos.regions.findByCodes(codes, scope), (r) => r.code, reads.named('region', region)),
    regionChildren: listLoader((codes: readonly string[]) => repos.regions.findChildren(codes, scope), (r) => r.parentCode ?? '', reads.named('regionChildren', region)),

    station: recordLoader((keys: readonly string[]) => repos.stations.findByIds(ids(keys), scope), (s) => s.id, reads.named('station', onRecord)),
    stationOfRegion: recordLoader((codes: readonly string[]) => repos.stations.findByRegionCodes(codes, scope), (s) => s.regionCode, reads.named('stationOfRegion', region)),
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
    coverage: new DataLoader<string, CoverageCounts>(
      reads.named('coverage', region)((keys) =>
        repos.institutions.coverage(
          keys.map((key) => {
            const [regionCode, kind] = key.split('|');
            return { regionCode, kind: (kind || null) as InstitutionKind | null };
          }),
          scope,
        ),
      ),
    ),
    /** Keyed by `historyKey(region, kind, fromYear, toYear)`. */
    coverageHistory: new DataLoader<string, CoverageYearCounts[]>(
      reads.named('coverageHistory', region)((keys) =>
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

export type OrganizationLoaders = ReturnType<typeof createLoaders>;

/** The key of `institutionPage`: one region subtree and the page it asks for. */
export function institutionPageKey(regionCode: string, request: InstitutionPageRequest): string {
  return JSON.stringify({ regionCode, ...request });
}
