import { ATTENDABLE_SESSION_STATUSES, isOneOf, type SessionStatus } from '../../domain/statuses';
import { eq, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { SchedulingError } from '../../errors';
import { type AttendanceStatus, sessionBookings } from '../../schema/unqualified';
import { bookingStateError, lockBookingForAttendance } from './booking-lock';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from '../kernel/types';
import { type BookingRow } from '../kernel/rows';
import { attendanceEventSchema, bookingRefSchema } from './inputs';

/**
 * The scheduler's attendance options: when check-in opens and check-out closes, and
 * what makes a check-in `late` and a check-out `partial`.
 */
export interface AttendanceThresholds {
  lateAfterMinutes: number;
  earlyLeaveMinutes: number;
  checkInOpensMinutes: number;
  checkOutClosesMinutes: number;
}

const MINUTE = 60_000;

/*
 * Attendance records a fact about a class that runs: when a student arrived and left,
 * or that they did not come. So every step has a window, in instants, both ends
 * included:
 *
 *   check-in    from `checkInOpensMinutes` before the start to the end
 *   check-out   from the check-in to `checkOutClosesMinutes` after the end
 *   absent, no-show   from the start on (before it, the student may still come)
 *
 * and a recorded `at` is never after the scheduler's clock. The window applies to the
 * instant recorded (`at`, default now), not to when the call is made: an arrival
 * recorded after the class, with the time it happened, is accepted. A refused `at` is
 * `INVALID_INPUT` at `at`; the clock outside the window (no `at`) is `INVALID_STATE`,
 * with the same reason, and the message says when the window opens or closed.
 */

type SessionTimes = { id: string; sessionId: string; startTime: Date; endTime: Date };

/**
 * Checks a student in: `late` when later than `lateAfterMinutes` after the start,
 * else `present`. Only a confirmed booking that is not checked in yet, from
 * `checkInOpensMinutes` before the start to the end.
 *
 * @internal
 */
export async function checkIn(
  tx: SchedulingDb,
  input: z.output<typeof attendanceEventSchema>,
  actor: Actor,
  now: Date,
  thresholds: AttendanceThresholds,
): Promise<BookingRow> {
  const { booking, session } = await lockBookingForAttendance(tx, input.bookingId, actor);
  if (booking.bookingStatus !== 'confirmed') throw bookingStateError(booking, 'check in', 'not_confirmed');
  if (!isOneOf(ATTENDABLE_SESSION_STATUSES, session.status)) throw sessionNotRunning(booking, session.status);
  if (booking.checkedInAt) throw bookingStateError(booking, 'check in again', 'already_checked_in');
  if (booking.attendanceStatus === 'absent') throw bookingStateError(booking, 'check in an absent student', 'marked_absent');
  const at = recordedAt(input.at, now, booking, session, 'check-in');
  const opens = new Date(session.startTime.getTime() - thresholds.checkInOpensMinutes * MINUTE);
  const window = { start: opens, end: session.endTime };
  if (at.getTime() < opens.getTime()) {
    throw outsideWindow(
      input.at !== undefined,
      at,
      booking,
      session,
      'too_early',
      window,
      `check-in opens at ${iso(opens)}, ${thresholds.checkInOpensMinutes} minutes before the start (checkInOpensMinutes)`,
    );
  }
  if (at.getTime() > session.endTime.getTime()) {
    throw outsideWindow(
      input.at !== undefined,
      at,
      booking,
      session,
      'too_late',
      window,
      `check-in closed at its end, ${iso(session.endTime)}`,
      'the time the student arrived',
    );
  }
  const late = at.getTime() > session.startTime.getTime() + thresholds.lateAfterMinutes * MINUTE;
  return writeAttendance(tx, booking.id, { checkedInAt: at, attendanceStatus: late ? 'late' : 'present' });
}

/**
 * Checks a student out: `partial` when earlier than `earlyLeaveMinutes` before the
 * end, otherwise the check-in's status stays. From the check-in (`INVALID_INPUT` at
 * `at` before it) to `checkOutClosesMinutes` after the end.
 *
 * @internal
 */
export async function checkOut(
  tx: SchedulingDb,
  input: z.output<typeof attendanceEventSchema>,
  actor: Actor,
  now: Date,
  thresholds: AttendanceThresholds,
): Promise<BookingRow> {
  const { booking, session } = await lockBookingForAttendance(tx, input.bookingId, actor);
  if (!booking.checkedInAt) throw bookingStateError(booking, 'check out', 'not_checked_in');
  if (booking.checkedOutAt) throw bookingStateError(booking, 'check out again', 'already_checked_out');
  const at = recordedAt(input.at, now, booking, session, 'check-out');
  if (at.getTime() < booking.checkedInAt.getTime()) {
    throw new SchedulingError('INVALID_INPUT', `A check-out cannot be before the check-in (${iso(booking.checkedInAt)}); at is ${iso(at)}`, {
      path: ['at'],
      bookingId: booking.id,
      checkedInAt: booking.checkedInAt.toISOString(),
      reason: 'before_check_in',
    });
  }
  const closes = new Date(session.endTime.getTime() + thresholds.checkOutClosesMinutes * MINUTE);
  if (at.getTime() > closes.getTime()) {
    throw outsideWindow(
      input.at !== undefined,
      at,
      booking,
      session,
      'too_late',
      { start: booking.checkedInAt, end: closes },
      `check-out closed at ${iso(closes)}, ${thresholds.checkOutClosesMinutes} minutes after the end (checkOutClosesMinutes)`,
      'the time the student left',
    );
  }
  const early = at.getTime() < session.endTime.getTime() - thresholds.earlyLeaveMinutes * MINUTE;
  return writeAttendance(tx, booking.id, { checkedOutAt: at, ...(early ? { attendanceStatus: 'partial' as const } : {}) });
}

/**
 * Records that a confirmed student did not come (`attendance_status = 'absent'`); the
 * booking stays confirmed until the session is settled. Repeating it changes nothing.
 *
 * @internal
 */
export async function markAbsent(tx: SchedulingDb, input: z.output<typeof bookingRefSchema>, actor: Actor, now: Date): Promise<BookingRow> {
  const { booking, session } = await lockBookingForAttendance(tx, input.bookingId, actor);
  assertMissable(booking, session, now, 'mark absent');
  if (booking.attendanceStatus === 'absent') return booking;
  return writeAttendance(tx, booking.id, { attendanceStatus: 'absent' });
}

/**
 * Turns a confirmed booking into a `no_show` right away (absent, and the place no
 * longer counts as taken).
 *
 * @internal
 */
export async function markNoShow(tx: SchedulingDb, input: z.output<typeof bookingRefSchema>, actor: Actor, now: Date): Promise<BookingRow> {
  const { booking, session } = await lockBookingForAttendance(tx, input.bookingId, actor);
  assertMissable(booking, session, now, 'mark a no-show');
  return writeAttendance(tx, booking.id, { bookingStatus: 'no_show', attendanceStatus: 'absent' });
}

/** Absence is only known once the session has started, and never for someone who came. */
function assertMissable(booking: BookingRow, session: SessionTimes & { status: string }, now: Date, action: string) {
  if (booking.bookingStatus !== 'confirmed') throw bookingStateError(booking, action, 'not_confirmed');
  if (!isOneOf(ATTENDABLE_SESSION_STATUSES, session.status)) throw sessionNotRunning(booking, session.status);
  if (booking.checkedInAt) throw bookingStateError(booking, action, 'checked_in');
  if (now.getTime() < session.startTime.getTime()) {
    throw new SchedulingError(
      'INVALID_STATE',
      `Cannot ${action} before the session starts: session ${session.sessionId} starts at ${iso(session.startTime)}; it is now ${iso(now)}`,
      { bookingId: booking.id, sessionId: session.id, windowStart: iso(session.startTime), reason: 'not_started' },
    );
  }
}

/** The instant recorded: `at`, which may not be after the clock, or now. */
function recordedAt(at: Date | undefined, now: Date, booking: BookingRow, session: SessionTimes, step: 'check-in' | 'check-out'): Date {
  if (at === undefined) return now;
  if (at.getTime() > now.getTime()) {
    throw new SchedulingError('INVALID_INPUT', `A ${step} is recorded when it has happened: at (${iso(at)}) is after the scheduler's clock (${iso(now)})`, {
      path: ['at'],
      bookingId: booking.id,
      sessionId: session.id,
      reason: 'in_the_future',
    });
  }
  return at;
}

/**
 * A step outside its window: `INVALID_INPUT` at `at` when `at` was given, else
 * `INVALID_STATE` (the clock is outside it; `pass` says what to record with `at` when
 * it happened earlier).
 */
function outsideWindow(
  given: boolean,
  at: Date,
  booking: BookingRow,
  session: SessionTimes,
  reason: 'too_early' | 'too_late',
  window: { start: Date; end: Date },
  rule: string,
  pass?: string,
): SchedulingError {
  const fields = { bookingId: booking.id, sessionId: session.id, windowStart: iso(window.start), windowEnd: iso(window.end), reason };
  if (given) return new SchedulingError('INVALID_INPUT', `For session ${session.sessionId}, ${rule}: at is ${iso(at)}`, { path: ['at'], ...fields });
  const afterwards = pass ? `; to record it afterwards, pass at, ${pass}` : '';
  return new SchedulingError('INVALID_STATE', `For session ${session.sessionId}, ${rule}: it is now ${iso(at)}${afterwards}`, fields);
}

const iso = (instant: Date) => instant.toISOString();

/** A cancelled or postponed session has nobody to check in or miss. */
function sessionNotRunning(booking: BookingRow, status: string): SchedulingError {
  return new SchedulingError('INVALID_STATE', `The session of booking ${booking.bookingId} is ${status}`, {
    bookingId: booking.id,
    sessionStatus: status as SessionStatus,
    reason: 'session_not_running',
  });
}

async function writeAttendance(
  tx: SchedulingDb,
  bookingId: string,
  values: { checkedInAt?: Date; checkedOutAt?: Date; attendanceStatus?: AttendanceStatus; bookingStatus?: 'no_show' },
): Promise<BookingRow> {
  const [row] = await tx
    .update(sessionBookings)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(sessionBookings.id, bookingId))
    .returning();
  return row!;
}
