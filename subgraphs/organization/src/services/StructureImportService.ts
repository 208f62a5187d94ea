import type { DataSource, EntityManager } from 'typeorm';
import type { AuditRecord } from '../../../../shared/src/audit';
import type { Config } from '../../../../shared/src/config';
import { badUserInput, conflict, notFound } from '../../../../shared/src/errors';
import { distinct, reportOf, requireImportSize, RowErrors, writeImportAudit, type ImportReport, type RowOutcome } from '../../../../shared/src/import';
import { isRegionCode, regionLevel, regionPrefix } from '../../../../shared/src/regions';
import { inTransaction } from '../../../../shared/src/transaction';
import { requireName, requirePastDate, todayInChina } from '../../../../shared/src/validation';
import { ALL_REGIONS, regionInScope, type Caller } from '../../../../shared/src/viewer';
import type { InstitutionKind, InstitutionRecord, InstitutionState, PartyOrganization, PartyOrganizationKind } from '../entities';
import type { MembersDirectory } from '../directory';
import type { Repositories } from '../repositories';
import { jointBranchCapacityProblem } from '../rules';
import {
  checkBranchRegion,
  checkCoverable,
  checkEstablishment,
  checkHeadOffice,
  checkParent,
  checkQuorum,
  coverageAfterStateChange,
  requireCountyLevel,
  requireLicense,
  requireStationEditor,
} from './StructureService';

export interface ImportInstitutionRow {
  name: string;
  kind: InstitutionKind;
  licenseNumber: string;
  regionCode: string;
  headOfficeLicenseNumber?: string | null;
  approvedOn?: string | null;
  state?: InstitutionState | null;
}

export interface ImportOrganizationRow {
  name: string;
  kind: PartyOrganizationKind;
  sector: InstitutionKind;
  regionCode: string;
  parentName?: string | null;
  institutionLicenseNumbers?: readonly string[] | null;
  foundedOn: string;
}

interface InstitutionPlan {
  outcome: RowOutcome;
  row: ImportInstitutionRow;
  name: string;
  before?: InstitutionRecord;
  headOfficeId?: string | null;
  partyOrganizationId?: string | null;
}

interface OrganizationPlan {
  outcome: RowOutcome;
  name: string;
  row: ImportOrganizationRow;
  before?: PartyOrganization;
  covered: string[];
  adding: InstitutionRecord[];
  parentId: string | null;
}

const FIELDS_SET_AT_REGISTRATION = ['kind', 'regionCode'] as const;

/**
 * Institution and Party organization ledgers, imported as files of rows. Each row is checked
 * against the rules of the single-record mutation it stands for, with the rules' own code
 * (StructureService), after every lookup the file needs has been made once for the whole file,
 * by natural key. A file with any row error writes nothing; an applied file is one transaction.
 */
export class StructureImportService {
  constructor(
    private readonly db: DataSource,
    private readonly repos: Repositories,
    private readonly members: MembersDirectory,
    private readonly config: Config,
  ) {}

