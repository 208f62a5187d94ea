import type { DataSource, EntityManager } from 'typeorm';
import { writeAudit } from '../../../../shared/src/audit';
import { badUserInput, conflict, forbidden, notFound } from '../../../../shared/src/errors';
import { isValidIdNumber } from '../../../../shared/src/id-number';
import { isRegionCode } from '../../../../shared/src/regions';
import { isUuid } from '../../../../shared/src/sql';
import { inTransaction } from '../../../../shared/src/transaction';
import { requireName, requirePastDate } from '../../../../shared/src/validation';
import { ALL_REGIONS, canWrite, regionInScope, type Caller } from '../../../../shared/src/viewer';
import type { InstitutionFacts, OrganizationDirectory } from '../directory';
import { PRACTICE_OF_SECTOR, type Education, type Gender, type Member, type PartyStatus, type PracticeKind, type RoleAssignment, type RoleKind } from '../entities';
import type { Repositories } from '../repositories';
import { ownsMember } from '../ownership';
import { licenseNumberProblem, nextStatusProblem, phoneProblem, probationExtensionProblem, stepDateProblem } from '../rules';

export interface RegisterMember {
  name: string;
  gender: Gender;
  ethnicity: string;
  birthDate: string;
  idNumber: string;
  education?: Education | null;
  phone?: string | null;
  institutionId?: string | null;
  practice?: PracticeKind | null;
  licenseNumber?: string | null;
  regionCode?: string | null;
}

export interface UpdateMember {
  name?: string | null;
  ethnicity?: string | null;
  education?: Education | null;
  phone?: string | null;
  institutionId?: string | null;
  licenseNumber?: string | null;
  lostContact?: boolean | null;
  mobile?: boolean | null;
}

export interface AssignRole {
  memberId: string;
  kind: RoleKind;
  organizationId?: string | null;
  stationId?: string | null;
  startedOn: string;
}

/** The date column each status step records. */
const STATUS_DATE_COLUMN: Record<PartyStatus, string> = {
  APPLICANT: 'applied_on',
  ACTIVIST: 'activist_on',
  CANDIDATE: 'candidate_on',
  PROBATIONARY: 'joined_on',
  FULL: 'full_on',
};

const STATION_ROLES: readonly RoleKind[] = ['STATION_HEAD', 'GUIDANCE_OFFICER'];
/** Roles a member is elected to, which only full members may hold (预备党员没有选举权和被选举权). */
const ELECTED_ROLES: readonly RoleKind[] = ['SECRETARY', 'DEPUTY_SECRETARY', 'COMMITTEE_MEMBER'];
const BRANCH_KINDS = ['STANDALONE_BRANCH', 'JOINT_BRANCH', 'GENERAL_BRANCH', 'TEMPORARY_BRANCH'];

/**
 * The writes of member records. Each checks the caller's role and tier, applies the rules, and
 * commits the change with its audit row in one transaction. Facts about institutions, branches
 * and stations come from the organization subgraph before the transaction opens.
 */
export class MemberService {
  constructor(
    private readonly db: DataSource,
    private readonly repos: Repositories,
    private readonly directory: OrganizationDirectory,
  ) {}

  async register(caller: Caller, input: RegisterMember): Promise<Member> {
    requireEditor(caller, { stationsOnly: true });
    const record = checkPerson(input);
    if (input.phone) requireValid(phoneProblem(input.phone), 'phone');

    let regionCode: string;
    let practice: PracticeKind | null = null;
    if (input.institutionId) {
      const institution = await this.directory.institution(input.institutionId, caller.authorization, 'institutionId');
      practice = checkPractice(input, institution);
      regionCode = institution.region?.code ?? '';
    } else {
      const code = checkStaff(input, 'institutionId');
      const known = isRegionCode(code) && regionInScope(caller.scope, code) && (await this.directory.regionExists(code, caller.authorization));
      if (!known) throw notFound('Region', code, 'regionCode');
      regionCode = code;
    }

    return inTransaction(this.db, async (m) => {
      await this.requireUnique(m, 'id_number', input.idNumber, 'idNumber', null);
      if (input.licenseNumber) await this.requireUnique(m, 'license_number', input.licenseNumber, 'licenseNumber', null);
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO member (name, gender, ethnicity, birth_date, id_number, education, phone, practice_kind, license_number, institution_id, region_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [record.name, input.gender, record.ethnicity, record.birthDate, input.idNumber, input.education ?? null, input.phone ?? null,
          practice, input.licenseNumber ?? null, input.institutionId ?? null, regionCode],
      );
      const created = await this.reload(caller, m, id);
      await writeAudit(m, caller, { action: 'registerMember', entity: 'Member', entityId: id, regionCode, after: created });
      return created;
    });
  }

