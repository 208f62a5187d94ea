import { isValidIdNumber, idNumberCheckCharacter } from '../../../shared/src/id-number';
import { addMonths, addYears, licenseNumberProblem, maskBirthDate, maskIdNumber, maskPhone, nextStatusProblem, phoneProblem, probationExtensionProblem, stepDateProblem } from './rules';

const person = {
  birthDate: '1985-06-15',
  appliedOn: '2015-03-01',
  activistOn: '2015-09-01',
  candidateOn: '2016-10-01',
  joinedOn: '2017-01-10',
  probationExtendedUntil: null,
};

describe('Party status advances one step at a time', () => {
  it('follows APPLICANT → ACTIVIST → CANDIDATE → PROBATIONARY → FULL', () => {
    expect(nextStatusProblem(null, 'APPLICANT')).toBeNull();
    expect(nextStatusProblem('APPLICANT', 'ACTIVIST')).toBeNull();
    expect(nextStatusProblem('CANDIDATE', 'PROBATIONARY')).toBeNull();
    expect(nextStatusProblem('PROBATIONARY', 'FULL')).toBeNull();
  });

  it('refuses a skipped step and a step back', () => {
    expect(nextStatusProblem('CANDIDATE', 'FULL')).toMatch(/advances to PROBATIONARY, not FULL/);
    expect(nextStatusProblem(null, 'ACTIVIST')).toMatch(/advances to APPLICANT/);
    expect(nextStatusProblem('FULL', 'FULL')).toMatch(/no further status/);
  });

  it('keeps an activist under observation for a year before candidacy', () => {
    expect(stepDateProblem(person, 'CANDIDATE', '2016-09-01')).toBeNull();
    expect(stepDateProblem(person, 'CANDIDATE', '2016-08-31')).toMatch(/not before 2016-09-01/);
  });

  it('keeps a probationary member on probation for a year, or until the extension ends', () => {
    expect(stepDateProblem(person, 'FULL', '2018-01-10')).toBeNull();
    expect(stepDateProblem(person, 'FULL', '2018-01-09')).toMatch(/until 2018-01-10/);
    const extended = { ...person, probationExtendedUntil: '2018-07-10' };
    expect(stepDateProblem(extended, 'FULL', '2018-06-30')).toMatch(/until 2018-07-10/);
    expect(stepDateProblem(extended, 'FULL', '2018-07-10')).toBeNull();
  });

  it('admits applicants of 18 or more', () => {
    expect(stepDateProblem(person, 'APPLICANT', '2003-06-15')).toBeNull();
    expect(stepDateProblem(person, 'APPLICANT', '2003-06-14')).toMatch(/at least 18/);
  });

  it('extends probation by at most a year', () => {
    const probationary = { partyStatus: 'PROBATIONARY' as const, joinedOn: '2019-03-01' };
    expect(probationExtensionProblem(probationary, '2020-09-01')).toBeNull();
    expect(probationExtensionProblem(probationary, '2021-03-02')).toMatch(/no later than 2021-03-01/);
    expect(probationExtensionProblem(probationary, '2020-03-01')).toMatch(/after 2020-03-01/);
    expect(probationExtensionProblem({ partyStatus: 'FULL', joinedOn: '2019-03-01' }, '2020-09-01')).toMatch(/only a probationary/);
  });

  it('counts years and months on the calendar', () => {
    expect(addYears('2016-02-29', 1)).toBe('2017-02-28');
    expect(addMonths('2019-11-30', 3)).toBe('2020-02-29');
    expect(addMonths('2019-12-31', 3)).toBe('2020-03-31');
  });
});

describe('personal data', () => {
  it('checks resident ID numbers with the GB 11643 check character', () => {
    // The standard's own example: 11010519491231002X.
    expect(idNumberCheckCharacter('11010519491231002')).toBe('X');
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    expect(isValidIdNumber('11010519491331002X')).toBe(false);
    expect(isValidIdNumber('1101051949123100')).toBe(false);
  });

  it('masks ID numbers and phones for callers who may not see them', () => {
    expect(maskIdNumber('210302198506150012')).toBe('2103**************');
    expect(maskBirthDate('1985-06-15')).toBe('1985-01-01');
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('validates licence numbers by practice and phones by form', () => {
    expect(licenseNumberProblem('LAWYER', '12103201110123456')).toBeNull();
    expect(licenseNumberProblem('LAWYER', '1210320111012345')).toMatch(/17 digits/);
    expect(licenseNumberProblem('NOTARY', 'GZ2103001')).toBeNull();
    expect(licenseNumberProblem('NOTARY', 'gz')).toMatch(/8 to 20/);
    expect(phoneProblem('13812345678')).toBeNull();
    expect(phoneProblem('12812345678')).toMatch(/11-digit/);
  });
});
