/**
 * When attendance may be recorded: a fact about a class that runs. Check-in from
 * `checkInOpensMinutes` (60) before the start to the end; check-out from the check-in
 * to `checkOutClosesMinutes` (60) after the end; absent and no-show from the start
 * on; a recorded `at` never after the clock. A refused `at` is INVALID_INPUT at `at`,
 * the clock outside the window INVALID_STATE; both say when the window opens or closed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, isSchedulingError, type Scheduler, type SchedulerOptions } from '../../../src';
import type { SchedulingError } from '../../../src/errors';
import { useTestDatabase } from '../../support/database';
import { type Academy, book, insertSession, seedAcademy } from '../../support/fixtures';
import { errorOf, refusalsIn } from '../../support/refusals';
import { instructorOf } from '../../support/actors';
import { expectDocumentedDetails } from '../../support/error-details';
import { iso } from '../../support/time';

const database = useTestDatabase();
const refused = refusalsIn(database);
let academy: Academy;
let clock = new Date('2030-04-01T00:00:00Z');
let scheduler: Scheduler;

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 2 });
  scheduler = createScheduler({ db: database.db, now: () => clock });
});

const coach = () => instructorOf(academy, 0);
const minutes = (base: Date, n: number) => new Date(base.getTime() + n * 60_000);

let day = 1;
/** A session 10:00–11:00 on a new day of April 2030, taught by coach 0, with one confirmed booking. */
async function booked() {
  const d = String(day++).padStart(2, '0');
  const session = await insertSession(database.db, academy, { startTime: new Date(`2030-04-${d}T10:00:00Z`), endTime: new Date(`2030-04-${d}T11:00:00Z`) });
  const bookingId = await book(database.db, session.id, academy.studentIds[0]!);
  return { session, bookingId, start: session.startTime, end: session.endTime };
}

/** Checked in at the start, with the clock there. */
async function checkedIn() {
  const b = await booked();
  clock = b.start;
  await scheduler.attendance.checkIn(coach(), { bookingId: b.bookingId });
  return b;
}

/** Refused with `code` and `reason`, nothing written, the documented details, and no unrelated booking-status suffix. */
async function refusedWith(code: 'INVALID_INPUT' | 'INVALID_STATE', reason: string, call: () => Promise<unknown>): Promise<SchedulingError> {
  const error = await refused(code, call);
  expect(error.details.reason).toBe(reason);
  expectDocumentedDetails(error);
  expect(error.message).not.toMatch(/is confirmed/);
  return error;
}