  async update(caller: Caller, id: string, input: UpdateMember): Promise<Member> {
    requireEditor(caller);
    const name = input.name == null ? null : requireName(input.name, 'name', 50);
    const ethnicity = input.ethnicity == null ? null : requireName(input.ethnicity, 'ethnicity', 20);
    if (input.phone) requireValid(phoneProblem(input.phone), 'phone');
    const owned = await this.ownedMember(caller, id);
    // Moving the record keeps it in the caller's tier: the new institution must be one the caller sees.
    const institution = input.institutionId ? await this.directory.institution(input.institutionId, caller.authorization, 'institutionId') : null;

    return inTransaction(this.db, async (m) => {
      const before = await this.lockOwned(caller, m, owned);
      if (institution) checkMove(before, institution, 'institutionId');
      if (input.licenseNumber != null) {
        checkLicenceChange(before, input.licenseNumber);
        await this.requireUnique(m, 'license_number', input.licenseNumber, 'licenseNumber', id);
      }
      await m.query(
        `UPDATE member SET name = $2, ethnicity = $3, education = $4, phone = $5, institution_id = $6, region_code = $7,
                license_number = $8, lost_contact = $9, mobile = $10 WHERE id = $1`,
        [id, name ?? before.name, ethnicity ?? before.ethnicity, input.education ?? before.education, input.phone ?? before.phone,
          institution?.id ?? before.institutionId, institution?.region?.code ?? before.regionCode, input.licenseNumber ?? before.licenseNumber,
          input.lostContact ?? before.lostContact, input.mobile ?? before.mobile],
      );
      const after = await this.reloadAnywhere(m, id);
      await writeAudit(m, caller, { action: 'updateMember', entity: 'Member', entityId: id, regionCode: after.regionCode, before, after });
      return after;
    });
  }

  async advance(caller: Caller, id: string, input: { to: PartyStatus; on: string; organizationId?: string | null }): Promise<Member> {
    requireEditor(caller);
    const on = requirePastDate(input.on, 'on');
    const owned = await this.ownedMember(caller, id);
    const admittingBranch = input.to === 'PROBATIONARY' && input.organizationId ? await this.branch(caller, input.organizationId, 'organizationId') : null;

    return inTransaction(this.db, async (m) => {
      const before = await this.lockOwned(caller, m, owned);
      requireValid(nextStatusProblem(before.partyStatus, input.to), 'to');
      requireValid(stepDateProblem(before, input.to, on), 'on');
      let organizationId = before.organizationId;
      if (input.to === 'PROBATIONARY') {
        organizationId = admittingBranch?.id ?? before.organizationId;
        if (!organizationId) throw badUserInput('name the branch that admits the member.', 'organizationId');
        await m.query(`INSERT INTO organization_membership (member_id, organization_id, from_date) VALUES ($1, $2, $3)`, [id, organizationId, on]);
      }
      await m.query(`UPDATE member SET party_status = $2, ${STATUS_DATE_COLUMN[input.to]} = $3, organization_id = $4 WHERE id = $1`, [
        id, input.to, on, organizationId,
      ]);
      const after = await this.reloadAnywhere(m, id);
      await writeAudit(m, caller, { action: 'advancePartyStatus', entity: 'Member', entityId: id, regionCode: after.regionCode, before, after });
      return after;
    });
  }

