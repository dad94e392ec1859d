import { beforeAll, describe, expect, it } from 'vitest';
import { TransactionRollbackError, sql } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, isSchedulingError, type Scheduler } from '../../../src';
import { useTestDatabase, type TestDb } from '../../support/database';
import { type Academy, insertSession, seedAcademy, sessionById, book } from '../../support/fixtures';
import { errorOf } from '../../support/refusals';
import { adminOf } from '../../support/actors';
import { at } from '../../support/time';

const database = useTestDatabase();
let academy: Academy;
let scheduler: Scheduler;
const system = { kind: 'system' as const };
/** Healthy data every check starts from. */
let A: typeof s.sessions.$inferSelect; // coach 0, pool, 2030-02-01 10:00–11:00, students 0 and 1
let P: typeof s.sessions.$inferSelect; // private, capacity 2: student 2 confirmed, the other place held by an offer to student 4

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 8 });
  scheduler = createScheduler({ db: database.db, now: () => at('2030-01-01T00:00:00Z') });
  A = await insertSession(database.db, academy, { startTime: at('2030-02-01T10:00:00Z'), endTime: at('2030-02-01T11:00:00Z') });
  await book(database.db, A.id, academy.studentIds[0]!);
  await book(database.db, A.id, academy.studentIds[1]!);
  P = await insertSession(database.db, academy, {
    sessionType: 'private',
    capacity: 2,
    startTime: at('2030-02-02T10:00:00Z'),
    endTime: at('2030-02-02T11:00:00Z'),
  });
  await book(database.db, P.id, academy.studentIds[2]!);
  // A healthy waitlist on P: positions 1 and 2, one offer still open (it holds P's second place).
  await database.query(
    `INSERT INTO scheduling.session_waitlist (session_id, student_id, position, status, response_deadline)
     VALUES ('${P.id}', '${academy.studentIds[4]}', 1, 'offered', '2030-01-05T00:00:00Z'), ('${P.id}', '${academy.studentIds[5]}', 2, 'waiting', NULL),
            ('${P.id}', '${academy.studentIds[6]}', 7, 'cancelled', NULL)`,
  );
});

/**
 * Runs `corrupt` with every trigger off (`session_replication_role = replica`), then
 * `check` in the same transaction, then rolls everything back: each test starts
 * from the same healthy data.
 */
async function whileCorrupted<T>(corrupt: string[], check: (tx: TestDb) => Promise<T>): Promise<T> {
  let result: T | undefined;
  await database.db
    .transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      for (const statement of corrupt) await tx.execute(sql.raw(statement));
      await tx.execute(sql`SET LOCAL session_replication_role = origin`);
      result = await check(tx as unknown as TestDb);
      tx.rollback();
    })
    .catch((error) => {
      if (!(error instanceof TransactionRollbackError)) throw error;
    });
  return result as T;
}

const findingsWhile = (corrupt: string[]) => whileCorrupted(corrupt, (tx) => scheduler.maintenance.verifyIntegrity(system, {}, { tx }));
const newSessionSql = (values: { id: string; instructor: string | null; facility: string; start: string; end: string }) =>
  `INSERT INTO scheduling.sessions (id, program_id, course_id, location_id, facility_id, instructor_id, session_type, title, start_time, end_time, capacity, created_by)
   VALUES ('${values.id}', '${academy.programId}', '${academy.courseId}', '${academy.locationId}', '${values.facility}', ${values.instructor ? `'${values.instructor}'` : 'NULL'},
           'group', 'Corrupt', '${values.start}', '${values.end}', 5, '${academy.adminId}')`;
const ID = ['10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000002'] as const;