describe('check-in opens checkInOpensMinutes (60) before the start and closes at the end', () => {
  it('weeks before the class, or one millisecond before it opens, is too_early (INVALID_STATE) and says when it opens', async () => {
    const { bookingId, start, session } = await booked();
    const opens = minutes(start, -60);
    clock = minutes(start, -21 * 24 * 60);
    const weeks = await refusedWith('INVALID_STATE', 'too_early', () => scheduler.attendance.checkIn(coach(), { bookingId }));
    expect(weeks.message).toBe(
      `For session ${session.sessionId}, check-in opens at ${iso(opens)}, 60 minutes before the start (checkInOpensMinutes): it is now ${iso(clock)}`,
    );
    expect(weeks.details).toEqual({ bookingId, sessionId: session.id, windowStart: iso(opens), windowEnd: iso(session.endTime), reason: 'too_early' });
    clock = new Date(opens.getTime() - 1);
    await refusedWith('INVALID_STATE', 'too_early', () => scheduler.attendance.checkIn(coach(), { bookingId }));
    clock = opens;
    expect(await scheduler.attendance.checkIn(coach(), { bookingId })).toMatchObject({ checkedInAt: opens, attendanceStatus: 'present' });
  });

  it('at the end is still a check-in (late); after it, too_late, and the message says to pass at; recorded afterwards with at, it is accepted', async () => {
    const atEnd = await booked();
    clock = atEnd.end;
    expect(await scheduler.attendance.checkIn(coach(), { bookingId: atEnd.bookingId })).toMatchObject({ checkedInAt: atEnd.end, attendanceStatus: 'late' });

    const { bookingId, start, end, session } = await booked();
    clock = new Date(end.getTime() + 1);
    const after = await refusedWith('INVALID_STATE', 'too_late', () => scheduler.attendance.checkIn(coach(), { bookingId }));
    expect(after.message).toBe(
      `For session ${session.sessionId}, check-in closed at its end, ${iso(end)}: it is now ${iso(clock)}; to record it afterwards, pass at, the time the student arrived`,
    );
    expect(after.details.windowEnd).toBe(iso(end));
    clock = minutes(end, 24 * 60);
    expect(await scheduler.attendance.checkIn(coach(), { bookingId, at: minutes(start, 5) })).toMatchObject({
      checkedInAt: minutes(start, 5),
      attendanceStatus: 'present',
    });
  });

  it('an at outside the window is INVALID_INPUT at at, with the same reasons and window', async () => {
    const { bookingId, start, end } = await booked();
    clock = minutes(end, 120);
    const early = await refusedWith('INVALID_INPUT', 'too_early', () => scheduler.attendance.checkIn(coach(), { bookingId, at: minutes(start, -61) }));
    expect(early.details).toMatchObject({ path: ['at'], windowStart: iso(minutes(start, -60)), windowEnd: iso(end) });
    expect(early.message).toMatch(`check-in opens at ${iso(minutes(start, -60))}`);
    const late = await refusedWith('INVALID_INPUT', 'too_late', () => scheduler.attendance.checkIn(coach(), { bookingId, at: minutes(end, 1) }));
    expect(late.details.path).toEqual(['at']);
    expect(late.message).toMatch(`check-in closed at its end, ${iso(end)}: at is ${iso(minutes(end, 1))}`);
  });

  it('an at after the clock is in_the_future (INVALID_INPUT at at), even inside the window', async () => {
    const { bookingId, start } = await booked();
    clock = start;
    const future = await refusedWith('INVALID_INPUT', 'in_the_future', () =>
      scheduler.attendance.checkIn(coach(), { bookingId, at: new Date(start.getTime() + 1000) }),
    );
    expect(future.details.path).toEqual(['at']);
    expect(future.message).toBe(
      `A check-in is recorded when it has happened: at (${iso(new Date(start.getTime() + 1000))}) is after the scheduler's clock (${iso(start)})`,
    );
    expect(await scheduler.attendance.checkIn(coach(), { bookingId, at: start })).toMatchObject({ checkedInAt: start });
  });

  it('checkInOpensMinutes moves the opening; the option is validated like the other thresholds', async () => {
    const strict = createScheduler({ db: database.db, now: () => clock, checkInOpensMinutes: 15 });
    const { bookingId, start } = await booked();
    clock = minutes(start, -16);
    const error = await refusedWith('INVALID_STATE', 'too_early', () => strict.attendance.checkIn(coach(), { bookingId }));
    expect(error.message).toMatch(`opens at ${iso(minutes(start, -15))}, 15 minutes before the start`);
    clock = minutes(start, -15);
    expect(await strict.attendance.checkIn(coach(), { bookingId })).toMatchObject({ checkedInAt: minutes(start, -15) });
    for (const option of ['checkInOpensMinutes', 'checkOutClosesMinutes'] as const) {
      for (const value of [-1, 24 * 60 + 1, 1.5]) {
        const invalid = await errorOf(async () => createScheduler({ db: database.db, [option]: value } as SchedulerOptions));
        expect(isSchedulingError(invalid, 'INVALID_INPUT') && invalid.details.path, `${option} = ${value}`).toEqual([option]);
      }
    }
  });
});

