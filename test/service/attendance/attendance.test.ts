import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, isSchedulingError, type Scheduler } from '../../../src';
import { useTestDatabase } from '../../support/database';
import { type Academy, insertSession, seedAcademy, sessionById, book } from '../../support/fixtures';
import { errorOf, refusalsIn } from '../../support/refusals';
import { adminOf, instructorOf } from '../../support/actors';
import { at } from '../../support/time';

const database = useTestDatabase();
let academy: Academy;
let scheduler: Scheduler;
let clock = at('2030-03-01T10:00:00Z');

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 6 });
  scheduler = createScheduler({ db: database.db, now: () => clock });
});

/** Refused, and the whole database unchanged. */
const refused = refusalsIn(database);

let day = 1;
/** A session 10:00–11:00 on a new day of March 2030, taught by coach 0. */
async function newSession(status: 'scheduled' | 'in_progress' = 'scheduled') {
  const d = String(day++).padStart(2, '0');
  const session = await insertSession(database.db, academy, { startTime: at(`2030-03-${d}T10:00:00Z`), endTime: at(`2030-03-${d}T11:00:00Z`) });
  if (status === 'in_progress') await database.db.update(s.sessions).set({ status }).where(eq(s.sessions.id, session.id));
  return session;
}

const bookingRow = async (id: string) => (await database.db.select().from(s.sessionBookings).where(eq(s.sessionBookings.id, id)))[0]!;
const coach = (i: number) => instructorOf(academy, i);

describe('check-in and check-out', () => {
  it('on time is present, exactly at the threshold is present, one second later is late', async () => {
    const session = await newSession();
    clock = session.endTime; // recorded at the end of the class
    const [a, b, c] = await Promise.all([0, 1, 2].map((i) => book(database.db, session.id, academy.studentIds[i]!)));
    const start = session.startTime.getTime();
    expect((await scheduler.attendance.checkIn(coach(0), { bookingId: a!, at: new Date(start - 5 * 60_000) })).attendanceStatus).toBe('present');
    expect((await scheduler.attendance.checkIn(coach(0), { bookingId: b!, at: new Date(start + 10 * 60_000) })).attendanceStatus).toBe('present');
    const late = await scheduler.attendance.checkIn(adminOf(academy), { bookingId: c!, at: new Date(start + 10 * 60_000 + 1000) });
    expect(late).toMatchObject({ attendanceStatus: 'late', checkedInAt: new Date(start + 10 * 60_000 + 1000), bookingStatus: 'confirmed' });
  });

  it('the late threshold is the scheduler option lateAfterMinutes; the check-in time defaults to the clock', async () => {
    const strict = createScheduler({ db: database.db, now: () => clock, lateAfterMinutes: 2 });
    const session = await newSession();
    const id = await book(database.db, session.id, academy.studentIds[0]!);
    clock = new Date(session.startTime.getTime() + 3 * 60_000);
    expect(await strict.attendance.checkIn(coach(0), { bookingId: id })).toMatchObject({ attendanceStatus: 'late', checkedInAt: clock });
    expect(isSchedulingError(await errorOf(async () => createScheduler({ db: database.db, lateAfterMinutes: -1 })), 'INVALID_INPUT')).toBe(true);
  });

  it('leaving more than earlyLeaveMinutes before the end is partial; leaving later keeps the status', async () => {
    const session = await newSession('in_progress');
    clock = session.endTime; // recorded at the end of the class
    const [a, b] = await Promise.all([0, 1].map((i) => book(database.db, session.id, academy.studentIds[i]!)));
    for (const id of [a!, b!]) await scheduler.attendance.checkIn(coach(0), { bookingId: id, at: session.startTime });
    const end = session.endTime.getTime();
    expect(await scheduler.attendance.checkOut(coach(0), { bookingId: a!, at: new Date(end - 11 * 60_000) })).toMatchObject({
      attendanceStatus: 'partial',
      checkedOutAt: new Date(end - 11 * 60_000),
    });
    expect((await scheduler.attendance.checkOut(coach(0), { bookingId: b!, at: new Date(end - 10 * 60_000) })).attendanceStatus).toBe('present');
    expect((await refused(() => scheduler.attendance.checkOut(coach(0), { bookingId: b! }))).details.reason).toBe('already_checked_out');
  });

  it('refuses a check-out before the check-in, a second check-in, a cancelled booking and an unknown one', async () => {
    const session = await newSession();
    clock = session.endTime; // recorded at the end of the class
    const [a, cancelled] = [
      await book(database.db, session.id, academy.studentIds[0]!),
      await book(database.db, session.id, academy.studentIds[1]!, { status: 'cancelled' }),
    ];
    expect((await refused(() => scheduler.attendance.checkOut(coach(0), { bookingId: a }))).details.reason).toBe('not_checked_in');
    await scheduler.attendance.checkIn(coach(0), { bookingId: a, at: session.startTime });
    const early = await refused(() => scheduler.attendance.checkOut(coach(0), { bookingId: a, at: new Date(session.startTime.getTime() - 1000) }));
    expect(early).toMatchObject({ code: 'INVALID_INPUT', details: { path: ['at'], reason: 'before_check_in' } });
    expect(await refused(() => scheduler.attendance.checkIn(coach(0), { bookingId: a }))).toMatchObject({
      code: 'INVALID_STATE',
      details: { reason: 'already_checked_in' },
    });
    expect(await refused(() => scheduler.attendance.checkIn(coach(0), { bookingId: cancelled }))).toMatchObject({
      code: 'INVALID_STATE',
      details: { reason: 'not_confirmed', bookingStatus: 'cancelled' },
    });
    expect((await refused(() => scheduler.attendance.checkIn(coach(0), { bookingId: '00000000-0000-4000-8000-000000000000' }))).code).toBe('NOT_FOUND');
  });

  it("only admins and the session's own instructor record attendance", async () => {
    const session = await newSession();
    clock = session.endTime; // recorded at the end of the class
    const id = await book(database.db, session.id, academy.studentIds[0]!);
    expect((await refused(() => scheduler.attendance.checkIn(coach(1), { bookingId: id }))).code).toBe('FORBIDDEN');
    expect((await refused(() => scheduler.attendance.checkIn({ kind: 'parent', parentId: academy.parentId }, { bookingId: id }))).code).toBe('FORBIDDEN');
    expect((await refused(() => scheduler.attendance.checkIn({ kind: 'student', studentId: academy.studentIds[0]! }, { bookingId: id }))).code).toBe(
      'FORBIDDEN',
    );
    expect((await refused(() => scheduler.attendance.markNoShow(coach(1), { bookingId: id }))).code).toBe('FORBIDDEN');
    expect((await scheduler.attendance.checkIn({ kind: 'system' }, { bookingId: id, at: session.startTime })).attendanceStatus).toBe('present');
  });
});

