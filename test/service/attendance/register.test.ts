/**
 * `attendance.register`: every booking that counts for attendance — confirmed,
 * completed, no-show — by name, before, during and after the class (where
 * `bookings.participants`, confirmed only, is empty once the session is settled). For
 * administrators and the session's instructor.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, type AttendanceRegisterEntry, type Scheduler } from '../../../src';
import { useTestDatabase } from '../../support/database';
import { type Academy, insertSession, seedAcademy, book } from '../../support/fixtures';
import { refusalsIn } from '../../support/refusals';
import { adminOf, instructorOf } from '../../support/actors';
import { at } from '../../support/time';

const database = useTestDatabase();
const refused = refusalsIn(database);
let academy: Academy;
let scheduler: Scheduler;
let clock = at('2030-03-01T09:00:00Z');
const MEDICAL = 'Asthma: inhaler in the blue bag';

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 6 });
  scheduler = createScheduler({ db: database.db, now: () => clock });
  await database.db.insert(s.parentStudents).values({ parentId: academy.parentId, studentId: academy.studentIds[0]! });
});

const kid = (i: number) => academy.studentIds[i]!;
const coach = (i: number) => instructorOf(academy, i);
const minutes = (base: Date, n: number) => new Date(base.getTime() + n * 60_000);

/** [first name, booking status, attendance status] of each row. */
const summary = (rows: AttendanceRegisterEntry[]) => rows.map((r) => [r.student.firstName, r.bookingStatus, r.attendanceStatus]);

let day = 10;
/**
 * A session 10:00–11:00 on a new day of March 2030 taught by coach 0: Kid0 (medical
 * notes, charged), Kid1, Kid2 and Kid3 confirmed; Kid4 cancelled; Kid5 pending. Booked
 * in reverse name order, so the register's order is its own.
 */
async function sessionWithBookings() {
  const d = day++;
  const session = await insertSession(database.db, academy, { startTime: at(`2030-03-${d}T10:00:00Z`), endTime: at(`2030-03-${d}T11:00:00Z`) });
  const booking: Record<number, string> = {};
  for (const i of [3, 2, 1]) booking[i] = await book(database.db, session.id, kid(i));
  booking[0] = await book(database.db, session.id, kid(0), { amount: '17.25' });
  await database.db.update(s.sessionBookings).set({ medicalNotes: MEDICAL }).where(eq(s.sessionBookings.id, booking[0]));
  booking[4] = await book(database.db, session.id, kid(4), { status: 'cancelled' });
  booking[5] = await book(database.db, session.id, kid(5), { status: 'pending' });
  return { session, booking };
}

