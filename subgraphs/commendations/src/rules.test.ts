import type { InstitutionFacts, MemberFacts, OrganizationFacts } from './directory';
import { enclosingPrefixes } from './repositories/scope';
import { categoriesProblem, deciderProblem, institutionProblem, memberProblem, nominationDateProblem, nominatorProblem, organizationProblem, programDatesProblem, programLevelOf, regionInProgram } from './rules';

const lawyer: MemberFacts = {
  id: 'm1',
  partyStatus: 'FULL',
  fullOn: '2015-07-01',
  practice: { kind: 'LAWYER' },
  region: { code: '210302' },
  partyOrganization: { id: 'o1' },
};
const atNomination = { step: 'nomination', on: '2016-05-01' } as const;
const atDecision = { step: 'decision', on: '2016-06-24' } as const;

describe('programs', () => {
  it('take their level from their region', () => {
    expect(programLevelOf('210000')).toBe('PROVINCIAL');
    expect(programLevelOf('210300')).toBe('CITY');
    expect(programLevelOf('210302')).toBe('COUNTY');
  });

  it('cover the regions under theirs, and a national program the whole country', () => {
    const anshan = { level: 'CITY', regionCode: '210300' } as const;
    expect(regionInProgram(anshan, '210302')).toBe(true);
    expect(regionInProgram(anshan, '210202')).toBe(false);
    expect(regionInProgram({ level: 'NATIONAL', regionCode: '000000' }, '650102')).toBe(true);
    expect(regionInProgram({ level: 'PROVINCIAL', regionCode: '210000' }, '220102')).toBe(false);
  });

  it('concern the tiers they hold and the tiers above them', () => {
    expect(enclosingPrefixes('210302')).toEqual(['', '21', '2103', '210302']);
    expect(enclosingPrefixes('2103')).toEqual(['', '21', '2103']);
    expect(enclosingPrefixes('21')).toEqual(['', '21']);
  });

  it('award each category once, with a quota of one or more', () => {
    expect(categoriesProblem([{ category: 'ADVANCED_BRANCH', quota: 30 }, { category: 'MOST_BEAUTIFUL_PERSON', quota: 2 }])).toBeNull();
    expect(categoriesProblem([])).toMatch(/at least one/);
    expect(categoriesProblem([{ category: 'ADVANCED_BRANCH', quota: 1 }, { category: 'ADVANCED_BRANCH', quota: 2 }])).toMatch(/twice/);
    expect(categoriesProblem([{ category: 'ADVANCED_BRANCH', quota: 0 }])).toMatch(/between 1/);
    expect(categoriesProblem([{ category: 'ADVANCED_BRANCH', quota: 1.5 }])).toMatch(/between 1/);
  });

  it('take nominations between their opening and closing days', () => {
    const cycle = { opensOn: '2016-04-01', closesOn: '2016-05-31' };
    expect(nominationDateProblem(cycle, '2016-04-01')).toBeNull();
    expect(nominationDateProblem(cycle, '2016-05-31')).toBeNull();
    expect(nominationDateProblem(cycle, '2016-06-01')).toMatch(/from 2016-04-01 to 2016-05-31/);
    expect(programDatesProblem('2016-04-01', '2016-03-31')).toMatch(/cannot precede/);
    expect(programDatesProblem('2016-04-01', '2016-02-30')).toMatch(/YYYY-MM-DD/);
  });
});

describe('who decides', () => {
  const provincial = { level: 'PROVINCIAL', regionCode: '210000' } as const;
  const anshan = { level: 'CITY', regionCode: '210300' } as const;

  it('the program’s own station or one above it', () => {
    expect(deciderProblem({ tier: 'PROVINCE', regionCode: '210000' }, provincial)).toBeNull();
    expect(deciderProblem({ tier: 'PROVINCE', regionCode: '210000' }, anshan)).toBeNull();
    expect(deciderProblem({ tier: 'CITY', regionCode: '210300' }, anshan)).toBeNull();
    expect(deciderProblem({ tier: 'CITY', regionCode: '210300' }, { level: 'COUNTY', regionCode: '210302' })).toBeNull();
  });

  it('the provincial center, recording the Ministry of Justice’s decisions, for a national program', () => {
    expect(deciderProblem({ tier: 'PROVINCE', regionCode: '210000' }, { level: 'NATIONAL', regionCode: '000000' })).toBeNull();
  });

  it('not a station below the program, beside it, or a branch; and no city or county station for a national program', () => {
    expect(deciderProblem({ tier: 'CITY', regionCode: '210300' }, provincial)).toMatch(/its own station or one above/);
    expect(deciderProblem({ tier: 'COUNTY', regionCode: '210302' }, anshan)).toMatch(/its own station or one above/);
    expect(deciderProblem({ tier: 'CITY', regionCode: '210200' }, anshan)).toMatch(/its own station or one above/);
    expect(deciderProblem({ tier: 'BRANCH', regionCode: '210302' }, { level: 'COUNTY', regionCode: '210302' })).toMatch(/not by branches/);
    expect(deciderProblem({ tier: 'CITY', regionCode: '210300' }, { level: 'NATIONAL', regionCode: '000000' })).toMatch(/recorded by the provincial center/);
    expect(deciderProblem({ tier: 'COUNTY', regionCode: '210302' }, { level: 'NATIONAL', regionCode: '000000' })).toMatch(/recorded by the provincial center/);
    expect(deciderProblem({ tier: 'BRANCH', regionCode: '210302' }, { level: 'NATIONAL', regionCode: '000000' })).toMatch(/not by branches/);
  });
});