  async extendProbation(caller: Caller, id: string, until: string, reason: string): Promise<Member> {
    requireEditor(caller);
    const why = requireName(reason, 'reason', 500);
    const owned = await this.ownedMember(caller, id);
    return inTransaction(this.db, async (m) => {
      const before = await this.lockOwned(caller, m, owned);
      requireValid(probationExtensionProblem(before, until), 'until');
      await m.query(`UPDATE member SET probation_extended_until = $2 WHERE id = $1`, [id, until]);
      const after = await this.reloadAnywhere(m, id);
      await writeAudit(m, caller, { action: 'extendProbation', entity: 'Member', entityId: id, regionCode: after.regionCode, before, after: { ...after, reason: why } });
      return after;
    });
  }

  async joinTemporarily(caller: Caller, memberId: string, organizationId: string, startedOn: string): Promise<Member> {
    requireEditor(caller);
    requirePastDate(startedOn, 'startedOn');
    // The member first: nothing is said about the branch to a caller who may not change the member.
    const owned = await this.ownedMember(caller, memberId, 'memberId');
    // A mobile member may take part in a branch anywhere, so the branch is looked up in every tier.
    const branch = await this.branch(caller, organizationId, 'organizationId', 'anyTier');

    return inTransaction(this.db, async (m) => {
      const member = await this.lockOwned(caller, m, owned);
      if (member.partyStatus !== 'PROBATIONARY' && member.partyStatus !== 'FULL') {
        throw badUserInput('only Party members take part in a branch’s organizational life.', 'memberId');
      }
      if (member.organizationId === branch.id) throw badUserInput('the member’s formal relation is already in this branch.', 'organizationId');
      const open = await m.query(
        `SELECT 1 FROM temporary_participation WHERE member_id = $1 AND organization_id = $2 AND ended_on IS NULL`,
        [memberId, branch.id],
      );
      if (open.length > 0) throw conflict('the member already takes part in this branch.');
      await m.query(`INSERT INTO temporary_participation (member_id, organization_id, started_on) VALUES ($1, $2, $3)`, [memberId, branch.id, startedOn]);
      await writeAudit(m, caller, {
        action: 'joinTemporarily',
        entity: 'Member',
        entityId: memberId,
        regionCode: member.regionCode,
        after: { organizationId: branch.id, startedOn },
      });
      return member;
    });
  }

  async leaveTemporary(caller: Caller, memberId: string, organizationId: string, endedOn: string): Promise<Member> {
    requireEditor(caller);
    requirePastDate(endedOn, 'endedOn');
    const owned = await this.ownedMember(caller, memberId, 'memberId');
    return inTransaction(this.db, async (m) => {
      const member = await this.lockOwned(caller, m, owned);
      const [open]: { id: string; startedOn: string }[] = isUuid(organizationId)
        ? await m.query(
            `SELECT id, started_on AS "startedOn" FROM temporary_participation WHERE member_id = $1 AND organization_id = $2 AND ended_on IS NULL FOR UPDATE`,
            [memberId, organizationId],
          )
        : [];
      if (!open) throw notFound('Temporary participation in', organizationId, 'organizationId');
      if (endedOn < open.startedOn) throw badUserInput('endedOn cannot precede the start of the participation.', 'endedOn');
      await m.query(`UPDATE temporary_participation SET ended_on = $2 WHERE id = $1`, [open.id, endedOn]);
      await writeAudit(m, caller, {
        action: 'leaveTemporary',
        entity: 'Member',
        entityId: memberId,
        regionCode: member.regionCode,
        before: { organizationId, startedOn: open.startedOn },
        after: { organizationId, startedOn: open.startedOn, endedOn },
      });
      return member;
    });
  }

