import { duesTerms, isMonth, monthsInArrears, nextDueMonth, toFen } from './facts';

const yuan = (amount: number) => Math.round(amount * 100);

describe('Party dues by the 2008 rule', () => {
  it.each([
    // monthly income after tax, the rate, the monthly amount in yuan
    [0.01, 50, 0],
    [2000, 50, 10],
    [3000, 50, 15],
    [3000.01, 100, 30],
    [4200, 100, 42],
    [5000, 100, 50],
    [5000.01, 150, 75],
    [8000, 150, 120],
    [10000, 150, 150],
    [10000.01, 200, 200],
    [23456.78, 200, 469.14],
  ])('a member earning %p yuan after tax pays %p basis points, %p yuan a month', (income, rate, amount) => {
    expect(duesTerms('EMPLOYED', yuan(income))).toEqual({ rateBasisPoints: rate, monthlyFen: yuan(amount) });
  });

  it('rounds to the fen, half up', () => {
    // 3,333.33 × 1% = 33.3333; 3,001.50 × 1% = 30.015
    expect(duesTerms('EMPLOYED', yuan(3333.33)).monthlyFen).toBe(3333);
    expect(duesTerms('EMPLOYED', yuan(3001.5)).monthlyFen).toBe(3002);
  });

  it('reckons a retiree on the pension: 0.5% up to 5,000 yuan, 1% above', () => {
    expect(duesTerms('RETIRED', yuan(4000))).toEqual({ rateBasisPoints: 50, monthlyFen: yuan(20) });
    expect(duesTerms('RETIRED', yuan(5000))).toEqual({ rateBasisPoints: 50, monthlyFen: yuan(25) });
    expect(duesTerms('RETIRED', yuan(5000.01))).toEqual({ rateBasisPoints: 100, monthlyFen: yuan(50) });
    // The employed brackets do not apply: 12,000 yuan of pension is still 1%.
    expect(duesTerms('RETIRED', yuan(12000))).toEqual({ rateBasisPoints: 100, monthlyFen: yuan(120) });
  });

  it('charges students and members on relief 0.2 yuan a month, whatever their base', () => {
    expect(duesTerms('STUDENT', 0)).toEqual({ rateBasisPoints: null, monthlyFen: 20 });
    expect(duesTerms('HARDSHIP', yuan(800))).toEqual({ rateBasisPoints: null, monthlyFen: 20 });
  });
});

describe('months of dues', () => {
  it('counts the months before the current one that are not paid', () => {
    expect(monthsInArrears('2019-01', '2019-11', '2019-12')).toBe(0);
    expect(monthsInArrears('2019-01', '2019-12', '2019-12')).toBe(0);
    expect(monthsInArrears('2019-01', '2019-08', '2019-12')).toBe(3);
    expect(monthsInArrears('2019-01', null, '2019-12')).toBe(11);
    expect(monthsInArrears('2018-11', '2018-12', '2019-03')).toBe(2);
    expect(monthsInArrears('2019-12', null, '2019-12')).toBe(0);
  });

  it('takes payments in order, from the first month owed', () => {
    expect(nextDueMonth('2019-03', null)).toBe('2019-03');
    expect(nextDueMonth('2019-03', '2019-12')).toBe('2020-01');
  });

  it('reads months and yuan strictly', () => {
    expect(isMonth('2019-12')).toBe(true);
    expect(isMonth('2019-13')).toBe(false);
    expect(isMonth('2019-1')).toBe(false);
    expect(toFen(12.34)).toBe(1234);
    expect(toFen(12.345)).toBeNull();
    expect(toFen(-1)).toBeNull();
  });
});
