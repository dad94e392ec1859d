import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, type Scheduler } from '../../../src';
import { useTestDatabase } from '../../support/database';
import { type Academy, insertSession, seedAcademy, sessionById, book } from '../../support/fixtures';
import { refusalsIn } from '../../support/refusals';
import { adminOf } from '../../support/actors';
import { at } from '../../support/time';

const database = useTestDatabase();
let academy: Academy;
let scheduler: Scheduler;
let otherCourseId: string;
let levels: [string, string];

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 6 });
  scheduler = createScheduler({ db: database.db, now: () => at('2030-01-01T00:00:00Z') });
  const [course] = await database.db
    .insert(s.courses)
    .values({ code: `OTHER-${Math.random()}`, name: 'Diving', programId: academy.programId })
    .returning();
  otherCourseId = course!.id;
  const rows = await database.db
    .insert(s.levels)
    .values([1, 2].map((i) => ({ code: `L${i}-${Math.random()}`, name: `Level ${i}`, programId: academy.programId })))
    .returning();
  levels = [rows[0]!.id, rows[1]!.id];
});

/** Refused, and the whole database unchanged. */
const refused = refusalsIn(database);

let slot = 0;
/** A half-hour session `daysLater` days after 2030-06-01, in a slot of the day no other call uses (so nothing overlaps). */
async function sessionOn(daysLater: number, overrides: Partial<typeof s.sessions.$inferInsert> = {}) {
  const start = new Date(Date.UTC(2030, 5, 1) + daysLater * 86_400_000 + slot++ * 1_800_000);
  if (slot >= 48) throw new Error('out of half-hour slots: split the file');
  return insertSession(database.db, academy, { startTime: start, endTime: new Date(start.getTime() + 1_800_000), ...overrides });
}

/** A missed original booking (status given) for student `k` on day 0, and a target `daysLater` days on. */
async function missed(k: number, status: string = 'no_show', target: Partial<typeof s.sessions.$inferInsert> & { days?: number } = {}) {
  const { days = 7, ...overrides } = target;
  const original = await sessionOn(0, { levelId: levels[0] });
  const bookingId = await book(database.db, original.id, academy.studentIds[k]!, { status });
  const session = await sessionOn(days, { levelId: levels[0], ...overrides });
  return { original, bookingId, session };
}

const admin = () => adminOf(academy);