  async assignRole(caller: Caller, input: AssignRole): Promise<RoleAssignment> {
    const atStation = STATION_ROLES.includes(input.kind);
    // Station heads and guidance officers are appointed by the stations themselves.
    requireEditor(caller, { stationsOnly: atStation });
    requirePastDate(input.startedOn, 'startedOn');
    if (atStation ? !input.stationId || input.organizationId : !input.organizationId || input.stationId) {
      throw badUserInput(atStation ? `a ${input.kind} role is held at a station: give stationId only.` : `a ${input.kind} role is held in an organization: give organizationId only.`, atStation ? 'stationId' : 'organizationId');
    }
    // A role is written to the member's record: by its owner, in a place of the owner's tier.
    const owned = await this.ownedMember(caller, input.memberId, 'memberId');
    const place = atStation
      ? await this.directory.station(input.stationId!, caller.authorization, 'stationId')
      : await this.directory.organization(input.organizationId!, 'organizationId', { authorization: caller.authorization });
    if ('dissolvedOn' in place && place.dissolvedOn) throw conflict(`party organization ${place.id} was dissolved on ${place.dissolvedOn}.`);

    return inTransaction(this.db, async (m) => {
      const member = await this.lockOwned(caller, m, owned);
      const full = member.partyStatus === 'FULL';
      if ((ELECTED_ROLES.includes(input.kind) || atStation) && !full) throw badUserInput(`a ${input.kind} must be a full Party member.`, 'memberId');
      if (!atStation && input.kind !== 'LIAISON' && member.partyStatus !== 'PROBATIONARY' && !full) {
        throw badUserInput(`a ${input.kind} must be a Party member.`, 'memberId');
      }
      if (input.kind === 'SECRETARY' && member.organizationId !== place.id) {
        const participant = await m.query(
          `SELECT 1 FROM temporary_participation WHERE member_id = $1 AND organization_id = $2 AND ended_on IS NULL`,
          [member.id, place.id],
        );
        const temporaryBranch = 'kind' in place && place.kind === 'TEMPORARY_BRANCH';
        if (!temporaryBranch || participant.length === 0) {
          throw badUserInput('a secretary holds their formal relation in the branch (or, in a temporary branch, takes part in it).', 'memberId');
        }
      }
      if (input.kind === 'SECRETARY' || input.kind === 'STATION_HEAD') {
        const column = atStation ? 'station_id' : 'organization_id';
        const held = await m.query(`SELECT 1 FROM role_assignment WHERE ${column} = $1 AND kind = $2 AND ended_on IS NULL FOR UPDATE`, [place.id, input.kind]);
        if (held.length > 0) throw conflict(`${place.id} already has a current ${input.kind}: end that role first.`);
      }
      const regionCode = place.region?.code ?? member.regionCode;
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO role_assignment (member_id, kind, organization_id, station_id, region_code, started_on)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [member.id, input.kind, atStation ? null : place.id, atStation ? place.id : null, regionCode, input.startedOn],
      );
      const [created] = await this.repos.roles.findByIds([id], caller.scope, m);
      await writeAudit(m, caller, { action: 'assignRole', entity: 'Role', entityId: id, regionCode, after: created });
      return created;
    });
  }

  async endRole(caller: Caller, id: string, endedOn: string): Promise<RoleAssignment> {
    requireEditor(caller);
    requirePastDate(endedOn, 'endedOn');
    return inTransaction(this.db, async (m) => {
      let before: RoleAssignment | undefined;
      if (isUuid(id)) {
        await m.query(`SELECT 1 FROM role_assignment WHERE id = $1 FOR UPDATE`, [id]);
        [before] = await this.repos.roles.findByIds([id], caller.scope, m);
      }
      if (!before) throw notFound('Role', id);
      if (before.endedOn) throw conflict(`the role ended on ${before.endedOn}.`);
      if (endedOn < before.startedOn) throw badUserInput('endedOn cannot precede the start of the role.', 'endedOn');
      await m.query(`UPDATE role_assignment SET ended_on = $2 WHERE id = $1`, [id, endedOn]);
      const after = { ...before, endedOn };
      await writeAudit(m, caller, { action: 'endRole', entity: 'Role', entityId: id, regionCode: before.regionCode, before, after });
      return after;
    });
  }

  /** A branch (not a committee) that exists and is not dissolved. */
  private async branch(caller: Caller, id: string, field: string, access: 'callerTier' | 'anyTier' = 'callerTier') {
    if (access === 'anyTier') return usableBranch(caller, this.directory, id, field, BRANCH_KINDS, 'members belong to a branch, not to a committee.');
    const branch = await this.directory.organization(id, field, { authorization: caller.authorization });
    if (!BRANCH_KINDS.includes(branch.kind)) throw badUserInput('members belong to a branch, not to a committee.', field);
    if (branch.dissolvedOn) throw conflict(`party organization ${branch.id} was dissolved on ${branch.dissolvedOn}.`);
    return branch;
  }

  /**
   * A member the caller may change: one it can see (else NOT_FOUND, as if missing) whose record
   * its tier owns (else FORBIDDEN). Decided before the transaction, which must not wait on the
   * organization subgraph; `lockOwned` then makes sure the formal relation has not moved since.
   */
  async ownedMember(caller: Caller, id: string, field?: string): Promise<Member> {
    const [member] = isUuid(id) ? await this.repos.members.findByIds([id], caller.scope) : [];
    if (!member) throw notFound('Member', id, field);
    const formalRegion = member.organizationId && !caller.scope.organizationId ? (await this.directory.organizationRegions([member.organizationId]))[0] : null;
    requireOwned(caller.scope, member, formalRegion);
    return member;
  }

  /** Locks a member found by `ownedMember`, whose formal relation must still be where it was. */
  async lockOwned(caller: Caller, m: EntityManager, owned: Member): Promise<Member> {
    const member = await this.lock(caller, m, owned.id);
    if (member.organizationId !== owned.organizationId || member.regionCode !== owned.regionCode) {
      throw conflict('the member’s formal relation changed meanwhile: try again.');
    }
    return member;
  }

  private async requireUnique(m: EntityManager, column: 'id_number' | 'license_number', value: string, field: string, exceptId: string | null): Promise<void> {
    const taken = await m.query(`SELECT 1 FROM member WHERE ${column} = $1 AND id IS DISTINCT FROM $2`, [value, exceptId]);
    if (taken.length > 0) throw conflict(`${field} ${value} is already registered.`);
  }

  /** Reads and locks a member the caller can see, so concurrent writes to it queue up. */
  private async lock(caller: Caller, m: EntityManager, id: string): Promise<Member> {
    if (isUuid(id)) {
      await m.query(`SELECT 1 FROM member WHERE id = $1 FOR UPDATE`, [id]);
      const [member] = await this.repos.members.findByIds([id], caller.scope, m);
      if (member) return member;
    }
    throw notFound('Member', id);
  }

  private async reload(caller: Caller, m: EntityManager, id: string): Promise<Member> {
    const [member] = await this.repos.members.findByIds([id], caller.scope, m);
    return member ?? this.reloadAnywhere(m, id);
  }

  /** The record as written, even where the write moved it out of the caller's tier. */
  private async reloadAnywhere(m: EntityManager, id: string): Promise<Member> {
    const [member] = await this.repos.members.findByIds([id], ALL_REGIONS, m);
    return member;
  }
}