  async importInstitutions(caller: Caller, rows: readonly ImportInstitutionRow[], dryRun: boolean): Promise<ImportReport> {
    requireStationEditor(caller);
    requireImportSize(rows);
    const errors = new RowErrors();
    errors.duplicates(rows, (row) => row.licenseNumber, 'licenseNumber', 'the licence number');

    const regions = await this.regionsInScope(caller, rows.map((row) => row.regionCode));
    const licences = distinct(rows.flatMap((row) => [row.licenseNumber, row.headOfficeLicenseNumber]));
    // Every registered licence, to tell a new institution from one outside the caller's tier.
    const registered = new Map((await this.repos.institutions.findByLicenseNumbers(licences, ALL_REGIONS)).map((i) => [i.licenseNumber, i]));
    const visible = new Set((await this.repos.institutions.findByLicenseNumbers([...registered.keys()], caller.scope)).map((i) => i.id));
    const seen = (licence: string) => {
      const found = registered.get(licence);
      return found && visible.has(found.id) ? found : undefined;
    };

    const plans = rows.map((row, index): InstitutionPlan | undefined => {
      const name = errors.check(index, () => requireName(row.name, 'name'));
      errors.check(index, () => requireLicense(row.licenseNumber));
      if (row.approvedOn) errors.check(index, () => requirePastDate(row.approvedOn!, 'approvedOn'));
      const inRegion = errors.check(index, () => {
        if (!regions.has(row.regionCode)) throw notFound('Region', row.regionCode, 'regionCode');
        requireCountyLevel(row.regionCode, 'regionCode');
        return true;
      });
      if (!inRegion || name === undefined || errors.has(index)) return undefined;

      const before = registered.get(row.licenseNumber);
      if (before && !visible.has(before.id)) {
        errors.add(index, notFound('Institution', row.licenseNumber, 'licenseNumber'));
        return undefined;
      }
      const headOffice = row.headOfficeLicenseNumber ? seen(row.headOfficeLicenseNumber) : null;
      if (row.headOfficeLicenseNumber && !headOffice) {
        errors.add(index, notFound('Institution', row.headOfficeLicenseNumber, 'headOfficeLicenseNumber'));
        return undefined;
      }
      if (!before) {
        if (row.state === 'CLOSED') errors.add(index, badUserInput('a new institution is registered operating; close it afterwards.', 'state'));
        if (headOffice) errors.check(index, () => checkHeadOffice(headOffice, row.kind, 'headOfficeLicenseNumber'));
        return errors.has(index) ? undefined : { outcome: 'created', row, name, headOfficeId: headOffice?.id ?? null };
      }
      for (const field of FIELDS_SET_AT_REGISTRATION) {
        if (row[field] !== before[field]) errors.add(index, unchangeable('institution', field));
      }
      if (row.approvedOn && row.approvedOn !== before.approvedOn) errors.add(index, unchangeable('institution', 'approvedOn'));
      if (headOffice !== null && headOffice?.id !== before.headOfficeId) errors.add(index, unchangeable('institution', 'headOfficeLicenseNumber'));
      const partyOrganizationId = errors.check(index, () => coverageAfterStateChange(before, row.state), 'state');
      if (errors.has(index)) return undefined;
      const changed = name !== before.name || (row.state != null && row.state !== before.state);
      return { outcome: changed ? 'updated' : 'unchanged', row, name, before, partyOrganizationId };
    });

    const report = reportOf(dryRun, plans.map((p) => p?.outcome), errors);
    // A file its records already match writes nothing, not even the trail of an import.
    if (dryRun || errors.any || report.created + report.updated === 0) return report;
    await inTransaction(this.db, (m) => this.applyInstitutions(caller, m, plans as InstitutionPlan[], report));
    return report;
  }

