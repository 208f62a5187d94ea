import type { MigrationInterface } from 'typeorm';

/** Every migration of the commendations schema, oldest first. */
export const migrations: (new () => MigrationInterface)[] = [];
