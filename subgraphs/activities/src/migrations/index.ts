import type { MigrationInterface } from 'typeorm';

/** Every migration of the activities schema, oldest first. */
export const migrations: (new () => MigrationInterface)[] = [];
