import { eq } from 'drizzle-orm';
import { SchedulingError, type InvalidStateReason } from '../../errors';
import { sessionBookings } from '../../schema/unqualified';
import { requireAdministratorOrInstructor } from '../kernel/actor';
import { lockSession, notFound } from '../kernel/lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from '../kernel/types';
import type { BookingRow } from '../kernel/rows';

/**
 * The booking with that id and its session, both locked, or `NOT_FOUND`.
 *
 * Locks in the order the booking triggers and session cancellation use
 * (session, then booking), so attendance never deadlocks against them: the
 * booking is first read unlocked only to learn its session.
 *
 * @internal
 */
export async function lockBookingWithSession(tx: SchedulingDb, bookingId: string, path: Array<string | number> = ['bookingId']) {
  const [peek] = await tx.select({ sessionId: sessionBookings.sessionId }).from(sessionBookings).where(eq(sessionBookings.id, bookingId));
  if (!peek) throw notFound('booking', bookingId, path);
  const session = await lockSession(tx, peek.sessionId);
  const [booking] = await tx.select().from(sessionBookings).where(eq(sessionBookings.id, bookingId)).for('update');
  // Moved to another session between the two reads: the caller simply retries.
  if (!booking) throw notFound('booking', bookingId, path);
  if (booking.sessionId !== session.id) {
    throw new SchedulingError('INVALID_STATE', 'The booking moved to another session while it was being read; try again', { bookingId, reason: 'moved' });
  }
  return { booking, session };
}

/**
 * Locks the booking and its session and checks the actor may record attendance
 * for it: an administrator, or the instructor of that session (`FORBIDDEN` otherwise).
 *
 * @internal
 */
export async function lockBookingForAttendance(tx: SchedulingDb, bookingId: string, actor: Actor) {
  const locked = await lockBookingWithSession(tx, bookingId);
  requireAdministratorOrInstructor(actor, locked.session.instructorId, 'record attendance for this session');
  return locked;
}

/**
 * `INVALID_STATE` for a booking whose status does not allow the step, with a reason.
 *
 * @internal
 */
export function bookingStateError(booking: BookingRow, action: string, reason: InvalidStateReason): SchedulingError {
  return new SchedulingError('INVALID_STATE', `Cannot ${action}: booking ${booking.bookingId} is ${booking.bookingStatus}`, {
    bookingId: booking.id,
    bookingStatus: booking.bookingStatus,
    attendanceStatus: booking.attendanceStatus,
    reason,
  });
}