  async importPartyOrganizations(caller: Caller, rows: readonly ImportOrganizationRow[], dryRun: boolean): Promise<ImportReport> {
    requireStationEditor(caller);
    requireImportSize(rows);
    const errors = new RowErrors();
    const field = 'institutionLicenseNumbers';
    const licencesOf = (row: ImportOrganizationRow) => distinct(row.institutionLicenseNumbers ?? []);
    const keyOf = (regionCode: string, name: string) => `${regionCode}\u0000${name.trim()}`;
    errors.duplicates(rows, (row) => keyOf(row.regionCode, row.name), 'name', 'the organization (name and region)');
    const coveredIn = new Map<string, number>();
    rows.forEach((row, index) => {
      for (const licence of licencesOf(row)) {
        const earlier = coveredIn.get(licence);
        if (earlier === undefined) coveredIn.set(licence, index);
        else errors.add(index, badUserInput(`institution ${licence} is covered in row ${earlier + 1} too.`, field));
      }
    });

    const regions = await this.regionsInScope(caller, rows.map((row) => row.regionCode));
    const institutions = new Map(
      (await this.repos.institutions.findByLicenseNumbers(distinct(rows.flatMap(licencesOf)), caller.scope)).map((i) => [i.licenseNumber, i]),
    );
    const known = await this.repos.organizations.findByNames(distinct(rows.map((row) => row.name.trim())), caller.scope);
    const existing = new Map(known.map((o) => [keyOf(o.regionCode, o.name), o]));
    const coverage = await this.repos.institutions.findByOrganizationIds(known.map((o) => o.id), caller.scope);
    const parents = await this.repos.organizations.findByNames(distinct(rows.map((row) => row.parentName?.trim())), caller.scope);
    const committees = await this.repos.organizations.findIndustryCommittees(distinct(rows.map((row) => cityOf(row.regionCode))));
    const quorumIds = rows.flatMap((row) => (row.kind === 'STANDALONE_BRANCH' ? licencesOf(row).map((l) => institutions.get(l)?.id) : []));
    const fullMembers = await this.members.fullPartyMembersOf(distinct(quorumIds), caller.authorization);

    const plans = rows.map((row, index): OrganizationPlan | undefined => {
      const licences = licencesOf(row);
      const checked = errors.check(index, () => checkEstablishment(row, licences.length, this.config.jointBranchCap, field));
      if (!regions.has(row.regionCode)) errors.add(index, notFound('Region', row.regionCode, 'regionCode'));
      const listed: InstitutionRecord[] = [];
      for (const licence of licences) {
        const institution = institutions.get(licence);
        if (institution) listed.push(institution);
        else errors.add(index, notFound('Institution', licence, field));
      }
      if (!checked || errors.has(index)) return undefined;

      const before = existing.get(keyOf(row.regionCode, checked.name));
      if (before) {
        if (before.dissolvedOn) errors.add(index, conflict(`party organization ${before.name} was dissolved on ${before.dissolvedOn}.`), 'name');
        for (const [f, value] of [['kind', row.kind], ['sector', row.sector], ['foundedOn', checked.foundedOn]] as const) {
          if (value !== before[f]) errors.add(index, unchangeable('organization', f));
        }
        const covered = coverage.filter((i) => i.partyOrganizationId === before.id).map((i) => i.id);
        const adding = listed.filter((i) => !covered.includes(i.id));
        if (adding.length > 0 && before.kind !== 'JOINT_BRANCH') {
          errors.add(index, badUserInput('only a joint branch takes on institutions after it is established.', field));
        } else if (adding.length > 0) {
          const capacity = jointBranchCapacityProblem(covered.length, adding.length, this.config.jointBranchCap);
          if (capacity) errors.add(index, conflict(capacity), field);
          for (const institution of adding) errors.check(index, () => checkCoverable(institution, before.sector, before.regionCode, field), field);
        }
        if (row.parentName && this.parentFor(row, parents)?.id !== before.parentId) errors.add(index, unchangeable('organization', 'parentName'));
        if (errors.has(index)) return undefined;
        return { outcome: adding.length > 0 ? 'updated' : 'unchanged', name: checked.name, row, before, covered, adding, parentId: before.parentId };
      }

      for (const institution of listed) errors.check(index, () => checkCoverable(institution, row.sector, row.regionCode, field), field);
      errors.check(index, () => checkBranchRegion(row.kind, listed[0], row.regionCode));
      if (row.kind === 'STANDALONE_BRANCH' && listed[0]) {
        errors.check(index, () => checkQuorum(fullMembers.get(listed[0].id) ?? 0, this.config.standaloneBranchMinFullMembers, field));
      }
      let parentId: string | null = null;
      if (row.parentName) {
        const parent = errors.check(index, () => this.parentFor(row, parents) ?? this.missingParent(row));
        if (parent) errors.check(index, () => checkParent(parent, 'parentName'), 'parentName');
        parentId = parent?.id ?? null;
      } else if (row.kind !== 'INDUSTRY_COMMITTEE') {
        // Branches report to their city's industry committee (行业党委) unless told otherwise.
        parentId = committees.find((c) => c.regionCode === cityOf(row.regionCode) && c.sector === row.sector)?.id ?? null;
      }
      if (errors.has(index)) return undefined;
      return { outcome: 'created', name: checked.name, row, covered: [], adding: listed, parentId };
    });

    const report = reportOf(dryRun, plans.map((p) => p?.outcome), errors);
    // A file its records already match writes nothing, not even the trail of an import.
    if (dryRun || errors.any || report.created + report.updated === 0) return report;
    await inTransaction(this.db, (m) => this.applyOrganizations(caller, m, plans as OrganizationPlan[], report));
    return report;
  }