/**
 * A branch named in a write that may lie in any tier (a temporary host, a transfer's receiving
 * branch). To a caller outside its tier, a branch that cannot serve (not a branch, dissolved) is
 * missing, with the same message as one that does not exist; only inside the tier is the reason given.
 */
export async function usableBranch(caller: Caller, directory: OrganizationDirectory, id: string, field: string, kinds: readonly string[], kindProblem: string) {
  const branch = await directory.organization(id, field, 'anyTier');
  const usable = kinds.includes(branch.kind) && !branch.dissolvedOn;
  if (usable) return branch;
  const seen = caller.scope.organizationId ? branch.id === caller.scope.organizationId : regionInScope(caller.scope, branch.region?.code ?? '');
  if (!seen) throw notFound('Party organization', id, field);
  if (!kinds.includes(branch.kind)) throw badUserInput(kindProblem, field);
  throw conflict(`party organization ${branch.id} was dissolved on ${branch.dissolvedOn}.`);
}

export function requireEditor(caller: Caller, options: { stationsOnly?: boolean } = {}): void {
  if (!canWrite(caller.viewer)) throw forbidden('Changing member records needs the editor or admin role.');
  if (options.stationsOnly && caller.viewer.tier === 'BRANCH') throw forbidden('People are registered by guidance stations, not by branches.');
}

