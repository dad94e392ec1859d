/**
 * Every guarantee and the waitlist positions hold at READ COMMITTED, REPEATABLE READ
 * and SERIALIZABLE (real server only): in the scheduler's own transactions, with the
 * server's default set to the level (the scheduler's default settings: nothing tuned
 * for the test), and in host transactions (`{ tx }`) the host opens at the level and
 * retries as a whole on 40001/40P01, as the README tells hosts to.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import * as s from '../../src/schema';
import { createScheduler, isSchedulingError, type Scheduler } from '../../src';
import { sqlStateOf } from '../../src/db/database-errors';
import type { Actor } from '../../src/service/kernel/types';
import { useTestDatabase } from '../support/database';
import { type Academy, confirmedAndQueue, insertSession, seedAcademy } from '../support/fixtures';
import { adminOf } from '../support/actors';
import { at } from '../support/time';
import { race } from '../support/race';

const LEVELS = ['read committed', 'repeatable read', 'serializable'] as const;
type Level = (typeof LEVELS)[number];
const CONNECTIONS = 20;

const database = useTestDatabase();
let academy: Academy;
let admin: Actor;
const system: Actor = { kind: 'system' };
const clock = { now: at('2029-12-01T08:00:00Z') };

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 60 });
  admin = adminOf(academy);
});

/** A pool whose connections start with the server's default isolation at `level`. */
function poolAt(level: Level) {
  return postgres(database.url!, { max: CONNECTIONS, onnotice: () => {}, connection: { default_transaction_isolation: level } });
}

const kid = (i: number) => academy.studentIds[i]!;
let day = 0;
async function newSession(overrides: Partial<typeof s.sessions.$inferInsert> = {}) {
  day++;
  const start = new Date(Date.UTC(2030, 5, 1, 9) + day * 86_400_000);
  return insertSession(database.db, academy, {
    instructorId: null,
    capacity: 5,
    startTime: start,
    endTime: new Date(start.getTime() + 3_600_000),
    ...overrides,
  });
}

/** A host's own retry loop around its transaction, as the README asks of hosts. */
async function hostTransaction<T>(db: ReturnType<typeof drizzle>, level: Level, work: (tx: unknown) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction((tx) => work(tx), { isolationLevel: level });
    } catch (error) {
      const state = sqlStateOf(error) ?? (isSchedulingError(error) ? (error.details.sqlstate as string | undefined) : undefined);
      if ((state === '40001' || state === '40P01') && attempt < 30) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(400, 8 * 2 ** attempt)));
        continue;
      }
      throw error;
    }
  }
}

async function bookingsOf(sessionId: string) {
  const { confirmed, queue } = await confirmedAndQueue(database.db, sessionId);
  return { confirmed, positions: queue.map((e) => e.position) };
}

