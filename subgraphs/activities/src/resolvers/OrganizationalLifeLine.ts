import type { OrganizationalLifeLineResolvers } from '../generated/graphql';

export const OrganizationalLifeLine: OrganizationalLifeLineResolvers = {
  met: (line) => line.periodsMet >= line.required,
};
