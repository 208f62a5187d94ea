import { Activities1700000200000 } from './1700000200000-Activities';
import { RegionCounters1700000210000 } from './1700000210000-RegionCounters';

/** Every migration of the activities schema, oldest first. */
export const migrations = [Activities1700000200000, RegionCounters1700000210000];