describe.each(LEVELS)('at %s', (level) => {
  let scheduler: Scheduler;
  let db: ReturnType<typeof drizzle>;
  let pool: ReturnType<typeof postgres>;
  // One level's connections at a time: other files race on the same server.
  afterAll(async () => pool?.end());
  beforeAll(async () => {
    pool = poolAt(level);
    db = drizzle(pool, { schema: s });
    scheduler = createScheduler({ db, now: () => clock.now });
    await scheduler.waitlist.expireOffers(system, {});
  });

  it("the scheduler's own transactions: 50 students rush 5 places, 5 confirmed and 45 queued 1..45, no retry runs out", async () => {
    const session = await newSession({ maxWaitlistSize: 50 });
    const { results, tally } = await race(50, (i) => scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(i) }));
    expect(tally).toEqual({ ok: 50 });
    const outcomes = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(outcomes.filter((o) => o.outcome === 'confirmed')).toHaveLength(5);
    const { confirmed, positions } = await bookingsOf(session.id);
    expect(confirmed).toHaveLength(5);
    expect(positions).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
  });

  it("the scheduler's own transactions: 30 children join a full session's waitlist at once and get positions 1..30", async () => {
    const session = await newSession({ capacity: 1, maxWaitlistSize: 40 });
    await scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(59) });
    const { results, tally } = await race(30, (i) => scheduler.waitlist.join(admin, { sessionId: session.id, studentId: kid(i) }));
    expect(tally).toEqual({ ok: 30 });
    const given = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.position] : [])).sort((a, b) => a - b);
    expect(given).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect((await bookingsOf(session.id)).positions).toEqual(given);
  });

  it("the scheduler's own transactions: 20 overlapping classes for one instructor, 20 for one room: one each", async () => {
    const start = new Date(Date.UTC(2030, 7, 1, 9) + LEVELS.indexOf(level) * 86_400_000);
    const input = (i: number, overrides: Record<string, unknown>) => ({
      programId: academy.programId,
      courseId: academy.courseId,
      locationId: academy.locationId,
      facilityId: academy.poolId,
      sessionType: 'group' as const,
      title: `Race ${i}`,
      startTime: new Date(start.getTime() + i * 60_000),
      endTime: new Date(start.getTime() + 3_600_000 + i * 60_000),
      ...overrides,
    });
    const rooms = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const [room] = await database.query<{ id: string }>(
          `INSERT INTO scheduling.facilities (location_id, code, name) VALUES ('${academy.locationId}', 'R-${level}-${i}-${process.pid}', 'Room') RETURNING id`,
        );
        return room!.id;
      }),
    );
    const instructor = await race(20, (i) => scheduler.sessions.create(admin, input(i, { instructorId: academy.instructorIds[0], facilityId: rooms[i] })));
    expect(instructor.tally).toEqual({ ok: 1, INSTRUCTOR_DOUBLE_BOOKED: 19 });
    const room = await race(20, (i) =>
      scheduler.sessions.create(
        admin,
        input(i, {
          instructorId: null,
          startTime: new Date(start.getTime() + 86_400_000 * 10 + i * 60_000),
          endTime: new Date(start.getTime() + 86_400_000 * 10 + 3_600_000 + i * 60_000),
        }),
      ),
    );
    expect(room.tally).toEqual({ ok: 1, FACILITY_OVERLAP: 19 });
  });

  it("the scheduler's own transactions: one child booked into 10 overlapping classes at once is confirmed in one", async () => {
    const sessions: Array<{ id: string }> = [];
    for (let i = 0; i < 10; i++) {
      const [room] = await database.query<{ id: string }>(
        `INSERT INTO scheduling.facilities (location_id, code, name) VALUES ('${academy.locationId}', 'K-${level}-${i}-${process.pid}', 'Room') RETURNING id`,
      );
      const date = `2030-09-0${1 + LEVELS.indexOf(level)}`;
      sessions.push(await newSession({ facilityId: room!.id, startTime: at(`${date}T09:0${i}:00Z`), endTime: at(`${date}T10:00:00Z`) }));
    }
    const { tally } = await race(10, (i) => scheduler.bookings.book(admin, { sessionId: sessions[i]!.id, studentId: kid(58) }));
    expect(tally).toEqual({ ok: 1, STUDENT_CONFLICT: 9 });
  });

  it('host transactions at this level (the host retries 40001 as a whole): the rush and the queue keep every guarantee', async () => {
    const session = await newSession({ maxWaitlistSize: 50 });
    const { results, tally } = await race(40, (i) =>
      hostTransaction(db, level, (tx) => scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(i) }, { tx: tx as never })),
    );
    expect(tally).toEqual({ ok: 40 });
    expect(results.flatMap((r) => (r.status === 'fulfilled' && r.value.outcome === 'confirmed' ? [1] : []))).toHaveLength(5);
    const { confirmed, positions } = await bookingsOf(session.id);
    expect(confirmed).toHaveLength(5);
    expect(positions).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
  });

  it('host transactions at this level: overlapping classes for one instructor, one child into overlapping classes, joins of a full queue', async () => {
    const start = new Date(Date.UTC(2030, 10, 1, 9) + LEVELS.indexOf(level) * 86_400_000);
    const rooms: string[] = [];
    for (let i = 0; i < 12; i++) {
      const [room] = await database.query<{ id: string }>(
        `INSERT INTO scheduling.facilities (location_id, code, name) VALUES ('${academy.locationId}', 'H-${level}-${i}-${process.pid}', 'Room') RETURNING id`,
      );
      rooms.push(room!.id);
    }
    const classes = await race(12, (i) =>
      hostTransaction(db, level, (tx) =>
        scheduler.sessions.create(
          admin,
          {
            programId: academy.programId,
            courseId: academy.courseId,
            locationId: academy.locationId,
            facilityId: rooms[i]!,
            instructorId: academy.instructorIds[1],
            sessionType: 'group',
            title: `Host ${i}`,
            startTime: new Date(start.getTime() + i * 60_000),
            endTime: new Date(start.getTime() + 3_600_000),
          },
          { tx: tx as never },
        ),
      ),
    );
    expect(classes.tally).toEqual({ ok: 1, INSTRUCTOR_DOUBLE_BOOKED: 11 });

    const overlapping: Array<{ id: string }> = [];
    for (let i = 0; i < 8; i++) {
      overlapping.push(
        await newSession({
          facilityId: rooms[i]!,
          startTime: new Date(start.getTime() + 2 * 86_400_000 + i * 60_000),
          endTime: new Date(start.getTime() + 2 * 86_400_000 + 3_600_000),
        }),
      );
    }
    const child = await race(8, (i) =>
      hostTransaction(db, level, (tx) => scheduler.bookings.book(admin, { sessionId: overlapping[i]!.id, studentId: kid(57) }, { tx: tx as never })),
    );
    expect(child.tally).toEqual({ ok: 1, STUDENT_CONFLICT: 7 });

    const full = await newSession({ capacity: 1, maxWaitlistSize: 30 });
    await scheduler.bookings.book(admin, { sessionId: full.id, studentId: kid(56) });
    const joins = await race(20, (i) =>
      hostTransaction(db, level, (tx) => scheduler.waitlist.join(admin, { sessionId: full.id, studentId: kid(30 + i) }, { tx: tx as never })),
    );
    expect(joins.tally).toEqual({ ok: 20 });
    expect((await bookingsOf(full.id)).positions).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('after all of it, verifyIntegrity finds nothing', async () => {
    expect(await scheduler.maintenance.verifyIntegrity(system, {})).toEqual([]);
  });
});

describe('createScheduler({ isolationLevel })', () => {
  it("sets the level of the scheduler's own transactions, whatever the server's default", async () => {
    const statements: string[] = [];
    const pool = postgres(database.url!, { max: CONNECTIONS, onnotice: () => {}, debug: (_connection, query) => statements.push(query) });
    onTestFinished(() => pool.end());
    const scheduler = createScheduler({ db: drizzle(pool, { schema: s }), now: () => clock.now, isolationLevel: 'serializable' });
    await scheduler.waitlist.expireOffers(system, {});
    expect(statements.some((q) => /isolation level serializable/i.test(q))).toBe(true);
    // The rush again, serializable by the option on a READ COMMITTED server: the same outcome.
    const session = await newSession({ maxWaitlistSize: 50 });
    const { tally } = await race(30, (i) => scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(i) }));
    expect(tally).toEqual({ ok: 30 });
    const { confirmed, positions } = await bookingsOf(session.id);
    expect(confirmed).toHaveLength(5);
    expect(positions).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });
});