describe('attendance.register', () => {
  it('lists the class before the start, during it and after complete: completed and no-show bookings both stay on it', async () => {
    const { session, booking } = await sessionWithBookings();
    const register = () => scheduler.attendance.register(coach(0), { sessionId: session.id });

    // Before: the confirmed bookings by last name, nobody checked in; not the cancelled one, not the pending one.
    clock = minutes(session.startTime, -30);
    const before = await register();
    expect(summary(before)).toEqual([
      ['Kid0', 'confirmed', null],
      ['Kid1', 'confirmed', null],
      ['Kid2', 'confirmed', null],
      ['Kid3', 'confirmed', null],
    ]);
    expect(before[0]).toEqual({
      id: booking[0],
      bookingId: expect.stringMatching(/^BKG-/),
      sessionId: session.id,
      studentId: kid(0),
      bookingStatus: 'confirmed',
      attendanceStatus: null,
      checkedInAt: null,
      checkedOutAt: null,
      specialRequests: null,
      medicalNotes: MEDICAL,
      student: { id: kid(0), studentCode: expect.stringMatching(/^STU-/), firstName: 'Kid0', lastName: 'Family0' },
    });

    // During: checked in, late, a no-show marked in class, one not recorded yet.
    clock = minutes(session.startTime, 20);
    await scheduler.sessions.start(coach(0), { sessionId: session.id });
    await scheduler.attendance.checkIn(coach(0), { bookingId: booking[0]!, at: session.startTime });
    await scheduler.attendance.checkIn(coach(0), { bookingId: booking[1]!, at: minutes(session.startTime, 15) });
    await scheduler.attendance.markNoShow(coach(0), { bookingId: booking[2]! });
    await scheduler.attendance.checkOut(coach(0), { bookingId: booking[0]!, at: minutes(session.startTime, 20) });
    const during = await register();
    expect(summary(during)).toEqual([
      ['Kid0', 'confirmed', 'partial'],
      ['Kid1', 'confirmed', 'late'],
      ['Kid2', 'no_show', 'absent'],
      ['Kid3', 'confirmed', null],
    ]);
    expect(during.map((r) => [r.checkedInAt, r.checkedOutAt])).toEqual([
      [session.startTime, minutes(session.startTime, 20)],
      [minutes(session.startTime, 15), null],
      [null, null],
      [null, null],
    ]);

    // After: completed and settled. The participant list (confirmed only) is empty now; the register is not.
    clock = minutes(session.endTime, 5);
    const settled = await scheduler.attendance.complete(coach(0), { sessionId: session.id });
    expect(settled.completed.sort()).toEqual([booking[0], booking[1]].sort());
    expect(settled.noShow).toEqual([booking[3]]);
    expect(await scheduler.bookings.participants(coach(0), { sessionId: session.id })).toEqual([]);
    const after = await register();
    expect(summary(after)).toEqual([
      ['Kid0', 'completed', 'partial'],
      ['Kid1', 'completed', 'late'],
      ['Kid2', 'no_show', 'absent'],
      ['Kid3', 'no_show', 'absent'],
    ]);
    expect(after.map((r) => [r.checkedInAt, r.checkedOutAt])).toEqual(during.map((r) => [r.checkedInAt, r.checkedOutAt]));
    // Settling again changes nothing, and neither does the register.
    await scheduler.attendance.settle(coach(0), { sessionId: session.id });
    expect(await register()).toEqual(after);
  });

  it('administrators and the system see the same rows; no amount paid is on it for anyone', async () => {
    const { session } = await sessionWithBookings();
    const asInstructor = await scheduler.attendance.register(coach(0), { sessionId: session.id });
    for (const actor of [adminOf(academy), { kind: 'system' } as const]) {
      const rows = await scheduler.attendance.register(actor, { sessionId: session.id });
      expect(rows).toEqual(asInstructor);
    }
    for (const row of asInstructor) {
      for (const field of ['amountCharged', 'discountApplied', 'paymentStatus', 'sessionCreditsUsed']) expect(row).not.toHaveProperty(field);
      expect(row.student).not.toHaveProperty('userId');
    }
  });

  it("another instructor, a parent (even the child's own), a student and an instructor without an id are refused (FORBIDDEN)", async () => {
    const { session } = await sessionWithBookings();
    for (const actor of [
      coach(1),
      { kind: 'instructor' } as const,
      { kind: 'parent', parentId: academy.parentId } as const,
      { kind: 'student', studentId: kid(0) } as const,
    ]) {
      const error = await refused('FORBIDDEN', () => scheduler.attendance.register(actor, { sessionId: session.id }));
      expect(error.message).not.toContain('Kid');
    }
  });

  it('an empty session has an empty register; a cancelled session lists no one; an unknown one is NOT_FOUND', async () => {
    const empty = await insertSession(database.db, academy, { startTime: at('2030-03-03T10:00:00Z'), endTime: at('2030-03-03T11:00:00Z') });
    expect(await scheduler.attendance.register(adminOf(academy), { sessionId: empty.id })).toEqual([]);
    const { session } = await sessionWithBookings();
    clock = at('2030-03-01T09:00:00Z');
    await scheduler.sessions.cancel(adminOf(academy), { sessionId: session.id, reason: 'Pool closed' });
    expect(await scheduler.attendance.register(coach(0), { sessionId: session.id })).toEqual([]);
    await refused('NOT_FOUND', () => scheduler.attendance.register(adminOf(academy), { sessionId: '00000000-0000-4000-8000-000000000001' }));
    expect(await refused('INVALID_INPUT', () => scheduler.attendance.register(adminOf(academy), { sessionId: 'SES-2030-0001' }))).toMatchObject({
      details: { path: ['sessionId'] },
    });
  });
});