describe('maintenance.verifyIntegrity', () => {
  it('a healthy database gives []', async () => {
    expect(await scheduler.maintenance.verifyIntegrity(system, {})).toEqual([]);
  });

  it('current_bookings ≠ confirmed count', async () => {
    expect(await findingsWhile([`UPDATE scheduling.sessions SET current_bookings = 4 WHERE id = '${A.id}'`])).toEqual([
      { kind: 'booking_count_drift', sessionId: A.id, recorded: 4, actual: 2 },
    ]);
  });

  it('more confirmed bookings than places', async () => {
    expect(
      await findingsWhile([
        `INSERT INTO scheduling.session_bookings (session_id, student_id) VALUES ('${P.id}', '${academy.studentIds[3]}'), ('${P.id}', '${academy.studentIds[7]}')`,
      ]),
    ).toEqual([
      { kind: 'booking_count_drift', sessionId: P.id, recorded: 1, actual: 3 },
      { kind: 'over_capacity', sessionId: P.id, capacity: 2, confirmed: 3 },
      { kind: 'held_offers_over_capacity', sessionId: P.id, capacity: 2, confirmed: 3, heldOffers: 1 },
    ]);
  });

  it('a place held by an offer taken by a booking', async () => {
    expect(
      await findingsWhile([
        `INSERT INTO scheduling.session_bookings (session_id, student_id) VALUES ('${P.id}', '${academy.studentIds[3]}')`,
        `UPDATE scheduling.sessions SET current_bookings = 2 WHERE id = '${P.id}'`,
      ]),
    ).toEqual([{ kind: 'held_offers_over_capacity', sessionId: P.id, capacity: 2, confirmed: 2, heldOffers: 1 }]);
  });

  it('a live session whose capacity is outside its policy, or whose type has no policy', async () => {
    expect(await findingsWhile([`UPDATE scheduling.sessions SET capacity = 9 WHERE id = '${A.id}'`])).toEqual([
      { kind: 'capacity_outside_policy', sessionId: A.id, sessionType: 'group', capacity: 9, min: 1, max: 5 },
    ]);
    expect(await findingsWhile([`DELETE FROM scheduling.capacity_policies WHERE session_type = 'private'`])).toEqual([
      { kind: 'capacity_outside_policy', sessionId: P.id, sessionType: 'private', capacity: 2, min: null, max: null },
    ]);
  });

  it('an instructor in more overlapping sessions than allowed', async () => {
    const findings = await findingsWhile([
      newSessionSql({
        id: ID[0],
        instructor: academy.instructorIds[0]!,
        facility: academy.lanesId,
        start: '2030-02-01T10:30:00Z',
        end: '2030-02-01T11:30:00Z',
      }),
    ]);
    expect(findings).toEqual([{ kind: 'instructor_overlap', ownerId: academy.instructorIds[0], sessionIds: [A.id, ID[0]].sort(), peak: 2, limit: 1 }]);
  });

  it('a facility holding more sessions at once than allowed', async () => {
    const findings = await findingsWhile([
      newSessionSql({ id: ID[0], instructor: academy.instructorIds[1]!, facility: academy.poolId, start: '2030-02-01T09:30:00Z', end: '2030-02-01T10:01:00Z' }),
    ]);
    expect(findings).toEqual([{ kind: 'facility_overlap', ownerId: academy.poolId, sessionIds: [A.id, ID[0]].sort(), peak: 2, limit: 1 }]);
  });

  it('back-to-back sessions are not an overlap; a facility allowing 3 at once holding 3 is fine', async () => {
    const findings = await findingsWhile([
      newSessionSql({ id: ID[0], instructor: academy.instructorIds[0]!, facility: academy.poolId, start: '2030-02-01T11:00:00Z', end: '2030-02-01T12:00:00Z' }),
      ...[0, 1, 2].map((i) =>
        newSessionSql({
          id: `2000000${i}-0000-4000-8000-000000000000`,
          instructor: null,
          facility: academy.lanesId,
          start: '2030-03-01T10:00:00Z',
          end: '2030-03-01T11:00:00Z',
        }),
      ),
    ]);
    expect(findings).toEqual([]);
  });

  it('a student confirmed in two overlapping active sessions', async () => {
    const student = academy.studentIds[0]!;
    const findings = await findingsWhile([
      newSessionSql({
        id: ID[0],
        instructor: academy.instructorIds[2]!,
        facility: academy.lanesId,
        start: '2030-02-01T10:45:00Z',
        end: '2030-02-01T11:15:00Z',
      }),
      `INSERT INTO scheduling.session_bookings (session_id, student_id) VALUES ('${ID[0]}', '${student}')`,
      `UPDATE scheduling.sessions SET current_bookings = 1 WHERE id = '${ID[0]}'`,
    ]);
    expect(findings).toEqual([{ kind: 'student_overlap', studentId: student, sessionIds: [A.id, ID[0]].sort() }]);
  });

  it('waitlist positions with a gap and a duplicate among active entries', async () => {
    const findings = await findingsWhile([
      `UPDATE scheduling.session_waitlist SET position = 3 WHERE session_id = '${P.id}' AND position = 2`,
      `INSERT INTO scheduling.session_waitlist (session_id, student_id, position, status) VALUES ('${P.id}', '${academy.studentIds[7]}', 3, 'notified')`,
    ]);
    expect(findings).toEqual([{ kind: 'waitlist_positions', sessionId: P.id, positions: [1, 3, 3], duplicates: [3], gaps: [2] }]);
  });

  it('an offer past its response deadline still offered', async () => {
    const findings = await findingsWhile([
      `UPDATE scheduling.session_waitlist SET response_deadline = '2029-12-31T23:59:00Z' WHERE session_id = '${P.id}' AND position = 1`,
    ]);
    expect(findings).toEqual([
      {
        kind: 'expired_offer',
        waitlistEntryId: expect.any(String),
        sessionId: P.id,
        studentId: academy.studentIds[4],
        responseDeadline: at('2029-12-31T23:59:00Z'),
      },
    ]);
  });

  it('a student both confirmed and actively waiting for the same session', async () => {
    const student = academy.studentIds[0]!;
    const findings = await findingsWhile([
      `INSERT INTO scheduling.session_waitlist (session_id, student_id, position, status) VALUES ('${A.id}', '${student}', 1, 'waiting')`,
    ]);
    expect(findings).toEqual([
      { kind: 'booked_and_waiting', sessionId: A.id, studentId: student, bookingId: expect.any(String), waitlistEntryId: expect.any(String) },
    ]);
  });

  it('is for admins and the system only', async () => {
    for (const actor of [{ kind: 'instructor' as const }, { kind: 'parent' as const }, { kind: 'student' as const }]) {
      expect(isSchedulingError(await errorOf(() => scheduler.maintenance.verifyIntegrity(actor, {})), 'FORBIDDEN')).toBe(true);
    }
    expect(await scheduler.maintenance.verifyIntegrity(adminOf(academy), {})).toEqual([]);
  });
});

