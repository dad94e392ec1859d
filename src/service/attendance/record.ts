import { ATTENDABLE_SESSION_STATUSES, isOneOf, type SessionStatus } from '../../domain/statuses';
import { eq, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { SchedulingError } from '../../errors';
import { type AttendanceStatus, sessionBookings } from '../../schema';
import { bookingStateError, lockBookingForAttendance } from './booking-lock';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from '../kernel/types';
import { type BookingRow } from '../kernel/rows';
import { attendanceEventSchema, bookingRefSchema } from './inputs';

/** The thresholds that turn a check-in into `late` and a check-out into `partial`. */
export interface AttendanceThresholds {
  lateAfterMinutes: number;
  earlyLeaveMinutes: number;
}

const MINUTE = 60_000;
// A cancelled or postponed session has nobody to check in.

/**
 * Checks a student in: `late` when later than `lateAfterMinutes` after the start,
 * else `present`. Only a confirmed booking that is not checked in yet.
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
  const at = input.at ?? now;
  const late = at.getTime() > session.startTime.getTime() + thresholds.lateAfterMinutes * MINUTE;
  return writeAttendance(tx, booking.id, { checkedInAt: at, attendanceStatus: late ? 'late' : 'present' });
}

/**
 * Checks a student out: `partial` when earlier than `earlyLeaveMinutes` before the
 * end, otherwise the check-in's status stays. The check-out is never before the
 * check-in (`INVALID_INPUT` at `at`).
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
  const at = input.at ?? now;
  if (at.getTime() < booking.checkedInAt.getTime()) {
    throw new SchedulingError('INVALID_INPUT', 'A check-out cannot be before the check-in', {
      path: ['at'],
      bookingId: booking.id,
      checkedInAt: booking.checkedInAt.toISOString(),
      reason: 'before_check_in',
    });
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
function assertMissable(booking: BookingRow, session: { status: string; startTime: Date }, now: Date, action: string) {
  if (booking.bookingStatus !== 'confirmed') throw bookingStateError(booking, action, 'not_confirmed');
  if (!isOneOf(ATTENDABLE_SESSION_STATUSES, session.status)) throw sessionNotRunning(booking, session.status);
  if (booking.checkedInAt) throw bookingStateError(booking, action, 'checked_in');
  if (now.getTime() < session.startTime.getTime()) throw bookingStateError(booking, `${action} before the session starts`, 'not_started');
}

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
