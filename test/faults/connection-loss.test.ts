/**
 * The connection dies in the middle of a write (real server only). Each test parks
 * the scheduler's transaction on a lock it needs *after* it has already written
 * something, checks in `pg_locks` that it has, kills its backend with
 * `pg_terminate_backend`, and then proves: the call rejects with a typed error, no
 * row was added, removed or changed, `verifyIntegrity` is clean, and the same call
 * on a fresh client succeeds.
 *
 * On Citus the backend killed is the client's on the coordinator; the transaction's
 * writes, on the academy's worker, are rolled back with it (the same checks prove it).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Scheduler, type SchedulingError } from '../../src';
import type { Actor } from '../../src/service/kernel/types';
import { useTestDatabase } from '../support/database';
import { type Academy, insertSession } from '../support/fixtures';
import { type Sql, type Victim, useFaultScene, causeMessages, digestTables, holdLock, killWhileBlocked, openVictim } from './fault-harness';

const database = useTestDatabase();
const scene = useFaultScene(database, { students: 12, month: 2 });
const { clock, victims } = scene;
let admin: Sql;
let setup: Scheduler;
let academy: Academy;
let actor: Actor;
beforeAll(() => ({ admin, setup, academy, actor } = scene));

async function victim(): Promise<Victim> {
  const v = await openVictim(database.url!, { now: clock, driver: 'node-postgres' });
  victims.push(v);
  return v;
}

const kid = (i: number) => academy.studentIds[i]!;
let day = 0;
async function newSession(capacity: number) {
  day++;
  const start = new Date(Date.UTC(2030, 2, day, 15));
  return insertSession(database.db, academy, { instructorId: null, capacity, startTime: start, endTime: new Date(start.getTime() + 3_600_000) });
}

/** Records the code a connection loss surfaced as, so the report can quote it. */
function logObserved(label: string, error: SchedulingError) {
  console.info(`[faults] ${label}: ${error.code} sqlstate=${String(error.details.sqlstate)} causes=${JSON.stringify(causeMessages(error))}`);
}

/**
 * What a killed connection surfaces as on node-postgres: DATABASE_ERROR without a
 * sqlstate. Drizzle's ROLLBACK on the dead client fails and replaces the 57P01 the
 * server sent, so the cause chain ends at the driver's "Connection terminated".
 */
function expectConnectionLoss(error: SchedulingError) {
  expect(error.code).toBe('DATABASE_ERROR');
  expect(error.details.sqlstate).toBeUndefined();
  expect(causeMessages(error).at(-1)).toBe('Connection terminated unexpectedly');
}

