import type { CoverageResolvers, CoverageYearResolvers } from '../generated/graphql';

const ratio = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

export const Coverage: CoverageResolvers = {
  covered: (counts) => counts.standalone + counts.joint,
  rate: (counts) => ratio(counts.standalone + counts.joint, counts.institutions),
  standaloneRate: (counts) => ratio(counts.standalone, counts.institutions),
};

/** A year-end of the history reads like today's coverage. */
export const CoverageYear: CoverageYearResolvers = {
  covered: (counts) => counts.standalone + counts.joint,
  rate: (counts) => ratio(counts.standalone + counts.joint, counts.institutions),
  standaloneRate: (counts) => ratio(counts.standalone, counts.institutions),
};
