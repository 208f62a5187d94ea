import type { Client } from 'pg';
import { idNumberCheckCharacter } from '../shared/src/id-number';
import { startStack, type Stack } from './helpers/stack';
import { expectNoErrors } from './helpers/expectations';

/** Everything of a member record that the members subgraph lets a caller read. */
const MEMBERS = `query($code: ID!) {
  members(filter: { regionCode: $code }, first: 100) {
    edges { node {
      id name gender ethnicity birthDate birthYear idNumber education phone
      practice { kind licenseNumber } region { code }
      partyStatus appliedOn activistOn candidateOn joinedOn fullOn probationExtendedUntil lostContact mobile
    } }
  }
}`;

interface Seen {
  id: string;
  gender: 'MALE' | 'FEMALE';
  birthDate: string;
  birthYear: number;
  idNumber: string;
  region: { code: string };
  appliedOn: string | null;
}

const day = 86_400_000;
const iso = (time: number) => new Date(time).toISOString().slice(0, 10);
const minusYears = (date: string, years: number) => `${Number(date.slice(0, 4)) - years}${date.slice(4)}`;

interface Reading {
  mask: string;
  regionCodes: string[];
  gender: string;
  firstDay: string;
  lastDay: string;
  appliedOn: string | null;
}

/** The last birth day allowed: the year read, and the public rule that an applicant is 18 or older. */
const lastBirthDay = (seen: Reading) => (seen.appliedOn && minusYears(seen.appliedOn, 18) < seen.lastDay ? minusYears(seen.appliedOn, 18) : seen.lastDay);
const showsMask = (mask: string, id: string) => [...mask].every((c, i) => c === '*' || c === id[i]);

/**
 * The ID numbers consistent with what was read, up to `enough`: a county it may be registered in,
 * a birth date in the days allowed, a sequence whose parity is the gender (GB 11643: odd for men),
 * the check character computed, and every character the mask shows.
 */
function* candidates(seen: Reading): Generator<string> {
  for (const regionCode of seen.regionCodes) {
    for (let t = Date.parse(seen.firstDay); t <= Date.parse(lastBirthDay(seen)); t += day) {
      const stem = regionCode + iso(t).replaceAll('-', '');
      for (let sequence = seen.gender === 'MALE' ? 1 : 0; sequence < 1000; sequence += 2) {
        const first17 = stem + String(sequence).padStart(3, '0');
        const id = first17 + idNumberCheckCharacter(first17);
        if (showsMask(seen.mask, id)) yield id;
      }
    }
  }
}

function countCandidates(seen: Reading, enough = Number.POSITIVE_INFINITY): number {
  let count = 0;
  for (const _ of candidates(seen)) if (++count >= enough) break;
  return count;
}

/** Whether `id` is one of the candidates, without listing them. */
function isCandidate(seen: Reading, id: string): boolean {
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  return (
    seen.regionCodes.includes(id.slice(0, 6)) &&
    birth >= seen.firstDay &&
    birth <= lastBirthDay(seen) &&
    Number(id[16]) % 2 === (seen.gender === 'MALE' ? 1 : 0) &&
    showsMask(seen.mask, id)
  );
}

describe('masked personal data cannot be rebuilt from the rest of the record', () => {
  let stack: Stack;
  let db: Client;
  let seen: Seen[];
  let truth: Map<string, { idNumber: string; birthDate: string }>;
  let counties: string[];
  /** Where the number was registered, as far as the reader can tell: the record's county, or a county of the city the mask shows. */
  const registeredIn = (member: Seen) =>
    member.idNumber.startsWith(member.region.code.slice(0, 4)) ? [member.region.code] : counties.filter((code) => code.startsWith(member.idNumber.slice(0, 4)));

  beforeAll(async () => {
    stack = await startStack();
    const county = await stack.token({ tier: 'COUNTY', regionCode: '210302' });
    const { body } = await stack.request(MEMBERS, { code: '210302' }, county);
    expectNoErrors(body);
    seen = body.data.members.edges.map((edge: { node: Seen }) => edge.node);
    db = await stack.database();
    const { rows } = await db.query(`SELECT id, id_number, birth_date::text AS birth_date FROM members.member WHERE id = ANY($1)`, [seen.map((m) => m.id)]);
    truth = new Map(rows.map((r) => [r.id, { idNumber: r.id_number, birthDate: r.birth_date }]));
    counties = (await db.query(`SELECT code FROM organization.region WHERE level = 'COUNTY'`)).rows.map((r) => r.code);
  });
  afterAll(() => stack?.stop());

  it('gives a county viewer 100 records with the ID number masked and the birth date reduced to its year', () => {
    expect(seen).toHaveLength(100);
    for (const member of seen) {
      expect(member.idNumber).toMatch(/^21\d{2}\*{14}$/);
      expect(member.birthDate).toBe(`${member.birthYear}-01-01`);
      expect(String(member.birthYear)).toBe(truth.get(member.id)!.birthDate.slice(0, 4));
    }
  });

  it('leaves at least 10,000 candidate ID numbers for each of them, the real one among them', () => {
    let realOneAmongThem = 0;
    for (const member of seen) {
      const reading = {
        mask: member.idNumber,
        regionCodes: registeredIn(member),
        gender: member.gender,
        firstDay: `${member.birthYear}-01-01`,
        lastDay: `${member.birthYear}-12-31`,
        appliedOn: member.appliedOn,
      };
      expect({ member: member.id, atLeast10000: countCandidates(reading, 10_000) >= 10_000 }).toEqual({ member: member.id, atLeast10000: true });
      if (isCandidate(reading, truth.get(member.id)!.idNumber)) realOneAmongThem += 1;
    }
    // One in ten was registered in another county of the city than the one they practise in.
    expect(realOneAmongThem).toBeGreaterThanOrEqual(85);
  });

  it('would have let the old mask and the full birth date rebuild them (the check that this test can fail)', () => {
    let rebuilt = 0;
    for (const member of seen) {
      const real = truth.get(member.id)!;
      const oldMask = `${real.idNumber.slice(0, 4)}${'*'.repeat(10)}${real.idNumber.slice(-4)}`;
      const found = [...candidates({ mask: oldMask, regionCodes: registeredIn({ ...member, idNumber: oldMask }), gender: member.gender, firstDay: real.birthDate, lastDay: real.birthDate, appliedOn: null })];
      if (found.length === 1 && found[0] === real.idNumber) rebuilt += 1;
    }
    expect(rebuilt).toBeGreaterThanOrEqual(80);
  });

  it('shows an editor of the tier the record in full', async () => {
    const editor = await stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'] });
    const { body } = await stack.request(MEMBERS, { code: '210302' }, editor);
    const member = body.data.members.edges[0].node;
    expect(member.idNumber).toBe(truth.get(member.id)!.idNumber);
    expect(member.birthDate).toBe(truth.get(member.id)!.birthDate);
  });
});
