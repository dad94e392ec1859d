import { OPEN_BOOKING_STATUSES } from '../../domain/statuses';
import { eq } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { SchedulingError } from '../../errors';
import { sessionBookings } from '../../schema/unqualified';
import { forbidden, isAdministrator, requireAdministratorOrInstructor } from '../kernel/actor';
import { requireActsForStudent } from '../kernel/family-access';
import type { cancelBookingSchema, moveBookingSchema } from './inputs';
import { assertStudentsFree } from '../places/session-load';
import { writeCancellation, writeConfirmedBooking } from '../places/booking-rows';
import { lockSession, notFound } from '../kernel/lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from '../kernel/types';
import { type PromotionResult, type PromotionSettings, promoteFromWaitlist } from '../places/waitlist-promotion';
import { type BookingRow } from '../kernel/rows';
import { assertNotInSession, openSessionForBooking } from '../places/open-session';

/** Result of `bookings.cancel`. */
export interface CancelBookingResult {
  booking: BookingRow;
  /** What the freed place did: offered to (or, in auto mode, booked for) the next in line. */
  promotion: PromotionResult;
}

/** Result of `bookings.move`. */
export interface MoveBookingResult {
  /** The booking left behind, now cancelled. */
  from: BookingRow;
  /** The confirmed booking in the new session (`original_session_id` = the old one). */
  booking: BookingRow;
  /** The waitlist promotion in the old session. */
  promotion: PromotionResult;
}

/**
 * The booking named by uuid or `BKG-…` code, locked, with its session locked first
 * (the lock order of every booking path: session, then booking), or `NOT_FOUND`.
 *
 * @internal
 */
export async function lockBooking(tx: SchedulingDb, ref: string, lockFirst: (sessionId: string) => Promise<unknown> = (id) => lockSession(tx, id)) {
  const column = ref.startsWith('BKG-') ? sessionBookings.bookingId : sessionBookings.id;
  const [found] = await tx.select({ sessionId: sessionBookings.sessionId }).from(sessionBookings).where(eq(column, ref));
  if (!found) throw notFound('booking', ref, ['bookingId']);
  await lockFirst(found.sessionId);
  const [row] = await tx.select().from(sessionBookings).where(eq(column, ref)).for('update');
  return row!;
}

function requireOpen(booking: BookingRow, allowed: readonly string[], action: string): void {
  if (!allowed.includes(booking.bookingStatus)) {
    throw new SchedulingError('INVALID_STATE', `A ${booking.bookingStatus} booking cannot be ${action}`, {
      bookingId: booking.id,
      bookingStatus: booking.bookingStatus,
    });
  }
}

/**
 * Cancels a confirmed or pending booking and, in the same transaction, hands the
 * freed place to the waitlist. Administrators may give any cancellation type; the
 * session's instructor only `instructor`; parents (for their linked students) and
 * students (for themselves) only `student`.
 *
 * @internal
 */
export async function cancelBooking(
  tx: SchedulingDb,
  input: z.output<typeof cancelBookingSchema>,
  actor: Actor,
  settings: PromotionSettings,
): Promise<CancelBookingResult> {
  let session: Awaited<ReturnType<typeof lockSession>> | undefined;
  const booking = await lockBooking(tx, input.bookingId, async (id) => (session = await lockSession(tx, id)));
  if (!isAdministrator(actor)) {
    if (actor.kind === 'instructor') {
      requireAdministratorOrInstructor(actor, session!.instructorId, 'cancel this booking');
      if (input.type !== 'instructor') {
        throw forbidden(actor, `cancel a booking as ${input.type} (an instructor cancels as instructor)`, 'administrators_only', ['type']);
      }
    } else {
      await requireActsForStudent(tx, actor, booking.studentId, 'cancel this booking');
      if (input.type !== 'student') throw forbidden(actor, `cancel a booking as ${input.type} (a family cancels as student)`, 'administrators_only', ['type']);
    }
  }
  requireOpen(booking, OPEN_BOOKING_STATUSES, 'cancelled');
  if (session!.status === 'completed') {
    throw new SchedulingError('INVALID_STATE', `Session ${session!.sessionId} is completed; its bookings cannot be cancelled`, {
      sessionId: session!.id,
      sessionStatus: session!.status,
    });
  }
  const cancelled = await writeCancellation(tx, booking.id, { type: input.type, reason: input.reason, now: settings.now });
  const promotion = await promoteFromWaitlist(tx, booking.sessionId, settings);
  return { booking: cancelled, promotion };
}

/**
 * Moves a confirmed booking to another session of the same course, as one
 * operation: the target must take bookings and have a free place (held offers
 * count as taken; a move never queues — `CAPACITY_EXCEEDED`), the student must be
 * free then (the session being left does not count), and the place left behind goes
 * to that session's waitlist. Both sessions are locked in id order, as the booking
 * trigger does, so opposite moves cannot deadlock. The old row is cancelled (type
 * `student`, or `academy` when an administrator moves it) rather than rewritten, so
 * the old session keeps its history.
 *
 * @internal
 */
export async function moveBooking(
  tx: SchedulingDb,
  input: z.output<typeof moveBookingSchema>,
  actor: Actor,
  settings: PromotionSettings,
): Promise<MoveBookingResult> {
  const booking = await lockBooking(tx, input.bookingId, async (fromId) => {
    if (fromId === input.toSessionId) {
      throw new SchedulingError('INVALID_INPUT', 'The booking is already in that session', { path: ['toSessionId'], reason: 'same_session' });
    }
    for (const id of [fromId, input.toSessionId].sort()) await lockSession(tx, id, id === fromId ? ['bookingId'] : ['toSessionId']);
  });
  await requireActsForStudent(tx, actor, booking.studentId, 'move this booking');
  requireOpen(booking, ['confirmed'], 'moved');
  const from = await lockSession(tx, booking.sessionId);
  const load = await openSessionForBooking(tx, input.toSessionId, settings, async (target) => {
    if (target.courseId !== from.courseId) {
      throw new SchedulingError('INVALID_INPUT', `Session ${target.sessionId} is not of the same course`, {
        path: ['toSessionId'],
        reason: 'different_course',
        courseId: from.courseId,
        targetCourseId: target.courseId,
      });
    }
    await assertNotInSession(tx, target.id, booking.studentId);
    await assertStudentsFree(tx, [booking.studentId], target, [target.id, from.id]);
  });
  const target = load.session;
  if (load.freeSpots === 0) {
    throw new SchedulingError('CAPACITY_EXCEEDED', `Session ${target.sessionId} has no free place`, {
      sessionId: target.id,
      capacity: target.capacity,
      currentBookings: target.currentBookings,
      heldOffers: load.heldOffers,
      reason: target.currentBookings >= target.capacity ? 'full' : 'held_offers',
    });
  }
  const left = await writeCancellation(tx, booking.id, {
    type: isAdministrator(actor) ? 'academy' : 'student',
    reason: input.reason ?? `Moved to ${target.sessionId}`,
    now: settings.now,
  });
  const moved = await writeConfirmedBooking(tx, {
    sessionId: target.id,
    studentId: booking.studentId,
    parentId: booking.parentId,
    source: booking.bookingSource ?? actor.kind,
    specialRequests: booking.specialRequests,
    medicalNotes: booking.medicalNotes,
    amountCharged: booking.amountCharged,
    originalSessionId: booking.sessionId,
  });
  const promotion = await promoteFromWaitlist(tx, booking.sessionId, settings);
  return { from: left, booking: moved, promotion };
}