describe('check-out from the check-in to checkOutClosesMinutes (60) after the end', () => {
  it('up to an hour after the end is a check-out; one millisecond later is too_late, saying when it closed and to pass at', async () => {
    const { bookingId, end, session } = await checkedIn();
    const closes = minutes(end, 60);
    clock = new Date(closes.getTime() + 1);
    const error = await refusedWith('INVALID_STATE', 'too_late', () => scheduler.attendance.checkOut(coach(), { bookingId }));
    expect(error.message).toBe(
      `For session ${session.sessionId}, check-out closed at ${iso(closes)}, 60 minutes after the end (checkOutClosesMinutes): it is now ${iso(clock)}; ` +
        'to record it afterwards, pass at, the time the student left',
    );
    expect(error.details).toMatchObject({ windowStart: iso(session.startTime), windowEnd: iso(closes) });
    clock = closes;
    expect(await scheduler.attendance.checkOut(coach(), { bookingId })).toMatchObject({ checkedOutAt: closes, attendanceStatus: 'present' });
  });

  it('recorded afterwards with an at in the window, it is accepted; an at past the window is too_late at at; an at after the clock in_the_future', async () => {
    const { bookingId, end } = await checkedIn();
    clock = minutes(end, 2 * 24 * 60);
    expect(
      (await refusedWith('INVALID_INPUT', 'too_late', () => scheduler.attendance.checkOut(coach(), { bookingId, at: minutes(end, 61) }))).details.path,
    ).toEqual(['at']);
    clock = minutes(end, -30);
    expect(
      (await refusedWith('INVALID_INPUT', 'in_the_future', () => scheduler.attendance.checkOut(coach(), { bookingId, at: minutes(end, -29) }))).details.path,
    ).toEqual(['at']);
    clock = minutes(end, 2 * 24 * 60);
    expect(await scheduler.attendance.checkOut(coach(), { bookingId, at: end })).toMatchObject({ checkedOutAt: end });
  });

  it('at the check-in itself is a check-out (partial); before it stays before_check_in', async () => {
    const { bookingId, start } = await checkedIn();
    expect(
      (await refusedWith('INVALID_INPUT', 'before_check_in', () => scheduler.attendance.checkOut(coach(), { bookingId, at: new Date(start.getTime() - 1) })))
        .message,
    ).toBe(`A check-out cannot be before the check-in (${iso(start)}); at is ${iso(new Date(start.getTime() - 1))}`);
    expect(await scheduler.attendance.checkOut(coach(), { bookingId, at: start })).toMatchObject({ checkedOutAt: start, attendanceStatus: 'partial' });
  });

  it('checkOutClosesMinutes moves the closing', async () => {
    const quick = createScheduler({ db: database.db, now: () => clock, checkOutClosesMinutes: 5 });
    const { bookingId, end } = await checkedIn();
    clock = minutes(end, 6);
    expect((await refusedWith('INVALID_STATE', 'too_late', () => quick.attendance.checkOut(coach(), { bookingId }))).details.windowEnd).toBe(
      iso(minutes(end, 5)),
    );
    clock = minutes(end, 5);
    expect(await quick.attendance.checkOut(coach(), { bookingId })).toMatchObject({ checkedOutAt: minutes(end, 5) });
  });
});

describe('absent and no-show from the start on', () => {
  it.each(['markAbsent', 'markNoShow'] as const)(
    '%s one millisecond before the start is not_started, saying when it starts; at the start it is recorded',
    async (method) => {
      const { bookingId, start, session } = await booked();
      clock = new Date(start.getTime() - 1);
      const error = await refusedWith('INVALID_STATE', 'not_started', () => scheduler.attendance[method](coach(), { bookingId }));
      const action = method === 'markAbsent' ? 'mark absent' : 'mark a no-show';
      expect(error.message).toBe(`Cannot ${action} before the session starts: session ${session.sessionId} starts at ${iso(start)}; it is now ${iso(clock)}`);
      expect(error.details).toEqual({ bookingId, sessionId: session.id, windowStart: iso(start), reason: 'not_started' });
      clock = start;
      expect(await scheduler.attendance[method](coach(), { bookingId })).toMatchObject({ attendanceStatus: 'absent' });
    },
  );

  it('after the class, until it is settled, an absence is still recorded', async () => {
    const { bookingId, end } = await booked();
    clock = minutes(end, 3 * 24 * 60);
    expect(await scheduler.attendance.markAbsent(coach(), { bookingId })).toMatchObject({ attendanceStatus: 'absent', bookingStatus: 'confirmed' });
    const [row] = await database.db.select().from(s.sessionBookings).where(eq(s.sessionBookings.id, bookingId));
    expect(row!.attendanceStatus).toBe('absent');
  });
});
