import type { DataSource, EntityManager } from 'typeorm';
import { writeAudit } from '../../../../shared/src/audit';
import type { Config } from '../../../../shared/src/config';
import { badUserInput, conflict, forbidden, notFound } from '../../../../shared/src/errors';
import { isRegionCode, regionLevel, regionPrefix } from '../../../../shared/src/regions';
import { isUuid } from '../../../../shared/src/sql';
import { inTransaction } from '../../../../shared/src/transaction';
import { ALL_REGIONS, canWrite, regionInScope, type Caller } from '../../../../shared/src/viewer';
import { requireName, requirePastDate, todayInChina } from '../../../../shared/src/validation';
import type {
  GuidanceOfficerAssignment,
  InstitutionKind,
  InstitutionRecord,
  InstitutionState,
  PartyOrganization,
  PartyOrganizationKind,
} from '../entities';
import type { Repositories } from '../repositories';
import {
  coveredInstitutionsProblem,
  jointBranchCapacityProblem,
  licenseNumberProblem,
  sectorProblem,
  standaloneBranchProblem,
} from '../rules';
import type { MembersDirectory } from '../directory';

export interface RegisterInstitution {
  name: string;
  kind: InstitutionKind;
  licenseNumber: string;
  regionCode: string;
  headOfficeId?: string | null;
  approvedOn?: string | null;
}

export interface UpdateInstitution {
  name?: string | null;
  licenseNumber?: string | null;
  state?: InstitutionState | null;
}

export interface EstablishOrganization {
  name: string;
  kind: PartyOrganizationKind;
  sector: InstitutionKind;
  regionCode: string;
  parentId?: string | null;
  institutionIds?: readonly string[] | null;
  foundedOn: string;
}

export interface AssignOfficer {
  officerId: string;
  stationId: string;
  institutionId: string;
  startedOn?: string | null;
}

const BRANCH_KINDS_THAT_PARENT: PartyOrganizationKind[] = ['INDUSTRY_COMMITTEE', 'GENERAL_BRANCH'];

/**
 * The writes of the organization structure. Each checks the caller's role and tier, applies the
 * set-up rules, and commits the change with its audit row in one transaction; reads inside the
 * transaction use the caller's scope, so a record outside the tier is reported as not found.
 */
export class StructureService {
  constructor(
    private readonly db: DataSource,
    private readonly repos: Repositories,
    private readonly members: MembersDirectory,
    private readonly config: Config,
  ) {}

