import type { OrganizationalLifeRequirementResolvers } from '../generated/graphql';
import { NATIONAL_CODE } from '../rules';
import { regionRef } from './references';

export const OrganizationalLifeRequirement: OrganizationalLifeRequirementResolvers = {
  province: (requirement) => (requirement.regionCode === NATIONAL_CODE ? null : regionRef(requirement.regionCode)),
};
