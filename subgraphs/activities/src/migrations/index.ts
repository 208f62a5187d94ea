import { Activities1700000200000 } from './1700000200000-Activities';
import { RegionCounters1700000210000 } from './1700000210000-RegionCounters';
import { OrganizationRegisterSync1700000220000 } from './1700000220000-OrganizationRegisterSync';
import { WorkLists1700000230000 } from './1700000230000-WorkLists';
import { OrganizationalLifeRecountLock1700000240000 } from './1700000240000-OrganizationalLifeRecountLock';
import { OrganizationalLifeBulkLock1700000250000 } from './1700000250000-OrganizationalLifeBulkLock';
import { CountersReadFromIndex1700000260000 } from './1700000260000-CountersReadFromIndex';

/** Every migration of the activities schema, oldest first. */
export const migrations = [Activities1700000200000, RegionCounters1700000210000, OrganizationRegisterSync1700000220000, WorkLists1700000230000, OrganizationalLifeRecountLock1700000240000, OrganizationalLifeBulkLock1700000250000, CountersReadFromIndex1700000260000];
