import { Commendations1700000300000 } from './1700000300000-Commendations';

/** Every migration of the commendations schema, oldest first. */
export const migrations = [Commendations1700000300000];
