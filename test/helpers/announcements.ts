import type { Client } from 'pg';
import { changeChannel } from '../../shared/src/read-cache';
import type { Stack } from './stack';

/** An announcement's payload as the statement triggers write it (see `announceChanges`). */
export interface Announcement {
  r: string[];
  i: string[];
  s?: boolean;
  f?: Record<string, string[]>;
}

/** A connection that sends statements, and one that listens to a schema's change channel. */
export interface Announcements {
  db: Client;
  /** What the statement's transaction announced for `table`, once PostgreSQL has sent it all. */
  announced(statement: string, values: unknown[], table: string): Promise<Announcement[]>;
  /** Every payload heard while `work` ran. */
  heardDuring(work: () => Promise<unknown>): Promise<Announcement[]>;
  end(): Promise<void>;
}

export async function listenForAnnouncements(stack: Stack, schema: string): Promise<Announcements> {
  const db = await stack.database();
  const listener = await stack.database();
  const heard: string[] = [];
  listener.on('notification', (message) => heard.push(message.payload ?? ''));
  await listener.query(`LISTEN ${changeChannel(schema)}`);
  const heardDuring = async (work: () => Promise<unknown>) => {
    heard.length = 0;
    await work();
    // A listening connection receives every announcement committed before a statement's answer.
    await listener.query('SELECT 1');
    return heard.filter((payload) => payload.startsWith('{')).map((payload) => JSON.parse(payload) as Announcement);
  };
  return {
    db,
    heardDuring,
    announced: async (statement, values, table) => (await heardDuring(() => db.query(statement, values))).filter((change) => change.i.includes(`@${table}`)),
    end: async () => {
      await listener.end();
      await db.end();
    },
  };
}
