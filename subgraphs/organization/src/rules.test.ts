import { coveredInstitutionsProblem, jointBranchCapacityProblem, licenseNumberProblem, sectorProblem, standaloneBranchProblem } from './rules';

describe('Party organization set-up rules', () => {
  it('a standalone branch needs 3 full members in its institution', () => {
    expect(standaloneBranchProblem(3, 3)).toBeNull();
    expect(standaloneBranchProblem(6, 3)).toBeNull();
    expect(standaloneBranchProblem(2, 3)).toMatch(/at least 3 full Party members.*has 2/);
  });

  it('a joint branch covers from 1 institution up to the cap', () => {
    expect(coveredInstitutionsProblem('JOINT_BRANCH', 1, 5)).toBeNull();
    expect(coveredInstitutionsProblem('JOINT_BRANCH', 5, 5)).toBeNull();
    expect(coveredInstitutionsProblem('JOINT_BRANCH', 6, 5)).toMatch(/between 1 and 5/);
    expect(coveredInstitutionsProblem('JOINT_BRANCH', 0, 5)).toMatch(/between 1 and 5/);
    expect(jointBranchCapacityProblem(4, 1, 5)).toBeNull();
    expect(jointBranchCapacityProblem(4, 2, 5)).toMatch(/at most 5.*has 4 and 2/);
  });

  it('a standalone branch covers exactly one institution, a committee none', () => {
    expect(coveredInstitutionsProblem('STANDALONE_BRANCH', 1, 5)).toBeNull();
    expect(coveredInstitutionsProblem('STANDALONE_BRANCH', 2, 5)).toMatch(/exactly one/);
    expect(coveredInstitutionsProblem('INDUSTRY_COMMITTEE', 0, 5)).toBeNull();
    expect(coveredInstitutionsProblem('INDUSTRY_COMMITTEE', 1, 5)).toMatch(/no institutions/);
  });

  it('licence numbers are 18-character unified social credit codes', () => {
    expect(licenseNumberProblem('31210000MD0123456X')).toBeNull();
    expect(licenseNumberProblem('3121000')).toMatch(/18 characters/);
    expect(licenseNumberProblem('31210000md0123456x')).toMatch(/capital/);
  });

  it('an organization covers institutions of its own sector', () => {
    expect(sectorProblem('LAW_FIRM', 'LAW_FIRM')).toBeNull();
    expect(sectorProblem('LAW_FIRM', 'NOTARY_OFFICE')).toMatch(/cannot cover/);
  });
});
