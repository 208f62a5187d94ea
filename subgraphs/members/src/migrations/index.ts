import { MemberRecords1700000100000 } from './1700000100000-MemberRecords';

/** Every migration of the members schema, oldest first. */
export const migrations = [MemberRecords1700000100000];