describe('connection killed mid-transaction', () => {
  it('a booking killed after inserting the booking and counting it leaves nothing behind; the retry books', async () => {
    const session = await newSession(5);
    for (const i of [0, 1]) await setup.bookings.book(actor, { sessionId: session.id, studentId: kid(i) });
    const before = await digestTables(admin);
    const v = await victim();
    // The booking trigger updates the student row (after the insert and the count);
    // holding that row parks the transaction there.
    const blocker = await holdLock(database.url!, 'SELECT 1 FROM scheduling.students WHERE id = $1 FOR NO KEY UPDATE', [kid(2)]);
    const { wait, error } = await killWhileBlocked(admin, v, blocker, (sch) => sch.bookings.book(actor, { sessionId: session.id, studentId: kid(2) }));
    logObserved('booking killed', error);

    expect(wait.held).toEqual(expect.arrayContaining(['session_bookings:RowExclusiveLock', 'sessions:RowExclusiveLock']));
    expectConnectionLoss(error);
    expect(await digestTables(admin)).toEqual(before);

    const retry = await (await victim()).scheduler.bookings.book(actor, { sessionId: session.id, studentId: kid(2) });
    expect(retry.outcome).toBe('confirmed');
    const [row] = await admin`SELECT current_bookings FROM scheduling.sessions WHERE id = ${session.id}`;
    expect(row!.current_bookings).toBe(3);
  });

  it('a cancellation killed after cancelling but before offering the place leaves the booking and the queue as they were; the retry promotes', async () => {
    const session = await newSession(2);
    const first = await setup.bookings.book(actor, { sessionId: session.id, studentId: kid(3) });
    await setup.bookings.book(actor, { sessionId: session.id, studentId: kid(4) });
    const queued = await setup.bookings.book(actor, { sessionId: session.id, studentId: kid(5) });
    await setup.bookings.book(actor, { sessionId: session.id, studentId: kid(6) });
    if (first.outcome !== 'confirmed' || queued.outcome !== 'waitlisted') throw new Error('setup');
    const before = await digestTables(admin);
    const v = await victim();
    // The promotion updates the first waiting entry; holding it parks the transaction after the cancellation was written.
    const blocker = await holdLock(database.url!, 'SELECT 1 FROM scheduling.session_waitlist WHERE id = $1 FOR NO KEY UPDATE', [queued.entry.id]);
    const { wait, error } = await killWhileBlocked(admin, v, blocker, (sch) =>
      sch.bookings.cancel(actor, { bookingId: first.booking.id, type: 'student', reason: 'Ill' }),
    );
    logObserved('cancellation killed', error);

    expect(wait.held).toEqual(expect.arrayContaining(['session_bookings:RowExclusiveLock', 'sessions:RowExclusiveLock']));
    expectConnectionLoss(error);
    expect(await digestTables(admin)).toEqual(before);

    const retry = await (await victim()).scheduler.bookings.cancel(actor, { bookingId: first.booking.id, type: 'student', reason: 'Ill' });
    expect(retry.booking.bookingStatus).toBe('cancelled');
    expect(retry.promotion.offered.map((e) => [e.studentId, e.status, e.position])).toEqual([[kid(5), 'offered', 1]]);
    const queue = await admin`SELECT student_id, status, position FROM scheduling.session_waitlist WHERE session_id = ${session.id} ORDER BY position`;
    expect(queue.map((e) => [e.student_id, e.status, e.position])).toEqual([
      [kid(5), 'offered', 1],
      [kid(6), 'waiting', 2],
    ]);
  });

  it('a series creation killed after writing the pattern and its first session leaves no pattern, session or conflict; the retry creates it whole', async () => {
    const instructor = academy.instructorIds[1]!;
    // Availability on Sundays only: every weekday occurrence records an availability mismatch.
    await admin`INSERT INTO scheduling.instructor_availability (instructor_id, availability_type, day_of_week, start_time, end_time, effective_from)
                VALUES (${instructor}, 'regular', 0, '08:00', '09:00', '2030-01-01')`;
    const input = {
      pattern: {
        name: 'Fault series',
        patternType: 'weekly' as const,
        daysOfWeek: [2, 4],
        startDate: '2030-06-04',
        maxOccurrences: 12,
        startTime: '17:00',
        endTime: '18:00',
      },
      session: {
        programId: academy.programId,
        courseId: academy.courseId,
        locationId: academy.locationId,
        facilityId: academy.lanesId,
        instructorId: instructor,
        sessionType: 'group' as const,
        title: 'Fault series',
      },
    };
    const before = await digestTables(admin);
    const v = await victim();
    await v.scheduler.maintenance.verifyIntegrity(actor, {}); // syncs the policy first, so the kill hits the series
    // The conflict trigger writes schedule_conflicts for the first occurrence, after the
    // pattern row, the session row and the instructor and facility locks.
    const blocker = await holdLock(database.url!, 'LOCK TABLE scheduling.schedule_conflicts IN SHARE MODE');
    const { wait, error } = await killWhileBlocked(admin, v, blocker, (sch) => sch.series.create(actor, input));
    logObserved('series creation killed', error);

    expect(wait.waitEvent).toBe('relation');
    expect(wait.held).toEqual(
      expect.arrayContaining([
        'recurring_patterns:RowExclusiveLock',
        'sessions:RowExclusiveLock',
        'instructors:RowExclusiveLock',
        'facilities:RowExclusiveLock',
      ]),
    );
    expectConnectionLoss(error);
    expect(await digestTables(admin)).toEqual(before);

    const retry = await (await victim()).scheduler.series.create(actor, input);
    expect(retry.sessions).toHaveLength(12);
    expect(retry.conflicts.map((c) => c.conflictType)).toEqual(Array(12).fill('availability_mismatch'));
    const [stored] = await admin`SELECT count(*)::int AS n FROM scheduling.sessions WHERE recurring_pattern_id = ${retry.pattern.id}`;
    expect(stored!.n).toBe(12);
  });

  it('the scheduler whose connection was killed works again once the client reconnects', async () => {
    const session = await newSession(5);
    const v = await victim();
    const blocker = await holdLock(database.url!, 'SELECT 1 FROM scheduling.sessions WHERE id = $1 FOR UPDATE', [session.id]);
    await killWhileBlocked(admin, v, blocker, (sch) => sch.bookings.book(actor, { sessionId: session.id, studentId: kid(7) }));
    // Same client, same scheduler: postgres.js opens a new connection for the next query.
    const again = await v.scheduler.bookings.book(actor, { sessionId: session.id, studentId: kid(7) });
    expect(again.outcome).toBe('confirmed');
    expect(await v.currentPid()).not.toBe(v.pid);
  });
});