export function requireOwned(scope: Caller['scope'], member: Member, formalRegion: string | null): void {
  if (!ownsMember(scope, member, formalRegion)) {
    throw forbidden('a member record is changed only by the tier that holds the member’s formal relation (组织关系).');
  }
}

export function requireValid(problem: string | null, field: string): void {
  if (problem) throw badUserInput(problem, field);
}

/*
 * The rules of registering and updating a person that need no lookup, shared with the import of
 * ledgers (services/MemberImportService.ts), which checks whole files of rows against them.
 */

/** A person's identity: name, ethnicity, a past birth date, and a valid ID number carrying it. */
export function checkPerson(input: Pick<RegisterMember, 'name' | 'ethnicity' | 'birthDate' | 'idNumber'>): { name: string; ethnicity: string; birthDate: string } {
  const record = {
    name: requireName(input.name, 'name', 50),
    ethnicity: requireName(input.ethnicity, 'ethnicity', 20),
    birthDate: requirePastDate(input.birthDate, 'birthDate'),
  };
  if (!isValidIdNumber(input.idNumber)) throw badUserInput('idNumber is not a valid resident ID number (GB 11643).', 'idNumber');
  if (input.idNumber.slice(6, 14) !== record.birthDate.replaceAll('-', '')) {
    throw badUserInput('idNumber does not carry the birth date given.', 'idNumber');
  }
  return record;
}

/** A practitioner's practice at an operating institution: of its sector, with a valid licence. */
export function checkPractice(input: Pick<RegisterMember, 'practice' | 'licenseNumber'>, institution: InstitutionFacts): PracticeKind {
  if (institution.state !== 'OPERATING') throw conflict(`institution ${institution.id} is closed.`);
  const practice = PRACTICE_OF_SECTOR[institution.kind];
  if (input.practice && input.practice !== practice) throw badUserInput(`people of a ${institution.kind} practise as ${practice}.`, 'practice');
  if (!input.licenseNumber) throw badUserInput('a practitioner needs a licence number.', 'licenseNumber');
  requireValid(licenseNumberProblem(practice, input.licenseNumber), 'licenseNumber');
  return practice;
}

/** Station staff: no practice, and a region of their own; answers the region code. */
export function checkStaff(input: Pick<RegisterMember, 'practice' | 'licenseNumber' | 'regionCode'>, institutionField: string): string {
  if (input.practice || input.licenseNumber) throw badUserInput(`a practice belongs to an institution: give ${institutionField}.`, institutionField);
  if (!input.regionCode) throw badUserInput('staff without an institution need a regionCode.', 'regionCode');
  return input.regionCode;
}

/** A practitioner moves to an operating institution of their own sector. */
export function checkMove(before: Pick<Member, 'practiceKind'>, institution: InstitutionFacts, field: string): void {
  if (!before.practiceKind || PRACTICE_OF_SECTOR[institution.kind] !== before.practiceKind) {
    throw badUserInput(`a ${before.practiceKind ?? 'person without a practice'} cannot practise in a ${institution.kind}.`, field);
  }
  if (institution.state !== 'OPERATING') throw conflict(`institution ${institution.id} is closed.`);
}

export function checkLicenceChange(before: Pick<Member, 'practiceKind'>, licenseNumber: string): void {
  if (!before.practiceKind) throw badUserInput('a licence belongs to a practice; this person has none.', 'licenseNumber');
  requireValid(licenseNumberProblem(before.practiceKind, licenseNumber), 'licenseNumber');
}
