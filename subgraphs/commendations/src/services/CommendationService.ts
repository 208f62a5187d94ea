import type { DataSource, EntityManager } from 'typeorm';
import { writeAudit } from '../../../../shared/src/audit';
import { badUserInput, conflict, forbidden, notFound } from '../../../../shared/src/errors';
import { isUuid } from '../../../../shared/src/sql';
import { inTransaction } from '../../../../shared/src/transaction';
import { requireName, requirePastDate } from '../../../../shared/src/validation';
import { canWrite, regionInScope, type Caller } from '../../../../shared/src/viewer';
import type { MembersDirectory, OrganizationDirectory } from '../directory';
import { RECIPIENT_KIND, type Commendation, type CommendationCategory, type CommendationProgram, type RecipientKind, type RepresentativeBody } from '../entities';
import type { Repositories } from '../repositories';
import { deciderProblem, institutionProblem, memberProblem, nominationDateProblem, nominatorProblem, organizationProblem, regionInProgram, type Problem, type Stage } from '../rules';

export interface Nominate {
  programId: string;
  category: CommendationCategory;
  recipientId: string;
  citation: string;
  nominatedOn: string;
  representativeBody?: RepresentativeBody | null;
}

/** Where a recipient stands, as the other subgraphs report it when the write is made. */
interface Recipient {
  kind: RecipientKind;
  id: string;
  regionCode: string;
  /** The organization whose BRANCH callers see the commendation. */
  organizationId: string | null;
}

const RECIPIENT_NAME: Record<RecipientKind, string> = { MEMBER: 'Member', PARTY_ORGANIZATION: 'Party organization', INSTITUTION: 'Institution' };

/**
 * Nominations and decisions. A station nominates a recipient of its tier; editors whose tier holds
 * the program's region approve, reject or revoke. Recipients' facts come from the members and
 * organization subgraphs before the transaction opens; each write commits with its audit row.
 */
export class CommendationService {
  constructor(
    private readonly db: DataSource,
    private readonly repos: Repositories,
    private readonly members: MembersDirectory,
    private readonly organization: OrganizationDirectory,
  ) {}

  async nominate(caller: Caller, input: Nominate): Promise<Commendation> {
    requireEditor(caller);
    if (caller.viewer.tier === 'BRANCH') throw forbidden('Nominations come from guidance stations, not from branches.');
    const citation = requireName(input.citation, 'citation', 2000);
    const nominatedOn = requirePastDate(input.nominatedOn, 'nominatedOn');
    const program = await this.visibleProgram(caller, input.programId, 'programId');
    const nominator = nominatorProblem(caller.viewer, program);
    if (nominator) throw forbidden(nominator);
    const categories = await this.repos.programs.findCategories([program.id], caller.scope);
    if (!categories.some((c) => c.category === input.category)) throw badUserInput(`the program does not award ${input.category}.`, 'category');
    const body = input.representativeBody ?? null;
    if ((input.category === 'REPRESENTATIVE_RECOMMENDATION') !== (body !== null)) {
      throw badUserInput('representativeBody is given for REPRESENTATIVE_RECOMMENDATION, and only there.', 'representativeBody');
    }
    const dateProblem = nominationDateProblem(program, nominatedOn);
    if (dateProblem) throw badUserInput(dateProblem, 'nominatedOn');

    const recipient = await this.recipient(caller, input.category, body, input.recipientId, { step: 'nomination', on: nominatedOn });
    if (!recipient) throw notFound(RECIPIENT_NAME[RECIPIENT_KIND[input.category]], input.recipientId, 'recipientId');
    if (!regionInProgram(program, recipient.regionCode) || !regionInScope(caller.scope, recipient.regionCode)) {
      throw badUserInput(`the nominee lies outside the program's region ${program.regionCode}.`, 'recipientId');
    }

    return inTransaction(this.db, async (m) => {
      const [held]: { status: string }[] = await m.query(
        `SELECT status FROM commendation WHERE program_id = $1 AND category = $2 AND recipient_id = $3 AND status <> 'REJECTED'`,
        [program.id, input.category, recipient.id],
      );
      if (held) throw conflict(`the nominee already has a ${held.status.toLowerCase()} ${input.category} of this program: one per recipient, category and program.`);
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO commendation (program_id, category, level, year, status, recipient_kind, recipient_id, region_code, organization_id,
                                   citation, representative_body, nominated_on)
         VALUES ($1, $2, $3, $4, 'NOMINATED', $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [program.id, input.category, program.level, program.year, recipient.kind, recipient.id, recipient.regionCode, recipient.organizationId,
          citation, body, nominatedOn],
      );
      const created = await this.reload(caller, m, id);
      await writeAudit(m, caller, { action: 'nominateForCommendation', entity: 'Commendation', entityId: id, regionCode: created.regionCode, after: created });
      return created;
    });
  }

