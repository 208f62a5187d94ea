import { OrganizationStructure1700000000000 } from './1700000000000-OrganizationStructure';

/** Every migration of the organization schema, oldest first. */
export const migrations = [OrganizationStructure1700000000000];
