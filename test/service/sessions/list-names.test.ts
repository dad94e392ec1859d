/**
 * `sessions.list` names each session's instructor and facility (additive fields: the
 * ids stay), read in the same statement as the sessions — a left join, not one read
 * per row — on every driver.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import * as s from '../../../src/schema';
import { createScheduler, type Scheduler } from '../../../src';
import type { Actor } from '../../../src/service/kernel/types';
import { type TestDb, onCitus, useTestDatabase } from '../../support/database';
import { type Academy, insertSession, seedAcademy } from '../../support/fixtures';
import { adminOf, instructorOf } from '../../support/actors';
import { at } from '../../support/time';

const database = useTestDatabase();
let academy: Academy;
let scheduler: Scheduler;
const ids = {} as { coach0: string; coach1: string; nobody: string };
const RANGE = { from: at('2030-04-01T00:00:00Z'), until: at('2030-05-01T00:00:00Z') };

beforeAll(async () => {
  academy = await seedAcademy(database.db);
  scheduler = createScheduler({ db: database.db });
  await database.db.insert(s.parentStudents).values({ parentId: academy.parentId, studentId: academy.studentIds[0]! });
  const slot = (day: number) => ({ startTime: at(`2030-04-0${day}T15:00:00Z`), endTime: at(`2030-04-0${day}T16:00:00Z`) });
  ids.coach0 = (await insertSession(database.db, academy, slot(1))).id;
  ids.coach1 = (await insertSession(database.db, academy, { ...slot(2), instructorId: academy.instructorIds[1]!, facilityId: academy.lanesId })).id;
  ids.nobody = (await insertSession(database.db, academy, { ...slot(3), instructorId: null })).id;
});

/** A scheduler on the same connection whose Drizzle logs every statement it sends. */
function recordingScheduler() {
  const sent: string[] = [];
  const client = (database.db as unknown as { $client: never }).$client;
  const build = { pglite: drizzlePglite, 'postgres-js': drizzlePostgres, 'node-postgres': drizzleNodePostgres }[database.driver] as (
    c: never,
    config: object,
  ) => unknown;
  const db = build(client, { schema: s, logger: { logQuery: (query: string) => sent.push(query.trim().replace(/\s+/g, ' ').toLowerCase()) } }) as TestDb;
  return { sent, scheduler: createScheduler({ db }) };
}

/** The statements that read something, without the transaction's settings. */
const reads = (sent: string[]) => sent.filter((q) => q.startsWith('select') && !q.includes('set_config'));

describe('sessions.list with names', () => {
  it("adds the instructor's name and the facility's name to each row, keeping the ids", async () => {
    const rows = await scheduler.sessions.list(adminOf(academy), RANGE);
    expect(rows.map((r) => [r.id, r.instructorId, r.instructor, r.facilityId, r.facility])).toEqual([
      [
        ids.coach0,
        academy.instructorIds[0],
        { id: academy.instructorIds[0], firstName: 'Coach0', lastName: 'Test' },
        academy.poolId,
        { id: academy.poolId, name: 'Pool' },
      ],
      [
        ids.coach1,
        academy.instructorIds[1],
        { id: academy.instructorIds[1], firstName: 'Coach1', lastName: 'Test' },
        academy.lanesId,
        { id: academy.lanesId, name: 'Lanes' },
      ],
      [ids.nobody, null, null, academy.poolId, { id: academy.poolId, name: 'Pool' }],
    ]);
  });

  it('the names are the timetable: every actor gets them, and nobody gets an instructor’s email or login from the list', async () => {
    const actors: Actor[] = [
      adminOf(academy),
      { kind: 'system' },
      instructorOf(academy, 0),
      instructorOf(academy, 2),
      { kind: 'parent', parentId: academy.parentId },
      { kind: 'student', studentId: academy.studentIds[0]! },
    ];
    const expected = await scheduler.sessions.list(adminOf(academy), RANGE);
    for (const actor of actors) {
      const rows = await scheduler.sessions.list(actor, RANGE);
      expect(rows.map((r) => [r.instructor, r.facility])).toEqual(expected.map((r) => [r.instructor, r.facility]));
      for (const row of rows) if (row.instructor) expect(Object.keys(row.instructor).sort()).toEqual(['firstName', 'id', 'lastName']);
    }
  });

  // Statements counted as one server gets them; on Citus each call also runs its deferred checks on the worker.
  it.skipIf(onCitus())('costs one statement for the rows, however many there are (no read per instructor or facility)', async () => {
    const { sent, scheduler: recording } = recordingScheduler();
    await recording.sessions.list(adminOf(academy), {}); // the one-time capacity-policy sync
    for (const limit of [1, 3]) {
      sent.length = 0;
      const rows = await recording.sessions.list(adminOf(academy), { ...RANGE, limit });
      expect(rows).toHaveLength(limit);
      const [list, ...others] = reads(sent);
      expect(others).toEqual([]);
      expect(list).toMatch(/ from "sessions" left join "instructors" .* left join "facilities" /);
    }
    // A parent: the rows, then their family and where it holds a place (the visibility reads), still not one per row.
    sent.length = 0;
    await recording.sessions.list({ kind: 'parent', parentId: academy.parentId }, RANGE);
    expect(reads(sent)).toHaveLength(3);
  });
});