describe('maintenance.recountBookings', () => {
  it('fixes drift, reports what it fixed, and leaves a count above capacity for a person', async () => {
    const overCapacity = await whileCorrupted(
      [
        `INSERT INTO scheduling.session_bookings (session_id, student_id) VALUES ('${P.id}', '${academy.studentIds[3]}'), ('${P.id}', '${academy.studentIds[7]}')`,
      ],
      (tx) => scheduler.maintenance.recountBookings(system, {}, { tx }),
    );
    expect(overCapacity).toEqual({ fixed: [], overCapacity: [{ sessionId: P.id, sessionCode: P.sessionId, previous: 1, actual: 3, capacity: 2 }] });

    await whileCorruptedCommitted(`UPDATE scheduling.sessions SET current_bookings = 0 WHERE id = '${A.id}'`);
    expect(await scheduler.maintenance.verifyIntegrity(system, {})).toEqual([{ kind: 'booking_count_drift', sessionId: A.id, recorded: 0, actual: 2 }]);
    expect(await scheduler.maintenance.recountBookings(adminOf(academy), {})).toEqual({
      fixed: [{ sessionId: A.id, sessionCode: A.sessionId, previous: 0, actual: 2 }],
      overCapacity: [],
    });
    expect((await sessionById(database.db, A.id)).currentBookings).toBe(2);
    expect(await scheduler.maintenance.recountBookings(system, {})).toEqual({ fixed: [], overCapacity: [] });
    expect(await scheduler.maintenance.verifyIntegrity(system, {})).toEqual([]);
  });
});

/** Like `whileCorrupted`, but committed: for the repair tests. */
async function whileCorruptedCommitted(statement: string) {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL session_replication_role = replica`);
    await tx.execute(sql.raw(statement));
  });
}
