import type { DataSource, EntityManager } from 'typeorm';
import { conflict } from './errors';
import { readCacheOf } from './read-cache';

const UNIQUE_VIOLATION = '23505';

/**
 * Runs a write in one transaction. A unique-index violation, which only a concurrent write can
 * cause once the rules have been checked, becomes a CONFLICT instead of a database error.
 *
 * Once it has ended, this process's read cache forgets what it held, before the mutation answers:
 * the change's own announcement reaches the cache a moment later, and the caller's next read must
 * not be older than its write.
 */
export async function inTransaction<T>(db: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(work);
  } catch (err) {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) {
      throw conflict('The change clashes with a record written at the same time; read it again and retry.');
    }
    throw err;
  } finally {
    readCacheOf(db)?.invalidate();
  }
}
