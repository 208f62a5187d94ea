import { Activities1700000200000 } from './1700000200000-Activities';

/** Every migration of the activities schema, oldest first. */
export const migrations = [Activities1700000200000];