  async registerInstitution(caller: Caller, input: RegisterInstitution): Promise<InstitutionRecord> {
    requireStationEditor(caller);
    const name = requireName(input.name, 'name');
    requireLicense(input.licenseNumber);
    const approvedOn = input.approvedOn ? requirePastDate(input.approvedOn, 'approvedOn') : todayInChina();
    await this.requireCountyInScope(caller, input.regionCode, 'regionCode');

    return inTransaction(this.db, async (m) => {
      if (input.headOfficeId) {
        const head = await this.institutionForUpdate(caller, m, input.headOfficeId, 'headOfficeId');
        checkHeadOffice(head, input.kind, 'headOfficeId');
      }
      await this.requireLicenseFree(m, input.licenseNumber);
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO institution (name, kind, license_number, region_code, head_office_id, state, approved_on)
         VALUES ($1, $2, $3, $4, $5, 'OPERATING', $6) RETURNING id`,
        [name, input.kind, input.licenseNumber, input.regionCode, input.headOfficeId ?? null, approvedOn],
      );
      const created = await this.reloadInstitution(caller, m, id);
      await writeAudit(m, caller, { action: 'registerInstitution', entity: 'Institution', entityId: id, regionCode: created.regionCode, after: created });
      return created;
    });
  }

  async updateInstitution(caller: Caller, id: string, input: UpdateInstitution): Promise<InstitutionRecord> {
    requireStationEditor(caller);
    const name = input.name == null ? null : requireName(input.name, 'name');
    if (input.licenseNumber != null) requireLicense(input.licenseNumber);

    return inTransaction(this.db, async (m) => {
      const before = await this.institutionForUpdate(caller, m, id, 'id');
      if (input.licenseNumber != null && input.licenseNumber !== before.licenseNumber) await this.requireLicenseFree(m, input.licenseNumber);
      const partyOrganizationId = coverageAfterStateChange(before, input.state);
      await m.query(
        `UPDATE institution SET name = $2, license_number = $3, state = $4, party_organization_id = $5 WHERE id = $1`,
        [id, name ?? before.name, input.licenseNumber ?? before.licenseNumber, input.state ?? before.state, partyOrganizationId],
      );
      const after = await this.reloadInstitution(caller, m, id);
      await writeAudit(m, caller, { action: 'updateInstitution', entity: 'Institution', entityId: id, regionCode: after.regionCode, before, after });
      return after;
    });
  }

  async establishPartyOrganization(caller: Caller, input: EstablishOrganization): Promise<PartyOrganization> {
    requireStationEditor(caller);
    const { name, foundedOn } = checkEstablishment(input, new Set(input.institutionIds ?? []).size, this.config.jointBranchCap);
    await this.requireRegionInScope(caller, input.regionCode, 'regionCode');
    const institutionIds = [...new Set(input.institutionIds ?? [])];
    if (input.kind === 'STANDALONE_BRANCH' && isUuid(institutionIds[0])) {
      // An institution outside the tier is missing, before anything is counted about it.
      const [visible] = await this.repos.institutions.findByIds([institutionIds[0]], caller.scope);
      if (!visible) throw notFound('Institution', institutionIds[0], 'institutionIds');
      // 单独组建: counted from member records before the transaction, which must not wait on another service.
      const fullMembers = await this.members.fullPartyMembers(institutionIds[0], caller.authorization);
      checkQuorum(fullMembers, this.config.standaloneBranchMinFullMembers);
    }

    return inTransaction(this.db, async (m) => {
      const parentId = await this.resolveParent(caller, m, input);
      const institutions = await this.coverableInstitutions(caller, m, institutionIds, input.sector, input.regionCode);
      checkBranchRegion(input.kind, institutions[0], input.regionCode);
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO party_organization (name, kind, sector, parent_id, region_code, founded_on)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [name, input.kind, input.sector, parentId, input.regionCode, foundedOn],
      );
      await this.cover(m, id, institutionIds);
      const created = await this.reloadOrganization(caller, m, id);
      await writeAudit(m, caller, {
        action: 'establishPartyOrganization',
        entity: 'PartyOrganization',
        entityId: id,
        regionCode: created.regionCode,
        after: { ...created, institutionIds },
      });
      return created;
    });
  }

  async addInstitutionsToJointBranch(caller: Caller, organizationId: string, institutionIds: readonly string[]): Promise<PartyOrganization> {
    requireStationEditor(caller);
    const ids = [...new Set(institutionIds)];
    if (ids.length === 0) throw badUserInput('name at least one institution.', 'institutionIds');

    return inTransaction(this.db, async (m) => {
      const branch = await this.jointBranchForUpdate(caller, m, organizationId);
      const current = await this.coveredIds(m, branch.id);
      const capacity = jointBranchCapacityProblem(current.length, ids.length, this.config.jointBranchCap);
      if (capacity) throw conflict(capacity);
      await this.coverableInstitutions(caller, m, ids, branch.sector, branch.regionCode);
      await this.cover(m, branch.id, ids);
      await writeAudit(m, caller, {
        action: 'addInstitutionsToJointBranch',
        entity: 'PartyOrganization',
        entityId: branch.id,
        regionCode: branch.regionCode,
        before: { institutionIds: current },
        after: { institutionIds: [...current, ...ids] },
      });
      return branch;
    });
  }

  async removeInstitutionsFromJointBranch(caller: Caller, organizationId: string, institutionIds: readonly string[]): Promise<PartyOrganization> {
    requireStationEditor(caller);
    const ids = [...new Set(institutionIds)];
    if (ids.length === 0) throw badUserInput('name at least one institution.', 'institutionIds');

    return inTransaction(this.db, async (m) => {
      const branch = await this.jointBranchForUpdate(caller, m, organizationId);
      const current = await this.coveredIds(m, branch.id);
      const strangers = ids.filter((id) => !current.includes(id));
      if (strangers.length > 0) throw badUserInput(`institution ${strangers[0]} is not covered by this joint branch.`, 'institutionIds');
      if (ids.length === current.length) {
        throw conflict('a joint branch keeps at least one institution: dissolve it instead.');
      }
      await m.query(`UPDATE institution SET party_organization_id = NULL WHERE id = ANY($1::uuid[])`, [ids]);
      await writeAudit(m, caller, {
        action: 'removeInstitutionsFromJointBranch',
        entity: 'PartyOrganization',
        entityId: branch.id,
        regionCode: branch.regionCode,
        before: { institutionIds: current },
        after: { institutionIds: current.filter((id) => !ids.includes(id)) },
      });
      return branch;
    });
  }

  async dissolvePartyOrganization(caller: Caller, id: string, dissolvedOn: string, reason: string): Promise<PartyOrganization> {
    requireStationEditor(caller);
    requirePastDate(dissolvedOn, 'dissolvedOn');
    const why = requireName(reason, 'reason', 500);

    return inTransaction(this.db, async (m) => {
      const before = await this.organizationForUpdate(caller, m, id);
      if (before.dissolvedOn) throw conflict(`party organization ${id} was dissolved on ${before.dissolvedOn}.`);
      if (dissolvedOn < before.foundedOn) throw badUserInput('dissolvedOn cannot precede the founding date.', 'dissolvedOn');
      const [{ count }]: { count: number }[] = await m.query(
        `SELECT count(*)::int AS count FROM party_organization WHERE parent_id = $1 AND dissolved_on IS NULL`,
        [id],
      );
      if (count > 0) throw conflict(`the organization still has ${count} undissolved organizations under it.`);
      const covered = await this.coveredIds(m, id);
      await m.query(`UPDATE institution SET party_organization_id = NULL WHERE party_organization_id = $1`, [id]);
      await m.query(`UPDATE party_organization SET dissolved_on = $2, dissolution_reason = $3 WHERE id = $1`, [id, dissolvedOn, why]);
      const after = await this.reloadOrganization(caller, m, id);
      await writeAudit(m, caller, {
        action: 'dissolvePartyOrganization',
        entity: 'PartyOrganization',
        entityId: id,
        regionCode: after.regionCode,
        before: { ...before, institutionIds: covered },
        after,
      });
      return after;
    });
  }

  async assignGuidanceOfficer(caller: Caller, input: AssignOfficer): Promise<GuidanceOfficerAssignment> {
    requireStationEditor(caller);
    if (!isUuid(input.officerId)) throw badUserInput('officerId is not a member id.', 'officerId');
    const startedOn = input.startedOn ? requirePastDate(input.startedOn, 'startedOn') : todayInChina();
    // The station sends the officer: it is the assignment's owner, so it must lie in the caller's tier.
    const [station] = isUuid(input.stationId) ? await this.repos.stations.findByIds([input.stationId], caller.scope) : [];
    if (!station) throw notFound('Guidance station', input.stationId, 'stationId');
    await this.requireGuidanceOfficerOf(caller, input.officerId, station.regionCode);

    return inTransaction(this.db, async (m) => {
      const institution = await this.institutionForUpdate(caller, m, input.institutionId, 'institutionId');
      if (!institution.regionCode.startsWith(regionPrefix(station.regionCode))) {
        throw badUserInput('a station sends guidance officers to institutions in its own region.', 'institutionId');
      }
      if (institution.state !== 'OPERATING') throw conflict('guidance officers are assigned to operating institutions only.');
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO guidance_officer_assignment (officer_member_id, station_id, institution_id, region_code, started_on)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [input.officerId, station.id, institution.id, institution.regionCode, startedOn],
      );
      const [created] = await this.repos.guidanceOfficers.findByIds([id], caller.scope, m);
      await writeAudit(m, caller, { action: 'assignGuidanceOfficer', entity: 'GuidanceOfficerAssignment', entityId: id, regionCode: created.regionCode, after: created });
      return created;
    });
  }

  async endGuidanceOfficerAssignment(caller: Caller, id: string, endedOn: string): Promise<GuidanceOfficerAssignment> {
    requireStationEditor(caller);
    requirePastDate(endedOn, 'endedOn');

    return inTransaction(this.db, async (m) => {
      let before: GuidanceOfficerAssignment | undefined;
      if (isUuid(id)) {
        await m.query(`SELECT 1 FROM guidance_officer_assignment WHERE id = $1 FOR UPDATE`, [id]);
        [before] = await this.repos.guidanceOfficers.findByIds([id], caller.scope, m);
      }
      if (!before) throw notFound('Guidance officer assignment', id);
      // The sending station's tier owns the assignment; the tier of the institution only reads it.
      const [station] = await this.repos.stations.findByIds([before.stationId], caller.scope);
      if (!station) throw forbidden('an assignment is ended by the station that made it, or a tier above it.');
      if (before.endedOn) throw conflict(`the assignment ended on ${before.endedOn}.`);
      if (endedOn < before.startedOn) throw badUserInput('endedOn cannot precede the start of the assignment.', 'endedOn');
      await m.query(`UPDATE guidance_officer_assignment SET ended_on = $2 WHERE id = $1`, [id, endedOn]);
      const after = { ...before, endedOn };
      await writeAudit(m, caller, { action: 'endGuidanceOfficerAssignment', entity: 'GuidanceOfficerAssignment', entityId: id, regionCode: before.regionCode, before, after });
      return after;
    });
  }

  /**
   * The officer named must be a member the caller can see who holds a current guidance-officer
   * role (党建指导员) at a station in the sending station's region: a station sends its own
   * officers or those of the stations under it.
   */
  private async requireGuidanceOfficerOf(caller: Caller, officerId: string, stationRegion: string): Promise<void> {
    const person = await this.members.officer(officerId, caller.authorization, 'officerId');
    const officerStations = person.roles.filter((role) => role.kind === 'GUIDANCE_OFFICER' && role.station).map((role) => role.station!.id);
    const stations = officerStations.length > 0 ? await this.repos.stations.findByIds(officerStations, ALL_REGIONS) : [];
    if (!stations.some((s) => s.regionCode.startsWith(regionPrefix(stationRegion)))) {
      throw badUserInput('the officer does not hold the guidance-officer role at this station or a station under it.', 'officerId');
    }
  }

  private async requireLicenseFree(m: EntityManager, licenseNumber: string): Promise<void> {
    const taken = await m.query(`SELECT 1 FROM institution WHERE license_number = $1`, [licenseNumber]);
    if (taken.length > 0) throw conflict(`licence number ${licenseNumber} is already registered.`);
  }

  private async requireRegionInScope(caller: Caller, code: string, field: string): Promise<void> {
    const [region] = isRegionCode(code) && regionInScope(caller.scope, code) ? await this.repos.regions.findByCodes([code], caller.scope) : [];
    if (!region) throw notFound('Region', code, field);
  }

  private async requireCountyInScope(caller: Caller, code: string, field: string): Promise<void> {
    await this.requireRegionInScope(caller, code, field);
    requireCountyLevel(code, field);
  }

  /** Reads and locks an institution the caller can see, so concurrent writes to it queue up. */
  private async institutionForUpdate(caller: Caller, m: EntityManager, id: string, field: string): Promise<InstitutionRecord> {
    if (isUuid(id)) {
      await m.query(`SELECT 1 FROM institution WHERE id = $1 FOR UPDATE`, [id]);
      const [row] = await this.repos.institutions.findByIds([id], caller.scope, m);
      if (row) return row;
    }
    throw notFound('Institution', id, field);
  }

  private async organizationForUpdate(caller: Caller, m: EntityManager, id: string): Promise<PartyOrganization> {
    if (isUuid(id)) {
      await m.query(`SELECT 1 FROM party_organization WHERE id = $1 FOR UPDATE`, [id]);
      const [row] = await this.repos.organizations.findByIds([id], caller.scope, m);
      if (row) return row;
    }
    throw notFound('Party organization', id);
  }

  private async jointBranchForUpdate(caller: Caller, m: EntityManager, id: string): Promise<PartyOrganization> {
    const branch = await this.organizationForUpdate(caller, m, id);
    if (branch.kind !== 'JOINT_BRANCH') throw badUserInput('only a joint branch covers several institutions.', 'organizationId');
    if (branch.dissolvedOn) throw conflict(`party organization ${id} was dissolved on ${branch.dissolvedOn}.`);
    return branch;
  }

  private async resolveParent(caller: Caller, m: EntityManager, input: EstablishOrganization): Promise<string | null> {
    if (!input.parentId) {
      // Branches report to their city's industry committee (行业党委) unless told otherwise.
      if (input.kind === 'INDUSTRY_COMMITTEE') return null;
      const city = regionLevel(input.regionCode) === 'COUNTY' ? `${input.regionCode.slice(0, 4)}00` : input.regionCode;
      return (await this.repos.organizations.findIndustryCommittee(city, input.sector, m))?.id ?? null;
    }
    const parent = await this.organizationForUpdate(caller, m, input.parentId);
    checkParent(parent, 'parentId');
    return parent.id;
  }

  /** Locks and checks institutions about to be covered: visible, operating, same sector, in the region, uncovered. */
  private async coverableInstitutions(
    caller: Caller,
    m: EntityManager,
    ids: readonly string[],
    sector: InstitutionKind,
    regionCode: string,
  ): Promise<InstitutionRecord[]> {
    const rows: InstitutionRecord[] = [];
    for (const id of [...ids].sort()) rows.push(await this.institutionForUpdate(caller, m, id, 'institutionIds'));
    for (const row of rows) checkCoverable(row, sector, regionCode, 'institutionIds');
    return ids.map((id) => rows.find((row) => row.id === id)!);
  }

  private async cover(m: EntityManager, organizationId: string, institutionIds: readonly string[]): Promise<void> {
    if (institutionIds.length === 0) return;
    await m.query(`UPDATE institution SET party_organization_id = $1 WHERE id = ANY($2::uuid[])`, [organizationId, institutionIds]);
  }

  private async coveredIds(m: EntityManager, organizationId: string): Promise<string[]> {
    const rows: { id: string }[] = await m.query(`SELECT id FROM institution WHERE party_organization_id = $1 ORDER BY id`, [organizationId]);
    return rows.map((row) => row.id);
  }

  private async reloadInstitution(caller: Caller, m: EntityManager, id: string): Promise<InstitutionRecord> {
    const [row] = await this.repos.institutions.findByIds([id], caller.scope, m);
    return row;
  }

  private async reloadOrganization(caller: Caller, m: EntityManager, id: string): Promise<PartyOrganization> {
    const [row] = await this.repos.organizations.findByIds([id], caller.scope, m);
    return row;
  }
}

/*
 * The rules of the writes above that need no lookup, shared with the imports, which check whole
 * files of rows against them (services/StructureImportService.ts).
 */

/** Structure belongs to the stations: editors and admins of the province, a city or a county. */
export function requireStationEditor(caller: Caller): void {
  if (!canWrite(caller.viewer)) throw forbidden('Changing the organization structure needs the editor or admin role.');
  if (caller.viewer.tier === 'BRANCH') throw forbidden('The organization structure is changed by guidance stations, not by branches.');
}

export function requireLicense(licenseNumber: string, field = 'licenseNumber'): void {
  const problem = licenseNumberProblem(licenseNumber);
  if (problem) throw badUserInput(problem, field);
}

export function requireCountyLevel(code: string, field: string): void {
  if (regionLevel(code) !== 'COUNTY') throw badUserInput(`${field} must name a county-level region.`, field);
}

export function checkHeadOffice(head: InstitutionRecord, kind: InstitutionKind, field: string): void {
  if (head.kind !== kind) throw badUserInput('a branch office is of the same sector as its head office.', field);
  if (head.headOfficeId) throw badUserInput('a branch office cannot be the head office of another.', field);
}

/** The Party organization an institution keeps after its state changes to `state`. */
export function coverageAfterStateChange(before: InstitutionRecord, state: InstitutionState | null | undefined): string | null {
  if (state !== 'CLOSED' || before.state === 'CLOSED') return before.partyOrganizationId;
  if (before.coverageStatus === 'STANDALONE_BRANCH') {
    throw conflict('the institution has its own branch: dissolve the branch before closing the institution.');
  }
  // A closed institution leaves its joint branch, so coverage counts operating institutions only.
  return null;
}

/** What an establishment needs of its own input: a name, a past founding date, and the right number of institutions for its kind. */
export function checkEstablishment(
  input: Pick<EstablishOrganization, 'name' | 'kind' | 'regionCode' | 'foundedOn'>,
  institutionCount: number,
  jointBranchCap: number,
  institutionsField = 'institutionIds',
): { name: string; foundedOn: string } {
  const name = requireName(input.name, 'name');
  const foundedOn = requirePastDate(input.foundedOn, 'foundedOn');
  const countProblem = coveredInstitutionsProblem(input.kind, institutionCount, jointBranchCap);
  if (countProblem) throw badUserInput(countProblem, institutionsField);
  if (input.kind === 'INDUSTRY_COMMITTEE' && regionLevel(input.regionCode) === 'COUNTY') {
    throw badUserInput('an industry committee is set up for a province or a city.', 'regionCode');
  }
  return { name, foundedOn };
}

export function checkQuorum(fullMembers: number, minimum: number, field = 'institutionIds'): void {
  const quorum = standaloneBranchProblem(fullMembers, minimum);
  if (quorum) throw badUserInput(quorum, field);
}

export function checkBranchRegion(kind: PartyOrganizationKind, institution: InstitutionRecord | undefined, regionCode: string): void {
  if ((kind === 'STANDALONE_BRANCH' || kind === 'GENERAL_BRANCH') && institution && institution.regionCode !== regionCode) {
    throw badUserInput('a branch of one institution is set up in the institution’s own region.', 'regionCode');
  }
}

export function checkParent(parent: PartyOrganization, field: string): void {
  if (parent.dissolvedOn) throw conflict(`party organization ${parent.id} was dissolved on ${parent.dissolvedOn}.`);
  if (!BRANCH_KINDS_THAT_PARENT.includes(parent.kind)) {
    throw badUserInput('the parent must be an industry committee or a general branch.', field);
  }
}

/** An institution about to be covered: same sector, in the organization's region, operating, uncovered. */
export function checkCoverable(row: InstitutionRecord, sector: InstitutionKind, regionCode: string, field: string, coveredBy: string | null = null): void {
  const sectorMismatch = sectorProblem(sector, row.kind);
  if (sectorMismatch) throw badUserInput(sectorMismatch, field);
  if (!row.regionCode.startsWith(regionCode.replace(/(00)+$/, ''))) {
    throw badUserInput(`institution ${row.id} lies outside the organization's region.`, field);
  }
  if (row.state !== 'OPERATING') throw conflict(`institution ${row.id} is closed.`);
  if (row.partyOrganizationId && row.partyOrganizationId !== coveredBy) throw conflict(`institution ${row.id} is already covered by a Party organization.`);
}
