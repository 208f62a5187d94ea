import { coveringRanges } from './ComplianceRepository';

describe('the ranges a roll-up reads', () => {
  it('covers a province and its cities and counties with the province’s one range', () => {
    const keys = ['210000', '210300', '210302', '211200'].map((regionCode) => ({ regionCode, year: 2019 }));
    expect(coveringRanges(keys)).toEqual([{ from: '210000', to: '220000', year: 2019 }]);
  });

  it('keeps regions apart when neither contains the other, and years apart', () => {
    const keys = [
      { regionCode: '210302', year: 2019 },
      { regionCode: '210303', year: 2019 },
      { regionCode: '210300', year: 2018 },
      { regionCode: '210302', year: 2018 },
    ];
    expect(coveringRanges(keys)).toEqual([
      { from: '210302', to: '210303', year: 2019 },
      { from: '210303', to: '210304', year: 2019 },
      { from: '210300', to: '210400', year: 2018 },
    ]);
  });
});
