import type { DataSource } from 'typeorm';
import { writeAudit } from '../../../../shared/src/audit';
import { badUserInput, conflict, notFound } from '../../../../shared/src/errors';
import { isUuid } from '../../../../shared/src/sql';
import { inTransaction } from '../../../../shared/src/transaction';
import { requireName, requirePastDate, todayInChina } from '../../../../shared/src/validation';
import type { Caller } from '../../../../shared/src/viewer';
import type { ActivitiesDirectory } from '../directory';
import type { Member } from '../entities';
import { duesTerms, isMonth, monthIndex, monthOf, toFen, type AppraisalGrade, type DuesCategory, type VanguardKind } from '../facts';
import type { Repositories } from '../repositories';
import type { AppraisalRecord, DuesRecord, PledgeRecord, VanguardPostRecord } from '../repositories/MemberFactsRepository';
import { requireEditor, type MemberService } from './MemberService';

export interface RecordAppraisal {
  memberId: string;
  year: number;
  grade: AppraisalGrade;
  activityId: string;
  correctionReason?: string | null;
}

export interface RecordVanguardPost {
  memberId: string;
  kind: VanguardKind;
  title: string;
  startedOn: string;
}

export interface RecordPledge {
  memberId: string;
  year: number;
  commitment: string;
  pledgedOn: string;
}

export interface SetDuesBase {
  category: DuesCategory;
  base?: number | null;
  fromMonth?: string | null;
}

/** The meetings at which a branch grades its members: the democratic appraisal, or the organizational life meeting that held it. */
const APPRAISAL_MEETINGS = ['DEMOCRATIC_APPRAISAL', 'ORGANIZATIONAL_LIFE_MEETING'];
/** How far ahead dues may be paid (预交): the current month and eleven more. */
const MONTHS_AHEAD = 11;

/**
 * The writes of member facts: appraisal grades, vanguard posts, pledges and dues. Each is a write
 * to a member record, so it belongs to the record's owner exactly as `MemberService` decides it
 * (out of the tier NOT_FOUND, seen but not owned FORBIDDEN); each commits with its audit row.
 */
export class MemberFactsService {
  constructor(
    private readonly db: DataSource,
    private readonly repos: Repositories,
    private readonly activities: ActivitiesDirectory,
    private readonly records: MemberService,
  ) {}

