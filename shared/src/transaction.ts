import type { DataSource, EntityManager } from 'typeorm';
import { conflict } from './errors';
import { readCacheOf } from './read-cache';

const UNIQUE_VIOLATION = '23505';

/**
 * Runs a write in one transaction. A unique-index violation, which only a concurrent write can
 * cause once the rules have been checked, becomes a CONFLICT instead of a database error.
 *
 * Once it has committed, this process's read cache hears the change's own announcement before the
 * mutation answers (a round trip on the change feed's connection, which PostgreSQL answers only
 * after the announcements committed before it), so the caller's next read is not older than its
 * write, and the answers the write did not touch are kept. A write that failed may or may not have
 * committed: the cache then forgets everything.
 */
export async function inTransaction<T>(db: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await db.transaction(work);
  } catch (err) {
    readCacheOf(db)?.invalidate();
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) {
      throw conflict('The change clashes with a record written at the same time; read it again and retry.');
    }
    throw err;
  }
  await readCacheOf(db)?.heardUpToNow();
  return result;
}
