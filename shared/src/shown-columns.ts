import { isUuid } from './sql';

/**
 * Columns that no read whose answer is kept filters, sorts, groups or counts by, table by table
 * within each subgraph's schema: an answer shows them only along with their row, and a statement
 * that reads one reads its row's id too.
 *
 * A statement that changes nothing else of its rows (a member's new phone number) is announced
 * as such, naming the rows by their own ids (see `announceChanges`): it forgets the answers that
 * hold one of those rows and keeps the lists, counts and pages of the region that hold none of
 * them. For that to hold, what an answer was read from names every row it read from such a table:
 * the statements' results and the loaders' answers are searched for the ids they hold
 * (`shownRowIds`), and a report that does so says it (`Dependencies.rows`).
 *
 * A column belongs here only if no kept read of the subgraph uses it but to show it: a column that
 * decides whether a row is listed, where, or how it is counted must stay out.
 */
export const SHOWN_ONLY_COLUMNS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  members: { member: ['phone'] },
};

/** The tables of `schema` with columns only shown (see `SHOWN_ONLY_COLUMNS`). */
export function tablesWithShownOnlyColumns(schema: string): readonly string[] {
  return Object.keys(SHOWN_ONLY_COLUMNS[schema] ?? {});
}

/** Answers are kept frozen and served as the same object: their ids are found once. */
const idsOfAnswer = new WeakMap<object, string[]>();

/**
 * Every record id a value holds, at any depth (rows, objects read from JSON, arrays): the values
 * that are uuids, as the announcements name the rows written by theirs.
 */
export function shownRowIds(value: unknown): string[] {
  if (value === null || typeof value !== 'object') return typeof value === 'string' && isUuid(value) ? [value] : [];
  const known = idsOfAnswer.get(value);
  if (known) return known;
  const ids = new Set<string>();
  const visit = (inner: unknown): void => {
    if (typeof inner === 'string') {
      if (inner.length === 36 && isUuid(inner)) ids.add(inner);
    } else if (Array.isArray(inner)) {
      for (const item of inner) visit(item);
    } else if (inner !== null && typeof inner === 'object' && !(inner instanceof Date) && !ArrayBuffer.isView(inner)) {
      for (const field of Object.values(inner)) visit(field);
    }
  };
  visit(value);
  const found = [...ids];
  if (Object.isFrozen(value)) idsOfAnswer.set(value, found);
  return found;
}
