/**
 * The short path of `bookings.book` (`scheduling.write_confirmed_booking` asking
 * `scheduling.takes_direct_booking`) only confirms what the full path would confirm,
 * and what it confirms the invariant trigger (`update_session_bookings`) accepts.
 *
 * On random states of one session — every status, start times a few microseconds
 * either side of the scheduler's clock, capacities, confirmed bookings, waitlist
 * entries of every status with deadlines before and after the clock, the student
 * already booked or queued there, or confirmed in another session that overlaps or
 * only touches — the short path is run and rolled back, then the full path (the
 * session opened under its lock, the student's checks, the free places counted) is
 * run and rolled back on the same state. Whenever the short path writes a booking
 * (and the deferred checks pass at once, as they would at commit), the full path —
 * `bookUnderLock`, the very function `bookStudent` falls back to — must confirm too. The rule both paths state is src/domain/bookability.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { isSchedulingError } from '../../src/errors';
import { writeDirectBooking } from '../../src/service/places/booking-rows';
import { bookUnderLock } from '../../src/service/bookings/book';
import { SESSION_STATUSES, WAITLIST_STATUSES } from '../../src/domain/statuses';
import type { SchedulingDb } from '../../src/db/scheduling-db';
import { type TestDb, rolledBack, useTestDatabase } from '../support/database';
import { type Academy, seedAcademy } from '../support/fixtures';

const database = useTestDatabase();
let academy: Academy;

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 8 });
});

/** The scheduler's clock in every case. */
const NOW = new Date('2030-03-05T16:00:00.000Z');
const HOUR_US = 3_600_000_000;

const entryArb = fc.record({
  status: fc.constantFrom(...WAITLIST_STATUSES),
  /** Offer deadline relative to NOW, in seconds (null: none). */
  deadline: fc.option(fc.integer({ min: -600, max: 600 }), { nil: null }),
});

