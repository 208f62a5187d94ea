import { types } from 'pg';

/**
 * Sets how `pg` turns PostgreSQL's values into JavaScript, for every connection this process
 * opens: calendar dates stay `YYYY-MM-DD` strings, since a JS Date would shift them by the
 * server's time zone. Every other type keeps `pg`'s own parser (timestamps as Dates, numerics
 * and 64-bit integers as strings).
 *
 * The setting is global to the `pg` module, so it is one step of each process's start-up (a
 * service's `main.ts`, the scripts, the benchmark, the test helpers), taken before the process
 * opens a connection, rather than a side effect of importing some module. Taking it again changes
 * nothing.
 */
export function configurePgTypes(): void {
  types.setTypeParser(types.builtins.DATE, keepAsText);
}

const keepAsText = (value: string): string => value;
