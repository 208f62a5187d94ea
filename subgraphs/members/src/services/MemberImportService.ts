import type { DataSource, EntityManager } from 'typeorm';
import type { AuditRecord } from '../../../../shared/src/audit';
import { badUserInput, conflict, notFound } from '../../../../shared/src/errors';
import { distinct, reportOf, requireImportSize, RowErrors, writeImportAudit, type ImportReport, type RowOutcome } from '../../../../shared/src/import';
import { isRegionCode } from '../../../../shared/src/regions';
import { inTransaction } from '../../../../shared/src/transaction';
import { ALL_REGIONS, regionInScope, type Caller } from '../../../../shared/src/viewer';
import type { InstitutionFacts, OrganizationDirectory } from '../directory';
import type { Education, Gender, Member, PracticeKind } from '../entities';
import type { Repositories } from '../repositories';
import { phoneProblem } from '../rules';
import { checkLicenceChange, checkMove, checkPerson, checkPractice, checkStaff, requireEditor, requireOwned, requireValid } from './MemberService';

export interface ImportMemberRow {
  name: string;
  gender: Gender;
  ethnicity: string;
  birthDate: string;
  idNumber: string;
  education?: Education | null;
  phone?: string | null;
  institutionLicenseNumber?: string | null;
  practice?: PracticeKind | null;
  licenseNumber?: string | null;
  regionCode?: string | null;
}

/** A record as a row leaves it: the columns an import writes. */
interface MemberValues {
  name: string;
  gender: Gender;
  ethnicity: string;
  birthDate: string;
  idNumber: string;
  education: Education | null;
  phone: string | null;
  practiceKind: PracticeKind | null;
  licenseNumber: string | null;
  institutionId: string | null;
  regionCode: string;
}

interface MemberPlan {
  outcome: RowOutcome;
  values: MemberValues;
  before?: Member;
}

const INSTITUTION = 'institutionLicenseNumber';
const COMPARED: readonly (keyof MemberValues)[] = ['name', 'ethnicity', 'education', 'phone', 'practiceKind', 'licenseNumber', 'institutionId', 'regionCode'];

/**
 * Ledgers of people (人员台账), imported as files of rows matched on ID numbers. Each row is checked
 * against the rules of `registerMember` or `updateMember`, with their own code (MemberService),
 * after the lookups the whole file needs have been made once each, by natural key: the
 * institutions by licence number and the regions in the organization subgraph, the records by ID
 * number and by practice licence here. A file with any row error writes nothing.
 */
export class MemberImportService {
  constructor(
    private readonly db: DataSource,
    private readonly repos: Repositories,
    private readonly directory: OrganizationDirectory,
  ) {}

