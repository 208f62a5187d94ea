import { OrganizationStructure1700000000000 } from './1700000000000-OrganizationStructure';
import { CoverageRegionStats1700000010000 } from './1700000010000-CoverageRegionStats';
import { PartyOrganizationChanges1700000020000 } from './1700000020000-PartyOrganizationChanges';
import { CoverageHistory1700000036000 } from './1700000036000-CoverageHistory';
import { InstitutionChanges1700000040000 } from './1700000040000-InstitutionChanges';

/** Every migration of the organization schema, oldest first. */
export const migrations = [OrganizationStructure1700000000000, CoverageRegionStats1700000010000, PartyOrganizationChanges1700000020000, CoverageHistory1700000036000, InstitutionChanges1700000040000];