describe('makeups.book', () => {
  it('books a linked, confirmed makeup recording the credits used, once per original', async () => {
    const { original, bookingId, session } = await missed(0);
    const { booking } = await scheduler.makeups.book(admin(), { originalBookingId: bookingId, sessionId: session.id, creditsUsed: 2 });
    expect(booking).toMatchObject({
      sessionId: session.id,
      studentId: academy.studentIds[0],
      bookingStatus: 'confirmed',
      isMakeupSession: true,
      originalSessionId: original.id,
      sessionCreditsUsed: 2,
      bookingSource: 'makeup',
      createdBy: academy.adminId,
    });
    expect((await sessionById(database.db, session.id)).currentBookings).toBe(1);
    const other = await sessionOn(8, { levelId: levels[0] });
    expect(await refused(() => scheduler.makeups.book(admin(), { originalBookingId: bookingId, sessionId: other.id }))).toMatchObject({
      code: 'INVALID_STATE',
      details: { reason: 'already_made_up', makeupBookingId: booking.id },
    });
  });

  it('a cancelled booking and a confirmed one marked absent are eligible; an attended one is not', async () => {
    const cancelled = await missed(1, 'cancelled');
    expect((await scheduler.makeups.book(admin(), { originalBookingId: cancelled.bookingId, sessionId: cancelled.session.id })).booking.isMakeupSession).toBe(
      true,
    );
    const absent = await missed(2, 'confirmed');
    await database.db.update(s.sessionBookings).set({ attendanceStatus: 'absent' }).where(eq(s.sessionBookings.id, absent.bookingId));
    expect((await scheduler.makeups.book(admin(), { originalBookingId: absent.bookingId, sessionId: absent.session.id })).booking.sessionCreditsUsed).toBe(1);
    for (const status of ['completed', 'confirmed', 'pending']) {
      const attended = await missed(3, status);
      expect(await refused(() => scheduler.makeups.book(admin(), { originalBookingId: attended.bookingId, sessionId: attended.session.id }))).toMatchObject({
        code: 'INVALID_STATE',
        details: { reason: 'not_missed', bookingStatus: status },
      });
    }
  });

  it('the makeup starts after the original and within makeupWindowDays (default 30)', async () => {
    const { original, bookingId } = await missed(4);
    const tooLate = await sessionOn(31, { levelId: levels[0] });
    const error = await refused(() => scheduler.makeups.book(admin(), { originalBookingId: bookingId, sessionId: tooLate.id }));
    expect(error).toMatchObject({
      code: 'INVALID_STATE',
      details: {
        reason: 'outside_window',
        windowStart: original.endTime.toISOString(),
        windowEnd: new Date(original.startTime.getTime() + 30 * 86_400_000).toISOString(),
      },
    });
    const before = await sessionOn(-1, { levelId: levels[0] });
    expect((await refused(() => scheduler.makeups.book(admin(), { originalBookingId: bookingId, sessionId: before.id }))).details.reason).toBe(
      'outside_window',
    );
    const generous = createScheduler({ db: database.db, makeupWindowDays: 40 });
    expect((await generous.makeups.book(admin(), { originalBookingId: bookingId, sessionId: tooLate.id })).booking.sessionId).toBe(tooLate.id);
  });

  it('refuses another course, another level, the same session and a full session', async () => {
    const { original, bookingId } = await missed(5);
    const otherCourse = await sessionOn(3, { courseId: otherCourseId, levelId: levels[0] });
    expect(await refused(() => scheduler.makeups.book(admin(), { originalBookingId: bookingId, sessionId: otherCourse.id }))).toMatchObject({
      code: 'INVALID_INPUT',
      details: { path: ['sessionId'], reason: 'other_course' },
    });
    for (const levelId of [levels[1], null]) {
      const otherLevel = await sessionOn(3, { levelId });
      expect((await refused(() => scheduler.makeups.book(admin(), { originalBookingId: bookingId, sessionId: otherLevel.id }))).details.reason).toBe(
        'other_level',
      );
    }
    expect((await refused(() => scheduler.makeups.book(admin(), { originalBookingId: bookingId, sessionId: original.id }))).details.reason).toBe(
      'same_session',
    );
    const full = await sessionOn(4, { levelId: levels[0], sessionType: 'private', capacity: 1 });
    await book(database.db, full.id, academy.studentIds[0]!);
    expect((await refused(() => scheduler.makeups.book(admin(), { originalBookingId: bookingId, sessionId: full.id }))).code).toBe('CAPACITY_EXCEEDED');
  });

  it('the student, or a parent linked to them, may book; other parents, other students and instructors may not', async () => {
    const { bookingId, session } = await missed(0, 'no_show', { days: 9 });
    const parent = { kind: 'parent' as const, parentId: academy.parentId };
    expect((await refused(() => scheduler.makeups.book(parent, { originalBookingId: bookingId, sessionId: session.id }))).code).toBe('FORBIDDEN');
    expect(
      (
        await refused(() =>
          scheduler.makeups.book({ kind: 'student', studentId: academy.studentIds[1]! }, { originalBookingId: bookingId, sessionId: session.id }),
        )
      ).code,
    ).toBe('FORBIDDEN');
    expect(
      (
        await refused(() =>
          scheduler.makeups.book({ kind: 'instructor', instructorId: academy.instructorIds[0]! }, { originalBookingId: bookingId, sessionId: session.id }),
        )
      ).code,
    ).toBe('FORBIDDEN');
    await database.db.insert(s.parentStudents).values({ parentId: academy.parentId, studentId: academy.studentIds[0]! });
    expect((await scheduler.makeups.book(parent, { originalBookingId: bookingId, sessionId: session.id })).booking).toMatchObject({
      parentId: academy.parentId,
    });

    const own = await missed(1, 'no_show', { days: 10 });
    expect(
      (await scheduler.makeups.book({ kind: 'student', studentId: academy.studentIds[1]! }, { originalBookingId: own.bookingId, sessionId: own.session.id }))
        .booking.studentId,
    ).toBe(academy.studentIds[1]);
  });

  it('never takes a place held by an offer; an offer past its deadline is settled first, and its place goes to the queue', async () => {
    const { bookingId, session } = await missed(3, 'no_show', { days: 13, sessionType: 'private', capacity: 2 });
    await book(database.db, session.id, academy.studentIds[4]!);
    const offer = (deadline: string) =>
      database.query(
        `INSERT INTO scheduling.session_waitlist (session_id, student_id, position, status, response_deadline)
         VALUES ('${session.id}', '${academy.studentIds[5]}', 1, 'offered', '${deadline}')`,
      );
    await offer('2030-01-02T00:00:00Z');
    expect(await refused(() => scheduler.makeups.book(admin(), { originalBookingId: bookingId, sessionId: session.id }))).toMatchObject({
      code: 'CAPACITY_EXCEEDED',
      details: { sessionId: session.id, heldOffers: 1 },
    });
    // The same offer past its deadline (the clock says 2030-01-01, so move the deadline back):
    // it expires, nobody else is waiting, and the makeup takes the place.
    await database.query(`UPDATE scheduling.session_waitlist SET response_deadline = '2029-12-31T00:00:00Z' WHERE session_id = '${session.id}'`);
    const { booking } = await scheduler.makeups.book(admin(), { originalBookingId: bookingId, sessionId: session.id });
    expect(booking.bookingStatus).toBe('confirmed');
    const [entry] = await database.query<{ status: string }>(`SELECT status FROM scheduling.session_waitlist WHERE session_id = '${session.id}'`);
    expect(entry!.status).toBe('expired');
  });

  it('a cancelled makeup gives the right back', async () => {
    const { bookingId, session } = await missed(2, 'no_show', { days: 11 });
    const { booking } = await scheduler.makeups.book(admin(), { originalBookingId: bookingId, sessionId: session.id });
    await database.db.update(s.sessionBookings).set({ bookingStatus: 'cancelled' }).where(eq(s.sessionBookings.id, booking.id));
    const again = await sessionOn(12, { levelId: levels[0] });
    expect((await scheduler.makeups.book(admin(), { originalBookingId: bookingId, sessionId: again.id })).booking.sessionId).toBe(again.id);
  });
});