  private async applyInstitutions(caller: Caller, m: EntityManager, plans: InstitutionPlan[], report: ImportReport): Promise<void> {
    const created = plans.filter((p) => p.outcome === 'created');
    const updated = plans.filter((p) => p.outcome === 'updated');
    await this.lockUnchanged(
      m,
      'institution',
      updated.map((p) => p.before!.id),
      async () => {
        const now = await this.repos.institutions.findByIds(updated.map((p) => p.before!.id), caller.scope, m);
        return updated.every((p) => now.some((i) => i.id === p.before!.id && i.state === p.before!.state && i.partyOrganizationId === p.before!.partyOrganizationId));
      },
    );
    const today = todayInChina();
    const inserted: { id: string }[] = await m.query(
      `INSERT INTO institution (name, kind, license_number, region_code, head_office_id, state, approved_on)
       SELECT r.name, r.kind, r.license_number, r.region_code, r.head_office_id, 'OPERATING', r.approved_on
         FROM unnest($1::text[], $2::text[], $3::text[], $4::char(6)[], $5::uuid[], $6::date[]) WITH ORDINALITY
              AS r (name, kind, license_number, region_code, head_office_id, approved_on, n)
        ORDER BY r.n RETURNING id`,
      [
        created.map((p) => p.name),
        created.map((p) => p.row.kind),
        created.map((p) => p.row.licenseNumber),
        created.map((p) => p.row.regionCode),
        created.map((p) => p.headOfficeId ?? null),
        created.map((p) => p.row.approvedOn ?? today),
      ],
    );
    await m.query(
      `UPDATE institution i SET name = r.name, state = r.state, party_organization_id = r.party_organization_id
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[]) AS r (id, name, state, party_organization_id)
        WHERE i.id = r.id`,
      [
        updated.map((p) => p.before!.id),
        updated.map((p) => p.name),
        updated.map((p) => p.row.state ?? p.before!.state),
        updated.map((p) => p.partyOrganizationId ?? null),
      ],
    );
    const after = new Map(
      (await this.repos.institutions.findByIds([...inserted.map((r) => r.id), ...updated.map((p) => p.before!.id)], caller.scope, m)).map((i) => [i.id, i]),
    );
    const audits: AuditRecord[] = [
      ...inserted.map(({ id }) => ({ action: 'registerInstitution', entity: 'Institution', entityId: id, regionCode: after.get(id)!.regionCode, after: after.get(id) })),
      ...updated.map(({ before }) => ({
        action: 'updateInstitution',
        entity: 'Institution',
        entityId: before!.id,
        regionCode: before!.regionCode,
        before,
        after: after.get(before!.id),
      })),
    ];
    await writeImportAudit(m, caller, 'importInstitutions', audits, report);
  }

