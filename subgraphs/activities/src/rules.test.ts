import {
  ACTIVITY_KINDS,
  attendanceProblem,
  classHoursProblem,
  creditedHours,
  durationProblem,
  isCountyCode,
  NATIONAL_REQUIREMENTS,
  ORGANIZATIONAL_LIFE_KINDS,
  organizerDateProblem,
  organizerProblem,
  activityOwnerProblem,
} from './rules';

describe('the rules of organizational life as data', () => {
  it('require the national frequencies of 三会一课, the theme Party day, the yearly meeting and appraisal', () => {
    expect(ORGANIZATIONAL_LIFE_KINDS).toEqual(ACTIVITY_KINDS.slice(0, 7));
    expect(NATIONAL_REQUIREMENTS).toEqual({
      BRANCH_GENERAL_MEETING: 'QUARTERLY',
      BRANCH_COMMITTEE_MEETING: 'MONTHLY',
      PARTY_GROUP_MEETING: 'MONTHLY',
      PARTY_LECTURE: 'QUARTERLY',
      THEME_PARTY_DAY: 'MONTHLY',
      ORGANIZATIONAL_LIFE_MEETING: 'YEARLY',
      DEMOCRATIC_APPRAISAL: 'YEARLY',
    });
  });
});

describe('who organizes what', () => {
  it('leaves organizational life to Party organizations and guidance visits to stations', () => {
    expect(organizerProblem('BRANCH_COMMITTEE_MEETING', 'organization')).toBeNull();
    expect(organizerProblem('BRANCH_COMMITTEE_MEETING', 'station')).toMatch(/Party organization/);
    expect(organizerProblem('KNOWLEDGE_TEST', 'station')).toMatch(/Party organization/);
    expect(organizerProblem('GUIDANCE_VISIT', 'station')).toBeNull();
    expect(organizerProblem('GUIDANCE_VISIT', 'organization')).toMatch(/guidance station/);
    expect(organizerProblem('TRAINING_CLASS', 'station')).toBeNull();
    expect(organizerProblem('VOLUNTEER_SERVICE', 'organization')).toBeNull();
  });

  it('holds an activity while its organizer exists', () => {
    expect(organizerDateProblem('2019-07-16', '2019-07-16', null)).toBeNull();
    expect(organizerDateProblem('2019-07-15', '2019-07-16', null)).toMatch(/founded on 2019-07-16/);
    expect(organizerDateProblem('2019-07-01', '2015-01-01', '2019-06-30')).toMatch(/dissolved on 2019-06-30/);
  });

  it('tells county-level codes from city and province codes', () => {
    expect(isCountyCode('210302')).toBe(true);
    expect(isCountyCode('211282')).toBe(true);
    expect(isCountyCode('210300')).toBe(false);
    expect(isCountyCode('210000')).toBe(false);
  });
});

describe('hours', () => {
  it('bounds a duration by 24 hours a day', () => {
    expect(durationProblem(2, '2019-11-11', null)).toBeNull();
    expect(durationProblem(25, '2019-11-11', null)).toMatch(/at most 24/);
    expect(durationProblem(40, '2019-11-11', '2019-11-12')).toBeNull();
    expect(durationProblem(0, '2019-11-11', null)).toMatch(/more than 0/);
  });

  it('gives class hours to training classes only', () => {
    expect(classHoursProblem('TRAINING_CLASS', 40)).toBeNull();
    expect(classHoursProblem('TRAINING_CLASS', null)).toMatch(/class hours/);
    expect(classHoursProblem('PARTY_LECTURE', 2)).toMatch(/only a training class/);
    expect(classHoursProblem('PARTY_LECTURE', null)).toBeNull();
  });

  it('credits members present at service with the activity’s duration unless told otherwise', () => {
    expect(creditedHours('VOLUNTEER_SERVICE', { memberId: 'a', status: 'PRESENT' }, 3)).toBe(3);
    expect(creditedHours('LEGAL_EDUCATION', { memberId: 'a', status: 'PRESENT', hours: 2 }, 3)).toBe(2);
    expect(creditedHours('VOLUNTEER_SERVICE', { memberId: 'a', status: 'EXCUSED', reason: '病假' }, 3)).toBeNull();
    expect(creditedHours('BRANCH_GENERAL_MEETING', { memberId: 'a', status: 'PRESENT' }, 2)).toBeNull();
  });
});