describe('who nominates', () => {
  it('stations of every tier, and only the provincial center for a national program', () => {
    expect(nominatorProblem({ tier: 'COUNTY' }, { level: 'PROVINCIAL' })).toBeNull();
    expect(nominatorProblem({ tier: 'PROVINCE' }, { level: 'NATIONAL' })).toBeNull();
    expect(nominatorProblem({ tier: 'CITY' }, { level: 'NATIONAL' })).toMatch(/provincial center/);
    expect(nominatorProblem({ tier: 'COUNTY' }, { level: 'NATIONAL' })).toMatch(/provincial center/);
  });
});

describe('eligibility', () => {
  it('a lawyer’s award needs a lawyer who is a full member on the decision date', () => {
    expect(memberProblem('EXCELLENT_PARTY_MEMBER_LAWYER', null, lawyer, atDecision)).toBeNull();
    expect(memberProblem('EXCELLENT_PARTY_MEMBER_LAWYER', null, { ...lawyer, practice: { kind: 'NOTARY' } }, atNomination)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'recipientId',
    });
    expect(memberProblem('EXCELLENT_PARTY_MEMBER_LAWYER', null, { ...lawyer, fullOn: '2016-07-01' }, atDecision)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'decidedOn',
      message: expect.stringMatching(/made full on 2016-07-01/),
    });
  });

  it('a probationary member may be nominated, but not awarded', () => {
    const probationary = { ...lawyer, partyStatus: 'PROBATIONARY' as const, fullOn: null };
    expect(memberProblem('EXCELLENT_PARTY_WORKER', null, probationary, atNomination)).toBeNull();
    expect(memberProblem('EXCELLENT_PARTY_WORKER', null, probationary, atDecision)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(memberProblem('EXCELLENT_PARTY_WORKER', null, { ...lawyer, partyStatus: null, fullOn: null }, atNomination)).toMatchObject({ field: 'recipientId' });
  });

  it('anyone may be the most beautiful; representatives are practitioners, Party congress ones full members', () => {
    const outsider = { ...lawyer, partyStatus: null, fullOn: null };
    expect(memberProblem('MOST_BEAUTIFUL_PERSON', null, outsider, atDecision)).toBeNull();
    expect(memberProblem('REPRESENTATIVE_RECOMMENDATION', 'PEOPLES_CONGRESS', outsider, atDecision)).toBeNull();
    expect(memberProblem('REPRESENTATIVE_RECOMMENDATION', 'PARTY_CONGRESS', outsider, atDecision)).toMatchObject({ field: 'id' });
    expect(memberProblem('REPRESENTATIVE_RECOMMENDATION', 'POLITICAL_CONSULTATIVE_CONFERENCE', { ...outsider, practice: null }, atNomination)).toMatchObject({ field: 'recipientId' });
  });

  it('a branch award needs an existing, undissolved branch founded by the date', () => {
    const branch: OrganizationFacts = { id: 'o1', kind: 'STANDALONE_BRANCH', foundedOn: '2015-01-01', dissolvedOn: null, region: { code: '210302' } };
    expect(organizationProblem(branch, atDecision)).toBeNull();
    expect(organizationProblem({ ...branch, dissolvedOn: '2018-03-01' }, atNomination)).toMatchObject({ code: 'CONFLICT' });
    expect(organizationProblem({ ...branch, kind: 'INDUSTRY_COMMITTEE' }, atNomination)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'recipientId' });
    expect(organizationProblem({ ...branch, foundedOn: '2016-06-25' }, atDecision)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'decidedOn' });
  });

  it('a demonstration site is an operating institution', () => {
    const firm: InstitutionFacts = { id: 'i1', kind: 'LAW_FIRM', state: 'OPERATING', approvedOn: '2010-01-01', region: { code: '210302' }, partyOrganization: null };
    expect(institutionProblem(firm, atDecision)).toBeNull();
    expect(institutionProblem({ ...firm, state: 'CLOSED' }, atDecision)).toMatchObject({ code: 'CONFLICT' });
    expect(institutionProblem({ ...firm, approvedOn: '2016-05-02' }, atNomination)).toMatchObject({ field: 'nominatedOn' });
  });
});