  async importMembers(caller: Caller, rows: readonly ImportMemberRow[], dryRun: boolean): Promise<ImportReport> {
    requireEditor(caller);
    requireImportSize(rows);
    const errors = new RowErrors();
    errors.duplicates(rows, (row) => row.idNumber, 'idNumber', 'the ID number');
    errors.duplicates(rows, (row) => row.licenseNumber || null, 'licenseNumber', 'the licence number');

    const institutions = await this.directory.institutionsByLicenseNumber(distinct(rows.map((row) => row.institutionLicenseNumber)), caller.authorization);
    const staffRegions = distinct(rows.map((row) => (row.institutionLicenseNumber ? null : row.regionCode)))
      .filter((code) => isRegionCode(code) && regionInScope(caller.scope, code));
    const regions = await this.directory.regionsVisible(staffRegions, caller.authorization);
    // Every record with one of the file's ID numbers, to tell a new person from one outside the caller's tier.
    const registered = new Map((await this.repos.members.findByNaturalKeys('id_number', distinct(rows.map((r) => r.idNumber)), ALL_REGIONS)).map((m) => [m.idNumber, m]));
    const visible = new Set((await this.repos.members.findByIds([...registered.values()].map((m) => m.id), caller.scope)).map((m) => m.id));
    const formalIds = caller.scope.organizationId ? [] : distinct([...registered.values()].filter((m) => visible.has(m.id)).map((m) => m.organizationId));
    const regionsOfFormal = formalIds.length > 0 ? await this.directory.organizationRegions(formalIds) : [];
    const formalRegions = new Map(formalIds.map((id, i) => [id, regionsOfFormal[i]]));
    const licenceHolders = new Map(
      (await this.repos.members.findByNaturalKeys('license_number', distinct(rows.map((r) => r.licenseNumber || null)), ALL_REGIONS)).map((m) => [m.licenseNumber!, m.idNumber]),
    );

    const plans = rows.map((row, index): MemberPlan | undefined => {
      const person = errors.check(index, () => checkPerson(row));
      if (row.phone) errors.check(index, () => requireValid(phoneProblem(row.phone!), 'phone'));
      const before = registered.get(row.idNumber);
      if (before && !visible.has(before.id)) {
        errors.add(index, notFound('Member', row.idNumber, 'idNumber'));
        return undefined;
      }
      // People are registered by stations: a branch learns nothing more of a row it may not write.
      // Who may write the row comes first, as in the mutations: a caller who may not learns nothing more of it.
      const mayWrite = before
        ? errors.check(index, () => (requireOwned(caller.scope, before, before.organizationId ? (formalRegions.get(before.organizationId) ?? null) : null), true))
        : errors.check(index, () => (requireEditor(caller, { stationsOnly: true }), true));
      if (!mayWrite) return undefined;
      const institution = row.institutionLicenseNumber ? institutions.get(row.institutionLicenseNumber) : undefined;
      if (row.institutionLicenseNumber && !institution) errors.add(index, notFound('Institution', row.institutionLicenseNumber, INSTITUTION));
      const holder = row.licenseNumber ? licenceHolders.get(row.licenseNumber) : undefined;
      if (holder && holder !== row.idNumber) errors.add(index, conflict(`licenseNumber ${row.licenseNumber} is already registered.`), 'licenseNumber');
      if (!person || errors.has(index)) return undefined;

      const values = before
        ? errors.check(index, () => this.updated(row, person, before, institution))
        : errors.check(index, () => this.registered(caller, row, person, institution, regions));
      if (!values) return undefined;
      if (!before) return { outcome: 'created', values };
      const changed = COMPARED.some((key) => values[key] !== before[key]);
      return { outcome: changed ? 'updated' : 'unchanged', values, before };
    });

    const report = reportOf(dryRun, plans.map((p) => p?.outcome), errors);
    // A file its records already match writes nothing, not even the trail of an import.
    if (dryRun || errors.any || report.created + report.updated === 0) return report;
    await inTransaction(this.db, (m) => this.apply(caller, m, plans as MemberPlan[], report));
    return report;
  }

  /** A new person's record, under `registerMember`'s rules. */
  private registered(
    caller: Caller,
    row: ImportMemberRow,
    person: ReturnType<typeof checkPerson>,
    institution: InstitutionFacts | undefined,
    regions: Set<string>,
  ): MemberValues {
    let practiceKind: PracticeKind | null = null;
    let regionCode: string;
    if (institution) {
      practiceKind = checkPractice(row, institution);
      regionCode = institution.region?.code ?? '';
    } else {
      regionCode = checkStaff(row, INSTITUTION);
      if (!regions.has(regionCode)) throw notFound('Region', regionCode, 'regionCode');
    }
    return {
      ...person,
      gender: row.gender,
      idNumber: row.idNumber,
      education: row.education ?? null,
      phone: row.phone ?? null,
      practiceKind,
      licenseNumber: row.licenseNumber || null,
      institutionId: institution?.id ?? null,
      regionCode,
    };
  }

  /** A known person's record as the row changes it, under `updateMember`'s rules: omitted cells keep their value. */
  private updated(
    row: ImportMemberRow,
    person: ReturnType<typeof checkPerson>,
    before: Member,
    institution: InstitutionFacts | undefined,
  ): MemberValues {
    if (row.gender !== before.gender) throw unchangeable('gender');
    if (row.practice && row.practice !== before.practiceKind) throw unchangeable('practice');
    if (!row.institutionLicenseNumber && row.regionCode && row.regionCode !== before.regionCode) throw unchangeable('regionCode');
    const moving = institution && institution.id !== before.institutionId ? institution : null;
    if (moving) checkMove(before, moving, INSTITUTION);
    if (row.licenseNumber && row.licenseNumber !== before.licenseNumber) checkLicenceChange(before, row.licenseNumber);
    return {
      name: person.name,
      gender: before.gender,
      ethnicity: person.ethnicity,
      birthDate: before.birthDate,
      idNumber: before.idNumber,
      education: row.education ?? before.education,
      phone: row.phone ?? before.phone,
      practiceKind: before.practiceKind,
      licenseNumber: row.licenseNumber || before.licenseNumber,
      institutionId: moving?.id ?? before.institutionId,
      regionCode: moving?.region?.code ?? before.regionCode,
    };
  }

