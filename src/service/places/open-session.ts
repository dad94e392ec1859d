import { ACTIVE_WAITLIST_STATUSES } from '../../domain/statuses';
import { and, eq, inArray } from 'drizzle-orm';
import { sessionWaitlist } from '../../schema/unqualified';
import type { SchedulingDb } from '../../db/scheduling-db';
import { lockSession } from '../kernel/lookups';
import { alreadyBooked, findBookingRow } from './booking-rows';
import { type SessionLoad, assertBookable, loadSessionLoad } from './session-load';
import { type PromotionSettings, promoteFromWaitlist } from './waitlist-promotion';

/*
 * How every booking decision starts (a booking, a queue place, a makeup, a move): the
 * session locked, refused if it takes no bookings, its expired offers settled, then
 * the caller's checks and the session's load.
 */

/**
 * Throws `ALREADY_BOOKED` when the student has a booking in the session that is not
 * cancelled, or an active waitlist entry there (a child is never both booked and
 * waiting for the same class).
 *
 * @internal
 */
export async function assertNotInSession(tx: SchedulingDb, sessionId: string, studentId: string): Promise<void> {
  const booking = await findBookingRow(tx, sessionId, studentId);
  if (booking && booking.bookingStatus !== 'cancelled') {
    throw alreadyBooked(sessionId, studentId, { bookingId: booking.id, status: booking.bookingStatus });
  }
  const [entry] = await tx
    .select()
    .from(sessionWaitlist)
    .where(
      and(eq(sessionWaitlist.sessionId, sessionId), eq(sessionWaitlist.studentId, studentId), inArray(sessionWaitlist.status, [...ACTIVE_WAITLIST_STATUSES])),
    );
  if (entry) throw alreadyBooked(sessionId, studentId, { waitlistId: entry.id, status: entry.status, position: entry.position });
}

/**
 * Locks the session, refuses one that takes no bookings, settles offers past their
 * deadline (their places go to the next in line first, never to whoever books now),
 * runs the caller's checks and returns how full the session is. Every booking decision starts here, so it is made
 * under the session row lock and cannot race another.
 *
 * @internal
 */
export async function openSessionForBooking(
  tx: SchedulingDb,
  sessionId: string,
  settings: PromotionSettings,
  checks: (session: SessionLoad['session']) => Promise<void>,
): Promise<SessionLoad> {
  const session = await lockSession(tx, sessionId);
  assertBookable(session, settings.now);
  // Settle first, so the checks see the queue as it really is (an expired offer is no longer "already waiting").
  await promoteFromWaitlist(tx, sessionId, settings);
  await checks(session);
  return loadSessionLoad(tx, sessionId, settings.now);
}
