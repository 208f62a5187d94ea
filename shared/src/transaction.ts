import type { DataSource, EntityManager } from 'typeorm';
import { conflict } from './errors';

const UNIQUE_VIOLATION = '23505';

/**
 * Runs a write in one transaction. A unique-index violation, which only a concurrent write can
 * cause once the rules have been checked, becomes a CONFLICT instead of a database error.
 */
export async function inTransaction<T>(db: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(work);
  } catch (err) {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) {
      throw conflict('The change clashes with a record written at the same time; read it again and retry.');
    }
    throw err;
  }
}
