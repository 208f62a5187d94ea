import { Commendations1700000300000 } from './1700000300000-Commendations';
import { CommendationRegionStats1700000310000 } from './1700000310000-CommendationRegionStats';

/** Every migration of the commendations schema, oldest first. */
export const migrations = [Commendations1700000300000, CommendationRegionStats1700000310000];