  /**
   * One grade per member and year. A second grade for the same year is a CONFLICT unless it says
   * why it corrects the first (`correctionReason`): then it replaces it, and the audit keeps both.
   */
  async recordAppraisal(caller: Caller, input: RecordAppraisal): Promise<AppraisalRecord> {
    requireEditor(caller);
    const year = requireYear(input.year, 'year');
    const correction = input.correctionReason == null ? null : requireName(input.correctionReason, 'correctionReason', 500);
    const owned = await this.records.ownedMember(caller, input.memberId, 'memberId');
    const activity = await this.activities.activity(input.activityId, caller.authorization, 'activityId');
    if (!APPRAISAL_MEETINGS.includes(activity.kind)) {
      throw badUserInput(`a grade is given at a DEMOCRATIC_APPRAISAL or ORGANIZATIONAL_LIFE_MEETING, not at a ${activity.kind}.`, 'activityId');
    }
    if (activity.status !== 'HELD') throw badUserInput('the meeting was cancelled.', 'activityId');
    if (Number(activity.date.slice(0, 4)) !== year) throw badUserInput(`the meeting was held on ${activity.date}, not in ${year}.`, 'activityId');
    const branchId = activity.organization?.id;
    if (!branchId) throw badUserInput('a grade is given at a meeting of the member’s branch.', 'activityId');

    return inTransaction(this.db, async (m) => {
      const member = await this.records.lockOwned(caller, m, owned);
      requirePartyMemberOn(member, activity.date);
      const held = await m.query(
        `SELECT 1 FROM organization_membership WHERE member_id = $1 AND organization_id = $2 AND from_date <= $3 AND (to_date IS NULL OR to_date >= $3)`,
        [member.id, branchId, activity.date],
      );
      if (held.length === 0) throw badUserInput('the meeting was held by a branch that did not hold the member’s formal relation on its date.', 'activityId');
      const before = await this.repos.facts.appraisal(member.id, year, m);
      if (before && !correction) {
        throw conflict(`the member was graded ${before.grade} for ${year}: give a correctionReason to correct the grade.`);
      }
      if (!before && correction) throw badUserInput(`the member has no grade for ${year} to correct.`, 'correctionReason');
      const values = [member.id, year, input.grade, branchId, activity.id, todayInChina(), correction];
      if (before) {
        await m.query(
          `UPDATE member_appraisal SET grade = $3, organization_id = $4, activity_id = $5, recorded_on = $6, correction_reason = $7 WHERE member_id = $1 AND year = $2`,
          values,
        );
      } else {
        await m.query(
          `INSERT INTO member_appraisal (member_id, year, grade, organization_id, activity_id, recorded_on, correction_reason) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          values,
        );
      }
      const after = (await this.repos.facts.appraisal(member.id, year, m))!;
      await writeAudit(m, caller, { action: 'recordAppraisal', entity: 'Appraisal', entityId: after.id, regionCode: member.regionCode, before: before ?? null, after });
      return after;
    });
  }

  /** A vanguard post or responsibility zone (先锋岗、责任区) a Party member takes on in their institution. */
  async recordVanguardPost(caller: Caller, input: RecordVanguardPost): Promise<VanguardPostRecord> {
    requireEditor(caller);
    const title = requireName(input.title, 'title', 100);
    const startedOn = requirePastDate(input.startedOn, 'startedOn');
    const owned = await this.records.ownedMember(caller, input.memberId, 'memberId');
    return inTransaction(this.db, async (m) => {
      const member = await this.records.lockOwned(caller, m, owned);
      const { institutionId, organizationId } = requireInstitutionMember(member, startedOn, 'startedOn');
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO vanguard_post (member_id, kind, title, institution_id, organization_id, started_on) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [member.id, input.kind, title, institutionId, organizationId, startedOn],
      );
      const after = (await this.repos.facts.postById(id, caller.scope, m))!;
      await writeAudit(m, caller, { action: 'recordVanguardPost', entity: 'VanguardPost', entityId: id, regionCode: member.regionCode, after });
      return after;
    });
  }

  async closeVanguardPost(caller: Caller, id: string, endedOn: string): Promise<VanguardPostRecord> {
    requireEditor(caller);
    requirePastDate(endedOn, 'endedOn');
    const found = isUuid(id) ? await this.repos.facts.postById(id, caller.scope) : undefined;
    if (!found) throw notFound('Vanguard post', id);
    const owned = await this.records.ownedMember(caller, found.memberId);
    return inTransaction(this.db, async (m) => {
      const member = await this.records.lockOwned(caller, m, owned);
      await m.query(`SELECT 1 FROM vanguard_post WHERE id = $1 FOR UPDATE`, [id]);
      const before = (await this.repos.facts.postById(id, caller.scope, m))!;
      if (before.endedOn) throw conflict(`the post was closed on ${before.endedOn}.`);
      if (endedOn < before.startedOn) throw badUserInput('endedOn cannot precede the start of the post.', 'endedOn');
      await m.query(`UPDATE vanguard_post SET ended_on = $2 WHERE id = $1`, [id, endedOn]);
      const after = { ...before, endedOn };
      await writeAudit(m, caller, { action: 'closeVanguardPost', entity: 'VanguardPost', entityId: id, regionCode: member.regionCode, before, after });
      return after;
    });
  }

  /** The year's pledge (亮身份、亮职责、亮承诺): one per member and year. */
  async recordPledge(caller: Caller, input: RecordPledge): Promise<PledgeRecord> {
    requireEditor(caller);
    const year = requireYear(input.year, 'year');
    const commitment = requireName(input.commitment, 'commitment', 1000);
    const pledgedOn = requirePastDate(input.pledgedOn, 'pledgedOn');
    if (Number(pledgedOn.slice(0, 4)) !== year) throw badUserInput(`a pledge for ${year} is made in ${year}.`, 'pledgedOn');
    const owned = await this.records.ownedMember(caller, input.memberId, 'memberId');
    return inTransaction(this.db, async (m) => {
      const member = await this.records.lockOwned(caller, m, owned);
      const { institutionId, organizationId } = requireInstitutionMember(member, pledgedOn, 'pledgedOn');
      const taken = await m.query(`SELECT 1 FROM member_pledge WHERE member_id = $1 AND year = $2`, [member.id, year]);
      if (taken.length > 0) throw conflict(`the member has made a pledge for ${year}.`);
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO member_pledge (member_id, year, institution_id, organization_id, commitment, pledged_on) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [member.id, year, institutionId, organizationId, commitment, pledgedOn],
      );
      const after = (await this.repos.facts.pledgeById(id, caller.scope, m))!;
      await writeAudit(m, caller, { action: 'recordPledge', entity: 'Pledge', entityId: id, regionCode: member.regionCode, after });
      return after;
    });
  }

  async closePledge(caller: Caller, id: string, closedOn: string): Promise<PledgeRecord> {
    requireEditor(caller);
    requirePastDate(closedOn, 'closedOn');
    const found = isUuid(id) ? await this.repos.facts.pledgeById(id, caller.scope) : undefined;
    if (!found) throw notFound('Pledge', id);
    const owned = await this.records.ownedMember(caller, found.memberId);
    return inTransaction(this.db, async (m) => {
      const member = await this.records.lockOwned(caller, m, owned);
      await m.query(`SELECT 1 FROM member_pledge WHERE id = $1 FOR UPDATE`, [id]);
      const before = (await this.repos.facts.pledgeById(id, caller.scope, m))!;
      if (before.closedOn) throw conflict(`the pledge was closed on ${before.closedOn}.`);
      if (closedOn < before.pledgedOn) throw badUserInput('closedOn cannot precede the pledge.', 'closedOn');
      await m.query(`UPDATE member_pledge SET closed_on = $2 WHERE id = $1`, [id, closedOn]);
      const after = { ...before, closedOn };
      await writeAudit(m, caller, { action: 'closePledge', entity: 'Pledge', entityId: id, regionCode: member.regionCode, before, after });
      return after;
    });
  }

  /**
   * Sets the base a member's dues are reckoned on, and with it the rate and the monthly amount by
   * the 2008 rule. The first time, also the first month owed (by default the current one); later,
   * the new amount applies to the months still to be paid.
   */
  async setDuesBase(caller: Caller, memberId: string, input: SetDuesBase): Promise<DuesRecord> {
    requireEditor(caller);
    const reckoned = input.category === 'EMPLOYED' || input.category === 'RETIRED';
    const baseFen = input.base == null ? null : toFen(input.base);
    if (input.base != null && baseFen === null) throw badUserInput('base is an amount in yuan, at least 0, with at most two decimals.', 'base');
    if (reckoned && baseFen === null) throw badUserInput(`the dues of a ${input.category} member are reckoned on a monthly base: give base.`, 'base');
    if (input.fromMonth != null && !isMonth(input.fromMonth)) throw badUserInput('fromMonth is a month, YYYY-MM.', 'fromMonth');
    const currentMonth = todayInChina().slice(0, 7);
    if (input.fromMonth != null && input.fromMonth > currentMonth) throw badUserInput('fromMonth cannot lie ahead of the current month.', 'fromMonth');
    const terms = duesTerms(input.category, baseFen ?? 0);
    const owned = await this.records.ownedMember(caller, memberId, 'memberId');
    return inTransaction(this.db, async (m) => {
      const member = await this.records.lockOwned(caller, m, owned);
      if (!member.joinedOn || (member.partyStatus !== 'PROBATIONARY' && member.partyStatus !== 'FULL')) {
        throw badUserInput('dues are paid by Party members.', 'memberId');
      }
      const before = await this.repos.facts.dues(member.id, m);
      if (before && input.fromMonth != null && `${input.fromMonth}-01` !== before.fromMonth) {
        throw badUserInput(`the dues are owed from ${before.fromMonth.slice(0, 7)}; that month does not change.`, 'fromMonth');
      }
      const fromMonth = `${input.fromMonth ?? currentMonth}-01`;
      if (!before && fromMonth.slice(0, 7) < member.joinedOn.slice(0, 7)) {
        throw badUserInput(`the member joined on ${member.joinedOn}: dues are owed from then on.`, 'fromMonth');
      }
      await m.query(
        `INSERT INTO member_dues (member_id, category, base_fen, rate_bp, monthly_fen, from_month, owed_from) VALUES ($1, $2, $3, $4, $5, $6, $6)
         ON CONFLICT (member_id) DO UPDATE SET category = EXCLUDED.category, base_fen = EXCLUDED.base_fen, rate_bp = EXCLUDED.rate_bp, monthly_fen = EXCLUDED.monthly_fen`,
        [member.id, input.category, reckoned ? baseFen : null, terms.rateBasisPoints, terms.monthlyFen, fromMonth],
      );
      const after = (await this.repos.facts.dues(member.id, m))!;
      await writeAudit(m, caller, { action: 'setDuesBase', entity: 'Dues', entityId: member.id, regionCode: member.regionCode, before: before ?? null, after });
      return after;
    });
  }

  /**
   * One month's dues, paid in order: the month must be the first still unpaid, and the amount what
   * a month costs (base × rate, or the fixed amount), else BAD_USER_INPUT.
   */
  async recordDuesPayment(caller: Caller, memberId: string, month: string, amount: number): Promise<DuesRecord> {
    requireEditor(caller);
    if (!isMonth(month)) throw badUserInput('month is a month, YYYY-MM.', 'month');
    const amountFen = toFen(amount);
    if (amountFen === null) throw badUserInput('amount is in yuan, at least 0, with at most two decimals.', 'amount');
    const today = todayInChina();
    if (monthIndex(month) > monthIndex(today.slice(0, 7)) + MONTHS_AHEAD) throw badUserInput(`dues are paid at most ${MONTHS_AHEAD} months ahead.`, 'month');
    const owned = await this.records.ownedMember(caller, memberId, 'memberId');
    return inTransaction(this.db, async (m) => {
      const member = await this.records.lockOwned(caller, m, owned);
      const before = await this.repos.facts.dues(member.id, m);
      if (!before) throw badUserInput('the member has no dues base: set it first (setDuesBase).', 'memberId');
      const owedFrom = before.owedFrom.slice(0, 7);
      if (month < owedFrom) throw conflict(`the dues of ${month} are paid.`);
      if (month !== owedFrom) throw badUserInput(`months are paid in order: the first month unpaid is ${owedFrom}.`, 'month');
      if (amountFen !== before.monthlyFen) {
        throw badUserInput(`a month’s dues are ${(before.monthlyFen / 100).toFixed(2)} yuan by the member’s base and rate.`, 'amount');
      }
      await m.query(`INSERT INTO dues_payment (member_id, month, amount_fen, paid_on) VALUES ($1, $2, $3, $4)`, [member.id, `${month}-01`, amountFen, today]);
      await m.query(`UPDATE member_dues SET owed_from = $2 WHERE member_id = $1`, [member.id, `${monthOf(monthIndex(month) + 1)}-01`]);
      const after = (await this.repos.facts.dues(member.id, m))!;
      await writeAudit(m, caller, {
        action: 'recordDuesPayment',
        entity: 'Dues',
        entityId: member.id,
        regionCode: member.regionCode,
        before,
        after: { ...after, payment: { month, amountFen, paidOn: today } },
      });
      return after;
    });
  }
}

function requireYear(year: number, field: string): number {
  const current = Number(todayInChina().slice(0, 4));
  if (!Number.isInteger(year) || year < 1921 || year > current) throw badUserInput(`${field} must be a year from 1921 to ${current}.`, field);
  return year;
}

function requirePartyMemberOn(member: Member, date: string): void {
  if (member.partyStatus !== 'PROBATIONARY' && member.partyStatus !== 'FULL') throw badUserInput('only Party members are graded.', 'memberId');
  if (!member.joinedOn || member.joinedOn > date) throw badUserInput(`the member joined on ${member.joinedOn}, after the meeting.`, 'memberId');
}

/** A post or a pledge is a Party member's, in the institution they practise in, from their admission on. */
function requireInstitutionMember(member: Member, on: string, dateField: string): { institutionId: string; organizationId: string } {
  if (member.partyStatus !== 'PROBATIONARY' && member.partyStatus !== 'FULL') throw badUserInput('only Party members take on posts and pledges.', 'memberId');
  if (!member.institutionId || !member.organizationId) throw badUserInput('a post or pledge is held in the institution the member practises in; this member has none.', 'memberId');
  if (!member.joinedOn || on < member.joinedOn) throw badUserInput(`the member joined on ${member.joinedOn}.`, dateField);
  return { institutionId: member.institutionId, organizationId: member.organizationId };
}
