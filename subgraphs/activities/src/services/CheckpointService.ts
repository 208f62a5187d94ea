import type { DataSource } from 'typeorm';
import { writeAudit } from '../../../../shared/src/audit';
import { badUserInput, conflict } from '../../../../shared/src/errors';
import { inTransaction } from '../../../../shared/src/transaction';
import { requirePastDate } from '../../../../shared/src/validation';
import { ALL_REGIONS, type Caller } from '../../../../shared/src/viewer';
import type { OrganizationDirectory } from '../directory';
import type { Checkpoint, CheckpointResult, CheckpointStage } from '../entities';
import type { Repositories } from '../repositories';
import { optionalText, requireEditor } from './access';

export interface RecordCheckpoint {
  institutionId: string;
  stage: CheckpointStage;
  checkedOn: string;
  result: CheckpointResult;
  commitmentLetterReceived?: boolean | null;
  notes?: string | null;
}

/** The three synchronizations (三个同步): Party building checked at approval, annual inspection and annual assessment. */
export class CheckpointService {
  constructor(
    private readonly db: DataSource,
    private readonly repos: Repositories,
    private readonly organization: OrganizationDirectory,
  ) {}

  async record(caller: Caller, input: RecordCheckpoint): Promise<Checkpoint> {
    requireEditor(caller, { stationsOnly: true });
    const checkedOn = requirePastDate(input.checkedOn, 'checkedOn');
    const letter = input.commitmentLetterReceived ?? null;
    if (input.stage === 'APPROVAL' && letter === null) {
      throw badUserInput('an approval checkpoint says whether the commitment letter (承诺书) was received.', 'commitmentLetterReceived');
    }
    if (input.stage !== 'APPROVAL' && letter !== null) throw badUserInput('only an approval checkpoint concerns the commitment letter.', 'commitmentLetterReceived');
    if (input.stage === 'APPROVAL' && input.result === 'PASSED' && !letter) {
      throw badUserInput('an institution passes the approval checkpoint only with its commitment letter.', 'result');
    }
    const notes = optionalText(input.notes, 'notes', 2000);
    const institution = await this.organization.institution(input.institutionId, caller.authorization, 'institutionId');
    if (institution.state !== 'OPERATING') throw conflict(`institution ${institution.id} is closed.`);
    if (institution.approvedOn && checkedOn < institution.approvedOn) {
      throw badUserInput(`the institution was approved on ${institution.approvedOn}; it cannot be checked before.`, 'checkedOn');
    }
    const year = Number(checkedOn.slice(0, 4));
    const regionCode = institution.region?.code ?? '';

    return inTransaction(this.db, async (m) => {
      // A checkpoint written at the same time still meets the unique indexes, and a CONFLICT.
      const existing: { stage: CheckpointStage; year: number }[] = await m.query(
        `SELECT stage, year FROM checkpoint WHERE institution_id = $1 AND stage = $2 AND (stage = 'APPROVAL' OR year = $3)`,
        [institution.id, input.stage, year],
      );
      if (existing.length > 0) {
        throw conflict(
          input.stage === 'APPROVAL'
            ? `the institution's approval checkpoint is already recorded (${existing[0].year}).`
            : `the institution's ${input.stage} checkpoint of ${year} is already recorded.`,
        );
      }
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO checkpoint (institution_id, region_code, organization_id, stage, checked_on, result, commitment_letter_received, notes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [institution.id, regionCode, institution.partyOrganization?.id ?? null, input.stage, checkedOn, input.result, letter, notes],
      );
      const [created] = await this.repos.checkpoints.findByIds([id], ALL_REGIONS, m);
      await writeAudit(m, caller, { action: 'recordCheckpoint', entity: 'Checkpoint', entityId: id, regionCode, after: created });
      return created;
    });
  }
}