  async approve(caller: Caller, id: string, decidedOn: string, reason: string | null | undefined): Promise<Commendation> {
    requireDecider(caller);
    const why = reason == null ? null : requireName(reason, 'reason', 500);
    const on = requirePastDate(decidedOn, 'decidedOn');
    const { commendation, program } = await this.decidable(caller, id, 'NOMINATED');
    if (on < commendation.nominatedOn) throw badUserInput(`decidedOn cannot precede the nomination of ${commendation.nominatedOn}.`, 'decidedOn');
    const recipient = await this.recipient(caller, commendation.category, commendation.representativeBody, commendation.recipientId, { step: 'decision', on });
    if (!recipient || !regionInProgram(program, recipient.regionCode)) {
      throw conflict('the nominee is no longer found in the program’s region: reject the nomination instead.');
    }

    return inTransaction(this.db, async (m) => {
      const before = await this.lock(caller, m, id, 'NOMINATED');
      // Every approval in the category waits here for the one before it, so the count is final.
      const quota = await this.repos.programs.lockCategory(m, before.programId, before.category);
      const approved = await this.repos.commendations.countApproved(m, before.programId, before.category);
      if (!quota || approved >= quota.quota) {
        throw conflict(`the quota of ${quota?.quota ?? 0} ${before.category} awards of this program is used up.`);
      }
      await m.query(`UPDATE commendation SET status = 'APPROVED', decided_on = $2, decision_reason = $3 WHERE id = $1`, [id, on, why]);
      return this.audited(caller, m, 'approveCommendation', before);
    });
  }

  async reject(caller: Caller, id: string, decidedOn: string, reason: string): Promise<Commendation> {
    requireDecider(caller);
    const why = requireName(reason, 'reason', 500);
    const on = requirePastDate(decidedOn, 'decidedOn');
    const { commendation } = await this.decidable(caller, id, 'NOMINATED');
    if (on < commendation.nominatedOn) throw badUserInput(`decidedOn cannot precede the nomination of ${commendation.nominatedOn}.`, 'decidedOn');
    return inTransaction(this.db, async (m) => {
      const before = await this.lock(caller, m, id, 'NOMINATED');
      await m.query(`UPDATE commendation SET status = 'REJECTED', decided_on = $2, decision_reason = $3 WHERE id = $1`, [id, on, why]);
      return this.audited(caller, m, 'rejectCommendation', before);
    });
  }

  async revoke(caller: Caller, id: string, revokedOn: string, reason: string): Promise<Commendation> {
    requireDecider(caller);
    const why = requireName(reason, 'reason', 500);
    const on = requirePastDate(revokedOn, 'revokedOn');
    const { commendation } = await this.decidable(caller, id, 'APPROVED');
    if (commendation.decidedOn && on < commendation.decidedOn) throw badUserInput(`revokedOn cannot precede the approval of ${commendation.decidedOn}.`, 'revokedOn');
    return inTransaction(this.db, async (m) => {
      const before = await this.lock(caller, m, id, 'APPROVED');
      await m.query(`UPDATE commendation SET status = 'REVOKED', revoked_on = $2, revocation_reason = $3 WHERE id = $1`, [id, on, why]);
      return this.audited(caller, m, 'revokeCommendation', before);
    });
  }