describe('attendance lists', () => {
  it('accept present, excused with a reason and absent members, once each', () => {
    expect(
      attendanceProblem('BRANCH_GENERAL_MEETING', [
        { memberId: 'a', status: 'PRESENT' },
        { memberId: 'b', status: 'EXCUSED', reason: '出庭' },
        { memberId: 'c', status: 'ABSENT' },
      ], 2),
    ).toBeNull();
    expect(attendanceProblem('BRANCH_GENERAL_MEETING', [{ memberId: 'b', status: 'EXCUSED', reason: '  ' }], 2)).toMatch(/without a reason/);
    expect(attendanceProblem('BRANCH_GENERAL_MEETING', [{ memberId: 'c', status: 'ABSENT', reason: '出庭' }], 2)).toMatch(/only an excused member/);
    expect(attendanceProblem('BRANCH_GENERAL_MEETING', [{ memberId: 'a', status: 'PRESENT' }, { memberId: 'a', status: 'ABSENT' }], 2)).toMatch(/listed twice/);
  });

  it('credit hours only to members present at service, within its length', () => {
    expect(attendanceProblem('VOLUNTEER_SERVICE', [{ memberId: 'a', status: 'PRESENT', hours: 3 }], 3)).toBeNull();
    expect(attendanceProblem('VOLUNTEER_SERVICE', [{ memberId: 'a', status: 'PRESENT', hours: 4 }], 3)).toMatch(/at most 3/);
    expect(attendanceProblem('VOLUNTEER_SERVICE', [{ memberId: 'a', status: 'ABSENT', hours: 1 }], 3)).toMatch(/only a member present/);
    expect(attendanceProblem('PARTY_LECTURE', [{ memberId: 'a', status: 'PRESENT', hours: 1 }], 3)).toMatch(/only for volunteer service/);
  });

  it('leave training classes to enrolment', () => {
    expect(attendanceProblem('TRAINING_CLASS', [{ memberId: 'a', status: 'PRESENT' }], 16)).toMatch(/enrolment/);
    expect(attendanceProblem('TRAINING_CLASS', [], 16)).toBeNull();
  });
});

describe('who changes an activity', () => {
  const cityStationClass = { organizationId: null, regionCode: '210300' };
  const branchMeeting = { organizationId: 'hongyang', regionCode: '210302' };

  it('its organizer’s tier and the tiers above it', () => {
    expect(activityOwnerProblem({ tier: 'CITY', regionCode: '210300', organizationId: null }, cityStationClass)).toBeNull();
    expect(activityOwnerProblem({ tier: 'PROVINCE', regionCode: '210000', organizationId: null }, cityStationClass)).toBeNull();
    expect(activityOwnerProblem({ tier: 'BRANCH', regionCode: '210302', organizationId: 'hongyang' }, branchMeeting)).toBeNull();
    expect(activityOwnerProblem({ tier: 'COUNTY', regionCode: '210302', organizationId: null }, branchMeeting)).toBeNull();
    expect(activityOwnerProblem({ tier: 'CITY', regionCode: '210300', organizationId: null }, branchMeeting)).toBeNull();
  });

  it('not the county where a city station held its class, a sibling, another city or another branch', () => {
    expect(activityOwnerProblem({ tier: 'COUNTY', regionCode: '210302', organizationId: null }, cityStationClass)).toMatch(/organizer’s tier or a tier above/);
    expect(activityOwnerProblem({ tier: 'COUNTY', regionCode: '210303', organizationId: null }, branchMeeting)).toMatch(/organizer’s tier/);
    expect(activityOwnerProblem({ tier: 'CITY', regionCode: '210400', organizationId: null }, branchMeeting)).toMatch(/organizer’s tier/);
    expect(activityOwnerProblem({ tier: 'BRANCH', regionCode: '210302', organizationId: 'other' }, branchMeeting)).toMatch(/its own organization/);
    expect(activityOwnerProblem({ tier: 'BRANCH', regionCode: '210302', organizationId: 'hongyang' }, { organizationId: null, regionCode: '210302' })).toMatch(/its own organization/);
    expect(activityOwnerProblem({ tier: 'COUNTY', regionCode: '210302', organizationId: null }, { organizationId: null, regionCode: '' })).toMatch(/organizer’s tier/);
  });
});