  private async applyOrganizations(caller: Caller, m: EntityManager, plans: OrganizationPlan[], report: ImportReport): Promise<void> {
    const writing = plans.filter((p) => p.outcome !== 'unchanged');
    const adding = writing.flatMap((p) => p.adding);
    // The institutions to cover must still be uncovered and operating once locked.
    await this.lockUnchanged(m, 'institution', adding.map((i) => i.id), async () => {
      const now = await this.repos.institutions.findByIds(adding.map((i) => i.id), caller.scope, m);
      return now.length === adding.length && now.every((i) => i.partyOrganizationId === null && i.state === 'OPERATING');
    });
    const created = writing.filter((p) => p.outcome === 'created');
    const inserted: { id: string }[] = await m.query(
      `INSERT INTO party_organization (name, kind, sector, parent_id, region_code, founded_on)
       SELECT r.name, r.kind, r.sector, r.parent_id, r.region_code, r.founded_on
         FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::char(6)[], $6::date[]) WITH ORDINALITY
              AS r (name, kind, sector, parent_id, region_code, founded_on, n)
        ORDER BY r.n RETURNING id`,
      [
        created.map((p) => p.name),
        created.map((p) => p.row.kind),
        created.map((p) => p.row.sector),
        created.map((p) => p.parentId),
        created.map((p) => p.row.regionCode),
        created.map((p) => p.row.foundedOn),
      ],
    );
    const organizationOf = new Map<OrganizationPlan, string>(created.map((p, i) => [p, inserted[i].id]));
    for (const p of writing) if (p.before) organizationOf.set(p, p.before.id);
    const covering = writing.flatMap((p) => p.adding.map((i) => [i.id, organizationOf.get(p)!] as const));
    await m.query(
      `UPDATE institution i SET party_organization_id = r.organization_id
         FROM unnest($1::uuid[], $2::uuid[]) AS r (id, organization_id) WHERE i.id = r.id`,
      [covering.map(([id]) => id), covering.map(([, organization]) => organization)],
    );
    const after = new Map((await this.repos.organizations.findByIds(inserted.map((r) => r.id), caller.scope, m)).map((o) => [o.id, o]));
    const audits: AuditRecord[] = writing.map((p) => {
      const id = organizationOf.get(p)!;
      const institutionIds = p.adding.map((i) => i.id);
      return p.before
        ? {
            action: 'addInstitutionsToJointBranch',
            entity: 'PartyOrganization',
            entityId: id,
            regionCode: p.before.regionCode,
            before: { institutionIds: p.covered },
            after: { institutionIds: [...p.covered, ...institutionIds] },
          }
        : { action: 'establishPartyOrganization', entity: 'PartyOrganization', entityId: id, regionCode: p.row.regionCode, after: { ...after.get(id), institutionIds } };
    });
    await writeImportAudit(m, caller, 'importPartyOrganizations', audits, report);
  }

  /**
   * Locks the rows a file changes, in a stable order so concurrent writers queue up, and fails the
   * whole import when they changed since they were checked.
   */
  private async lockUnchanged(m: EntityManager, table: 'institution', ids: readonly string[], stillAsChecked: () => Promise<boolean>): Promise<void> {
    if (ids.length === 0) return;
    await m.query(`SELECT 1 FROM ${table} WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
    if (!(await stillAsChecked())) throw conflict('Records of the file changed while it was checked; run the import again.');
  }

  /** The regions of a file that exist and lie in the caller's tier. */
  private async regionsInScope(caller: Caller, codes: readonly string[]): Promise<Set<string>> {
    const valid = distinct(codes).filter((code) => isRegionCode(code) && regionInScope(caller.scope, code));
    return new Set((await this.repos.regions.findByCodes(valid, caller.scope)).map((r) => r.code));
  }

  /** A parent named in a row: the organization of that name in the row's region or above it. */
  private parentFor(row: ImportOrganizationRow, parents: readonly PartyOrganization[]): PartyOrganization | undefined {
    const name = row.parentName!.trim();
    const candidates = parents.filter((p) => p.name === name && row.regionCode.startsWith(regionPrefix(p.regionCode)));
    if (candidates.length > 1) throw badUserInput(`${candidates.length} organizations are called ${name} above this region: name the parent in its own ledger first.`, 'parentName');
    return candidates[0];
  }

  private missingParent(row: ImportOrganizationRow): never {
    throw notFound('Party organization', row.parentName!, 'parentName');
  }
}

function unchangeable(what: 'institution' | 'organization', field: string) {
  return badUserInput(`${field} differs from the ${what} as registered; an import does not change it.`, field);
}

function cityOf(regionCode: string): string {
  return regionLevel(regionCode) === 'COUNTY' ? `${regionCode.slice(0, 4)}00` : regionCode;
}