  /**
   * The owner check of every decision (approve, reject, revoke): a commendation outside the
   * caller's tier is NOT_FOUND, like a missing one; one the tier sees (its nominee's, say) but whose
   * program it does not run, nor a tier above, is FORBIDDEN. Then the status the decision needs.
   */
  private async decidable(caller: Caller, id: string, status: 'NOMINATED' | 'APPROVED'): Promise<{ commendation: Commendation; program: CommendationProgram }> {
    const [commendation] = isUuid(id) ? await this.repos.commendations.findByIds([id], caller.scope) : [];
    if (!commendation) throw notFound('Commendation', id, 'id');
    const [program] = await this.repos.programs.findByIds([commendation.programId], caller.scope);
    const problem = program ? deciderProblem(caller.viewer, program) : 'the program lies outside the caller’s tier.';
    if (problem) throw forbidden(problem);
    if (commendation.status !== status) throw conflict(`the commendation is ${commendation.status.toLowerCase()}.`);
    return { commendation, program };
  }

  /** Locks the row, so that concurrent decisions on one nomination queue up, and checks its status again. */
  private async lock(caller: Caller, m: EntityManager, id: string, status: 'NOMINATED' | 'APPROVED'): Promise<Commendation> {
    await m.query(`SELECT 1 FROM commendation WHERE id = $1 FOR UPDATE`, [id]);
    const [commendation] = await this.repos.commendations.findByIds([id], caller.scope, m);
    if (!commendation) throw notFound('Commendation', id, 'id');
    if (commendation.status !== status) throw conflict(`the commendation is ${commendation.status.toLowerCase()}.`);
    return commendation;
  }

  private async audited(caller: Caller, m: EntityManager, action: string, before: Commendation): Promise<Commendation> {
    const after = await this.reload(caller, m, before.id);
    await writeAudit(m, caller, { action, entity: 'Commendation', entityId: before.id, regionCode: before.regionCode, before, after });
    return after;
  }

  private async reload(caller: Caller, m: EntityManager, id: string): Promise<Commendation> {
    const [commendation] = await this.repos.commendations.findByIds([id], caller.scope, m);
    return commendation;
  }

  private async visibleProgram(caller: Caller, id: string, field: string): Promise<CommendationProgram> {
    const [program] = isUuid(id) ? await this.repos.programs.findByIds([id], caller.scope) : [];
    if (!program) throw notFound('Commendation program', id, field);
    return program;
  }

  /**
   * The recipient the category names, looked up on the caller's behalf, with its eligibility on
   * the stage's date. Null when the caller's tier holds no such recipient.
   */
  private async recipient(
    caller: Caller,
    category: CommendationCategory,
    body: RepresentativeBody | null,
    id: string,
    stage: Stage,
  ): Promise<Recipient | null> {
    const kind = RECIPIENT_KIND[category];
    let recipient: Recipient | null = null;
    let problem: Problem = null;
    if (kind === 'MEMBER') {
      const member = await this.members.member(id, caller.authorization);
      if (member?.region) {
        problem = memberProblem(category, body, member, stage);
        recipient = { kind, id: member.id, regionCode: member.region.code, organizationId: member.partyOrganization?.id ?? null };
      }
    } else if (kind === 'PARTY_ORGANIZATION') {
      const organization = await this.organization.partyOrganization(id, caller.authorization);
      if (organization?.region) {
        problem = organizationProblem(organization, stage);
        recipient = { kind, id: organization.id, regionCode: organization.region.code, organizationId: organization.id };
      }
    } else {
      const institution = await this.organization.institution(id, caller.authorization);
      if (institution?.region) {
        problem = institutionProblem(institution, stage);
        recipient = { kind, id: institution.id, regionCode: institution.region.code, organizationId: institution.partyOrganization?.id ?? null };
      }
    }
    if (problem) throw problem.code === 'CONFLICT' ? conflict(problem.message) : badUserInput(problem.message, problem.field);
    return recipient;
  }
}

function requireEditor(caller: Caller): void {
  if (!canWrite(caller.viewer)) throw forbidden('Nominating for and deciding on commendations needs the editor or admin role.');
}

/**
 * Branches never decide, so they are refused before anything is looked up: the answer is the same
 * whether the commendation exists or not, in their organization or elsewhere.
 */
function requireDecider(caller: Caller): void {
  requireEditor(caller);
  if (caller.viewer.tier === 'BRANCH') throw forbidden('Commendations are decided by guidance stations, not by branches.');
}