  private async apply(caller: Caller, m: EntityManager, plans: MemberPlan[], report: ImportReport): Promise<void> {
    const created = plans.filter((p) => p.outcome === 'created').map((p) => p.values);
    const updated = plans.filter((p) => p.outcome === 'updated');
    const ids = updated.map((p) => p.before!.id);
    if (ids.length > 0) {
      // Locked in a stable order; a formal relation that moved since the check fails the whole file.
      await m.query(`SELECT 1 FROM member WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
      const now = new Map((await this.repos.members.findByIds(ids, ALL_REGIONS, m)).map((r) => [r.id, r]));
      const moved = updated.some(({ before }) => now.get(before!.id)?.organizationId !== before!.organizationId || now.get(before!.id)?.regionCode !== before!.regionCode);
      if (moved) throw conflict('the formal relation of a member in the file changed meanwhile: run the import again.');
    }
    const column = <K extends keyof MemberValues>(list: MemberValues[], key: K) => list.map((v) => v[key]);
    const inserted: { id: string }[] = await m.query(
      `INSERT INTO member (name, gender, ethnicity, birth_date, id_number, education, phone, practice_kind, license_number, institution_id, region_code)
       SELECT r.name, r.gender, r.ethnicity, r.birth_date, r.id_number, r.education, r.phone, r.practice_kind, r.license_number, r.institution_id, r.region_code
         FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::uuid[], $11::char(6)[])
              WITH ORDINALITY AS r (name, gender, ethnicity, birth_date, id_number, education, phone, practice_kind, license_number, institution_id, region_code, n)
        ORDER BY r.n RETURNING id`,
      [
        column(created, 'name'), column(created, 'gender'), column(created, 'ethnicity'), column(created, 'birthDate'), column(created, 'idNumber'),
        column(created, 'education'), column(created, 'phone'), column(created, 'practiceKind'), column(created, 'licenseNumber'),
        column(created, 'institutionId'), column(created, 'regionCode'),
      ],
    );
    const changes = updated.map((p) => p.values);
    await m.query(
      `UPDATE member m SET name = r.name, ethnicity = r.ethnicity, education = r.education, phone = r.phone, license_number = r.license_number
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS r (id, name, ethnicity, education, phone, license_number)
        WHERE m.id = r.id`,
      [ids, column(changes, 'name'), column(changes, 'ethnicity'), column(changes, 'education'), column(changes, 'phone'), column(changes, 'licenseNumber')],
    );
    // Only the people who move: setting a region, even to the same value, wakes the counters' and the history's triggers for every row.
    const moves = updated.filter((p) => p.values.institutionId !== p.before!.institutionId);
    if (moves.length > 0) {
      await m.query(
        `UPDATE member m SET institution_id = r.institution_id, region_code = r.region_code
           FROM unnest($1::uuid[], $2::uuid[], $3::char(6)[]) AS r (id, institution_id, region_code) WHERE m.id = r.id`,
        [moves.map((p) => p.before!.id), moves.map((p) => p.values.institutionId), moves.map((p) => p.values.regionCode)],
      );
    }
    // Read back in every tier: a move may take a record out of the caller's tier, as `updateMember` allows.
    const after = new Map((await this.repos.members.findByIds([...inserted.map((r) => r.id), ...ids], ALL_REGIONS, m)).map((r) => [r.id, r]));
    const audits: AuditRecord[] = [
      ...inserted.map(({ id }) => ({ action: 'registerMember', entity: 'Member', entityId: id, regionCode: after.get(id)!.regionCode, after: after.get(id) })),
      ...updated.map(({ before }) => ({
        action: 'updateMember',
        entity: 'Member',
        entityId: before!.id,
        regionCode: after.get(before!.id)!.regionCode,
        before,
        after: after.get(before!.id),
      })),
    ];
    await writeImportAudit(m, caller, 'importMembers', audits, report);
  }
}

function unchangeable(field: string) {
  return badUserInput(`${field} differs from the person's record; an import does not change it.`, field);
}
