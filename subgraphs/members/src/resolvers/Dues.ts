import { todayInChina } from '../../../../shared/src/validation';
import { monthIndex, monthOf, monthsInArrears } from '../facts';
import type { DuesResolvers } from '../generated/graphql';
import type { DuesView } from '../repositories/MemberFactsRepository';

const month = (date: string) => date.slice(0, 7);
const paidThrough = (dues: DuesView) => (dues.owedFrom === dues.fromMonth ? null : monthOf(monthIndex(month(dues.owedFrom)) - 1));

/** Money figures, and the rate that tells the income bracket, are null for a masked reader (see `Member.dues`). */
export const Dues: DuesResolvers = {
  base: (dues) => (dues.masked || dues.baseFen === null ? null : dues.baseFen / 100),
  rate: (dues) => (dues.masked || dues.rateBasisPoints === null ? null : dues.rateBasisPoints / 10_000),
  monthlyAmount: (dues) => (dues.masked ? null : dues.monthlyFen / 100),
  fromMonth: (dues) => month(dues.fromMonth),
  paidThrough,
  monthsInArrears: (dues) => monthsInArrears(month(dues.fromMonth), paidThrough(dues), month(todayInChina())),
};
