/**
 * Change events on the real server under concurrency: many connections change one
 * session at once, at each isolation level, through raw SQL and through the scheduler.
 * The session's events must be numbered 1..n with no gap or repeat, one per committed
 * change, and in commit order: each event's `old` title is the `new` title of the one
 * before it (a lost or reordered event breaks the chain).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import * as s from '../../src/schema';
import { createScheduler } from '../../src';
import { onCitus, useTestDatabase } from '../support/database';
import { type Academy, insertSession, seedAcademy } from '../support/fixtures';
import { adminOf } from '../support/actors';
import { at } from '../support/time';

const database = useTestDatabase();
const CONNECTIONS = 12;
const RAW_CHANGES = 48;
const SCHEDULER_CHANGES = 24;
let academy: Academy;
let pool: postgres.Sql;
let day = 1;

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 1 });
  pool = postgres(database.url!, { max: CONNECTIONS, onnotice: () => {} });
});
afterAll(async () => {
  await pool?.end({ timeout: 1 });
});

const LEVELS = ['read committed', 'repeatable read', 'serializable'] as const;
/** 40001 and 40P01, and Citus's XX000 forms of a serialization failure. */
const retryable = (error: unknown) => {
  const { code, message } = error as { code?: string; message?: string };
  return code === '40001' || code === '40P01' || (code === 'XX000' && /serializ|could not commit transaction/.test(message ?? ''));
};

describe('change events under concurrent writers', () => {
  for (const level of LEVELS) {
    it(`one session changed from ${CONNECTIONS} connections at ${level}: events 1..n, one per commit, chained in commit order`, async () => {
      const session = await insertSession(database.db, academy, {
        instructorId: null,
        facilityId: academy.lanesId,
        title: 'title 0',
        startTime: at(`2032-02-${String(day).padStart(2, '0')}T15:00:00Z`),
        endTime: at(`2032-02-${String(day++).padStart(2, '0')}T16:00:00Z`),
      });
      const scheduler = createScheduler({ db: drizzle(pool, { schema: s }), isolationLevel: level, maxRetries: 20 });
      let retries = 0;
      const raw = async (i: number) => {
        for (;;) {
          try {
            await pool.begin(`isolation level ${level}`, async (tx) => {
              if (onCitus()) await tx.unsafe(`SET LOCAL citus.propagate_set_commands = 'local'; SET LOCAL citus.allow_nested_distributed_execution = on`);
              await tx`UPDATE scheduling.sessions SET title = ${`raw ${i}`} WHERE id = ${session.id}`;
              if (onCitus()) await tx.unsafe('SELECT scheduling.check_deferred_now()');
            });
            return;
          } catch (error) {
            if (!retryable(error)) throw error;
            retries++;
          }
        }
      };
      const viaScheduler = (i: number) => scheduler.sessions.update(adminOf(academy), { sessionId: session.id, title: `scheduler ${i}` });
      // Two raw changes, then one through the scheduler, and so on; run CONNECTIONS at a time.
      const jobs = Array.from({ length: RAW_CHANGES + SCHEDULER_CHANGES }, (_, k) => (k % 3 === 2 ? () => viaScheduler(Math.floor(k / 3)) : () => raw(k)));
      let next = 0;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (next < jobs.length) await jobs[next++]!();
        }),
      );

      const events = await pool<Array<{ version: number; type: string; old: string | null; new: string }>>`
        SELECT entity_version AS version, type, changes -> 'title' ->> 'old' AS old, changes -> 'title' ->> 'new' AS new
        FROM scheduling.change_events WHERE entity_id = ${session.id} ORDER BY entity_version`;
      expect(events.map((e) => e.version)).toEqual(Array.from({ length: 1 + RAW_CHANGES + SCHEDULER_CHANGES }, (_, i) => i + 1));
      expect(events[0]).toMatchObject({ type: 'session.scheduled', old: null, new: 'title 0' });
      for (let v = 1; v < events.length; v++) {
        expect(events[v]!.type).toBe('session.updated');
        expect(events[v]!.old, `version ${v + 1}`).toBe(events[v - 1]!.new);
      }
      const [row] = await pool<Array<{ title: string }>>`SELECT title FROM scheduling.sessions WHERE id = ${session.id}`;
      expect(events.at(-1)!.new).toBe(row!.title);
      const titles = new Set(events.slice(1).map((e) => e.new));
      expect(titles.size).toBe(RAW_CHANGES + SCHEDULER_CHANGES);
      if (level !== 'read committed') expect(retries, 'the race was real: some raw writers had to retry').toBeGreaterThan(0);
    }, 120_000);
  }
});