const scenarioArb = fc.record({
  status: fc.constantFrom<(typeof SESSION_STATUSES)[number]>('scheduled', 'scheduled', 'scheduled', 'scheduled', 'scheduled', ...SESSION_STATUSES),
  /** Start relative to NOW in microseconds: mostly around the clock's own millisecond, sometimes far. */
  startOffsetUs: fc.oneof(fc.integer({ min: -3000, max: 3000 }), fc.integer({ min: -2 * HOUR_US, max: 48 * HOUR_US })),
  capacity: fc.integer({ min: 1, max: 3 }),
  confirmedOthers: fc.integer({ min: 0, max: 2 }),
  queue: fc.oneof(fc.constant([]), fc.array(entryArb, { maxLength: 3 })),
  here: fc.constantFrom('none', 'none', 'none', 'none', 'confirmed', 'cancelled', 'pending', 'queued'),
  elsewhere: fc.constantFrom('none', 'none', 'none', 'overlapping', 'overlapping-cancelled-session', 'overlapping-in-progress', 'back-to-back'),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

const rows = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows);

/** Runs `work` in a savepoint and rolls it back; a refusal by the database skips the row. */
async function tryWrite(tx: TestDb, work: (sp: TestDb) => Promise<unknown>): Promise<boolean> {
  try {
    await tx.transaction(async (sp) => {
      await work(sp as unknown as TestDb);
    });
    return true;
  } catch {
    return false;
  }
}

/** Writes one session in the scenario's state; returns its id and the student under test. */
async function setUp(tx: TestDb, scenario: Scenario) {
  const [student, ...others] = academy.studentIds as [string, ...string[]];
  // Each session has its own instructor, in the lanes (three at once): only the student can clash.
  const insertSession = (startSql: ReturnType<typeof sql>, minutes: number, capacity: number, instructor: number) =>
    tx
      .execute(
        sql`INSERT INTO scheduling.sessions (program_id, course_id, location_id, facility_id, instructor_id, session_type, title, start_time, end_time, capacity, created_by)
            VALUES (${academy.programId}, ${academy.courseId}, ${academy.locationId}, ${academy.lanesId}, ${academy.instructorIds[instructor]}, 'group', 'Property',
                    ${startSql}, ${startSql} + ${`${minutes} minutes`}::interval, ${capacity}, ${academy.adminId}) RETURNING id`,
      )
      .then((r) => rows<{ id: string }>(r)[0]!.id);
  const start = sql`${NOW.toISOString()}::timestamptz + ${scenario.startOffsetUs} * interval '1 microsecond'`;
  const sessionId = await insertSession(start, 45, scenario.capacity, 0);
  const book = (studentId: string, status = 'confirmed', session = sessionId) =>
    tryWrite(tx, (sp) =>
      sp.execute(sql`INSERT INTO scheduling.session_bookings (session_id, student_id, booking_status) VALUES (${session}, ${studentId}, ${status})`),
    );

  for (const other of others.slice(0, Math.min(scenario.confirmedOthers, scenario.capacity))) await book(other);
  const queued = others.slice(3);
  for (const [i, entry] of scenario.queue.entries()) {
    const deadline = entry.deadline === null ? null : new Date(NOW.getTime() + entry.deadline * 1000).toISOString();
    await tryWrite(tx, (sp) =>
      sp.execute(sql`INSERT INTO scheduling.session_waitlist (session_id, student_id, position, status, response_deadline)
                     VALUES (${sessionId}, ${queued[i]!}, ${i + 1}, ${entry.status}, ${deadline}::timestamptz)`),
    );
  }
  if (scenario.here === 'queued') {
    await tryWrite(tx, (sp) =>
      sp.execute(sql`INSERT INTO scheduling.session_waitlist (session_id, student_id, position, status)
                     VALUES (${sessionId}, ${student}, ${scenario.queue.length + 1}, 'waiting')`),
    );
  } else if (scenario.here !== 'none') {
    await book(student, scenario.here);
  }
  if (scenario.elsewhere !== 'none') {
    const touching = scenario.elsewhere === 'back-to-back';
    const otherStart = touching ? sql`${start} + interval '45 minutes'` : sql`${start} + interval '10 minutes'`;
    const other = await insertSession(otherStart, 30, 5, 1);
    await book(student, 'confirmed', other);
    if (scenario.elsewhere === 'overlapping-cancelled-session') await tx.execute(sql`UPDATE scheduling.sessions SET status = 'cancelled' WHERE id = ${other}`);
    if (scenario.elsewhere === 'overlapping-in-progress') await tx.execute(sql`UPDATE scheduling.sessions SET status = 'in_progress' WHERE id = ${other}`);
  }
  // Queue positions 1..n for the active entries (entries above may have been skipped), the rest out of the way.
  await tx.execute(sql`UPDATE scheduling.session_waitlist w SET position = r.rn
    FROM (SELECT id, CASE WHEN status IN ('waiting', 'notified', 'offered') THEN row_number() OVER (PARTITION BY status IN ('waiting', 'notified', 'offered') ORDER BY position, id)
                           ELSE 1000 + row_number() OVER (ORDER BY id) END AS rn
          FROM scheduling.session_waitlist WHERE session_id = ${sessionId}) r
    WHERE w.id = r.id`);
  // The status last, so the rows above could be written first (a booking needs an active session).
  if (scenario.status !== 'scheduled') {
    const written = await tryWrite(tx, (sp) => sp.execute(sql`UPDATE scheduling.sessions SET status = ${scenario.status} WHERE id = ${sessionId}`));
    expect(written, `setting status ${scenario.status}`).toBe(true);
  }
  // The state must be one a commit would accept.
  await runDeferredChecksNow(tx);
  return { sessionId, student };
}

/**
 * Runs the deferred checks (as a commit would), then defers them again: every
 * deferrable constraint of the schema is INITIALLY DEFERRED (drizzle/current/triggers.sql),
 * so ALL DEFERRED restores exactly the mode the service runs in.
 */
async function runDeferredChecksNow(tx: TestDb | SchedulingDb) {
  await tx.execute(sql`SET CONSTRAINTS ALL IMMEDIATE`);
  await tx.execute(sql`SET CONSTRAINTS ALL DEFERRED`);
}

const ROLL_BACK = new Error('roll back');

/** Runs `work` in a savepoint that is always rolled back; returns its result. */
async function inRolledBackSavepoint<T>(tx: TestDb, work: (sp: SchedulingDb) => Promise<T>): Promise<T> {
  let result!: T;
  await tx
    .transaction(async (sp) => {
      result = await work(sp as unknown as SchedulingDb);
      throw ROLL_BACK;
    })
    .catch((error) => {
      if (error !== ROLL_BACK) throw error;
    });
  return result;
}

/** What the full path of `bookings.book` (the same function `bookStudent` calls) decides on this state. */
async function fullPath(tx: SchedulingDb, sessionId: string, studentId: string): Promise<string> {
  try {
    const result = await bookUnderLock(tx, { sessionId, studentId, source: 'admin' }, { now: NOW, offerWindowMinutes: 60, mode: 'offer' });
    return result.outcome;
  } catch (error) {
    if (isSchedulingError(error)) return error.code;
    throw error;
  }
}

/** The short path, then the deferred checks at once (as at commit): the booking it wrote, if any. */
async function shortPath(tx: SchedulingDb, sessionId: string, studentId: string) {
  const booking = await writeDirectBooking(tx, { sessionId, studentId, source: 'admin' }, NOW);
  await runDeferredChecksNow(tx);
  return booking;
}

describe('bookings.book: the short path only confirms what the full path would confirm', () => {
  it('on random session states', async () => {
    const seen = { direct: 0, fullOnly: 0, declinedBoth: 0 };
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        await rolledBack(database.db, async (tx) => {
          // The service's statements name no schema: they run where the scheduler's search_path points.
          await tx.execute(sql`SET LOCAL search_path = scheduling, pg_temp`);
          const { sessionId, student } = await setUp(tx, scenario);
          const direct = await inRolledBackSavepoint(tx, (sp) => shortPath(sp, sessionId, student));
          const full = await inRolledBackSavepoint(tx, (sp) => fullPath(sp, sessionId, student));
          if (direct) {
            seen.direct++;
            expect(direct.bookingStatus).toBe('confirmed');
            expect(full, `the short path confirmed, the full path said ${full}`).toBe('confirmed');
          } else if (full === 'confirmed') {
            seen.fullOnly++;
          } else {
            seen.declinedBoth++;
          }
        });
      }),
      {
        numRuns: Number(process.env.PROPERTY_RUNS ?? 200),
        seed: process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined,
        // Always among the cases: one only the short path takes, one only the full path confirms (an
        // expired offer the full path settles first), one neither confirms (the student is busy elsewhere).
        examples: [
          [{ status: 'scheduled', startOffsetUs: HOUR_US, capacity: 2, confirmedOthers: 1, queue: [], here: 'none', elsewhere: 'none' }],
          [
            {
              status: 'scheduled',
              startOffsetUs: HOUR_US,
              capacity: 2,
              confirmedOthers: 0,
              queue: [{ status: 'offered', deadline: -60 }],
              here: 'none',
              elsewhere: 'none',
            },
          ],
          [{ status: 'scheduled', startOffsetUs: HOUR_US, capacity: 2, confirmedOthers: 0, queue: [], here: 'none', elsewhere: 'overlapping' }],
        ],
      },
    );
    // Not vacuous: both paths were exercised, and the full path confirms cases the short one leaves to it.
    expect(seen.direct).toBeGreaterThanOrEqual(1);
    expect(seen.fullOnly).toBeGreaterThanOrEqual(1);
    expect(seen.declinedBoth).toBeGreaterThanOrEqual(1);
  }, 240_000);
});