describe('absences and settling', () => {
  it('absent keeps the place until settled; a no-show frees it at once; neither before the start or for someone checked in', async () => {
    const session = await newSession();
    const [a, b, c] = await Promise.all([0, 1, 2].map((i) => book(database.db, session.id, academy.studentIds[i]!)));
    clock = new Date(session.startTime.getTime() - 60_000);
    expect((await refused(() => scheduler.attendance.markAbsent(coach(0), { bookingId: a! }))).details.reason).toBe('not_started');
    clock = new Date(session.startTime.getTime() + 15 * 60_000);
    await scheduler.attendance.checkIn(coach(0), { bookingId: c! });
    expect((await refused(() => scheduler.attendance.markNoShow(coach(0), { bookingId: c! }))).details.reason).toBe('checked_in');

    expect(await scheduler.attendance.markAbsent(coach(0), { bookingId: a! })).toMatchObject({ bookingStatus: 'confirmed', attendanceStatus: 'absent' });
    expect((await sessionById(database.db, session.id)).currentBookings).toBe(3);
    expect(await scheduler.attendance.markNoShow(coach(0), { bookingId: b! })).toMatchObject({ bookingStatus: 'no_show', attendanceStatus: 'absent' });
    expect((await sessionById(database.db, session.id)).currentBookings).toBe(2);
    expect((await refused(() => scheduler.attendance.checkIn(coach(0), { bookingId: a! }))).details.reason).toBe('marked_absent');
  });

  it('complete settles: checked-in or present/late/partial → completed, everyone else → no_show; twice finds nothing', async () => {
    const session = await newSession('in_progress');
    const ids = await Promise.all([0, 1, 2, 3, 4].map((i) => book(database.db, session.id, academy.studentIds[i]!)));
    const cancelled = await book(database.db, session.id, academy.studentIds[5]!, { status: 'cancelled' });
    clock = new Date(session.startTime.getTime() + 20 * 60_000);
    await scheduler.attendance.checkIn(coach(0), { bookingId: ids[0]! }); // late
    await scheduler.attendance.markAbsent(coach(0), { bookingId: ids[1]! });
    // Attendance recorded by hand without a check-in time still counts as attended.
    await database.db.update(s.sessionBookings).set({ attendanceStatus: 'partial' }).where(eq(s.sessionBookings.id, ids[2]!));
    expect((await refused(() => scheduler.attendance.settle(coach(0), { sessionId: session.id }))).details.reason).toBe('not_completed');

    const result = await scheduler.attendance.complete(coach(0), { sessionId: session.id });
    expect(result.session).toMatchObject({ status: 'completed', currentBookings: 0 });
    expect(result.completed).toEqual([ids[0]!, ids[2]!].sort());
    expect(result.noShow).toEqual([ids[1]!, ids[3]!, ids[4]!].sort());
    const rows = new Map((await database.db.select().from(s.sessionBookings).where(eq(s.sessionBookings.sessionId, session.id))).map((r) => [r.id, r]));
    expect(rows.get(ids[0]!)).toMatchObject({ bookingStatus: 'completed', attendanceStatus: 'late' });
    expect(rows.get(ids[2]!)).toMatchObject({ bookingStatus: 'completed', attendanceStatus: 'partial' });
    expect(rows.get(ids[3]!)).toMatchObject({ bookingStatus: 'no_show', attendanceStatus: 'absent' });
    expect(rows.get(cancelled)).toMatchObject({ bookingStatus: 'cancelled', attendanceStatus: null });
    expect(await scheduler.attendance.settle(adminOf(academy), { sessionId: session.id })).toEqual({ sessionId: session.id, completed: [], noShow: [] });
  });

  it('sessions.complete settles the bookings too (settle afterwards finds nothing); a scheduled session cannot complete', async () => {
    const session = await newSession('in_progress');
    const id = await book(database.db, session.id, academy.studentIds[0]!);
    const result = await scheduler.sessions.complete(adminOf(academy), { sessionId: session.id });
    expect(result.settled).toEqual({ completed: [], noShow: [id] });
    expect(result.session).toMatchObject({ status: 'completed', currentBookings: 0 });
    expect(await scheduler.attendance.settle(coach(0), { sessionId: session.id })).toEqual({ sessionId: session.id, completed: [], noShow: [] });
    expect((await bookingRow(id)).bookingStatus).toBe('no_show');
    const scheduled = await newSession();
    expect(await refused(() => scheduler.attendance.complete(coach(0), { sessionId: scheduled.id }))).toMatchObject({
      code: 'INVALID_STATE',
      details: { from: 'scheduled' },
    });
  });
});
