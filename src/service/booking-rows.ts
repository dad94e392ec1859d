import { and, eq, sql } from 'drizzle-orm';
import { SchedulingError } from '../errors';
import { sessionBookings } from '../schema';
import type { SchedulingDb } from './scheduling-db';

/** A `session_bookings` row. */
export type BookingRow = typeof sessionBookings.$inferSelect;

/** What a confirmed booking records besides the session and student. */
export interface BookingDetails {
  sessionId: string;
  studentId: string;
  parentId?: string | null | undefined;
  source?: string | undefined;
  specialRequests?: string | null | undefined;
  medicalNotes?: string | null | undefined;
  amountCharged?: string | null | undefined;
  /** Set when the booking replaces a place in another session (a move). */
  originalSessionId?: string | null | undefined;
}

/**
 * The `ALREADY_BOOKED` error for a student who already has a place (or a queue
 * entry) in the session.
 *
 * @example
 * ```ts
 * throw alreadyBooked(existing.sessionId, existing.studentId, { bookingId: existing.bookingId, status: existing.bookingStatus });
 * ```
 */
export function alreadyBooked(sessionId: string, studentId: string, details: Record<string, unknown>): SchedulingError {
  const what = details.waitlistId ? 'is already on the waitlist of' : 'already has a booking in';
  return new SchedulingError('ALREADY_BOOKED', `The student ${what} this session`, { sessionId, studentId, ...details });
}

/**
 * The student's booking row in the session, whatever its status, locked for update.
 *
 * @example
 * ```ts
 * const existing = await findBookingRow(tx, sessionId, studentId);
 * ```
 */
export async function findBookingRow(tx: SchedulingDb, sessionId: string, studentId: string): Promise<BookingRow | undefined> {
  const [row] = await tx
    .select()
    .from(sessionBookings)
    .where(and(eq(sessionBookings.sessionId, sessionId), eq(sessionBookings.studentId, studentId)))
    .for('update');
  return row;
}

/**
 * Writes a confirmed booking. `(session_id, student_id)` is unique, so a student who
 * cancelled and books again gets their cancelled row back (same `booking_id`,
 * cancellation fields cleared) instead of a second row. Any other existing row is
 * `ALREADY_BOOKED`. The database trigger re-checks capacity, status and the
 * student's other sessions, so a race the caller's checks missed still fails typed.
 * The caller holds the session row lock.
 *
 * @example
 * ```ts
 * const booking = await writeConfirmedBooking(tx, { sessionId, studentId, parentId, source: 'parent' });
 * ```
 */
export async function writeConfirmedBooking(tx: SchedulingDb, details: BookingDetails): Promise<BookingRow> {
  const values = {
    bookingStatus: 'confirmed' as const,
    parentId: details.parentId ?? null,
    bookingSource: details.source ?? 'admin',
    specialRequests: details.specialRequests ?? null,
    medicalNotes: details.medicalNotes ?? null,
    amountCharged: details.amountCharged ?? null,
    originalSessionId: details.originalSessionId ?? null,
    // The acting user of this transaction (set by the scheduler), or null for system work.
    createdBy: sql`scheduling.acting_user()`,
  };
  const existing = await findBookingRow(tx, details.sessionId, details.studentId);
  if (existing) {
    if (existing.bookingStatus !== 'cancelled') {
      throw alreadyBooked(details.sessionId, details.studentId, { bookingId: existing.bookingId, status: existing.bookingStatus });
    }
    const [row] = await tx
      .update(sessionBookings)
      .set({
        ...values,
        bookingDate: sql`now()`,
        cancellationDate: null,
        cancellationReason: null,
        cancellationType: null,
        checkedInAt: null,
        checkedOutAt: null,
        attendanceStatus: null,
        updatedAt: sql`now()`,
      })
      .where(eq(sessionBookings.id, existing.id))
      .returning();
    return row!;
  }
  const [row] = await tx
    .insert(sessionBookings)
    .values({ sessionId: details.sessionId, studentId: details.studentId, ...values })
    .returning();
  return row!;
}

/**
 * Cancels a confirmed or pending booking (the trigger gives the place back).
 * `cancellation_date` is never before the booking itself, whatever the injected clock says.
 *
 * @example
 * ```ts
 * await writeCancellation(tx, booking.id, { type: 'student', reason: 'Ill', now });
 * ```
 */
export async function writeCancellation(
  tx: SchedulingDb,
  id: string,
  cancellation: { type: 'student' | 'instructor' | 'academy' | 'emergency'; reason?: string | null | undefined; now: Date },
): Promise<BookingRow> {
  const [row] = await tx
    .update(sessionBookings)
    .set({
      bookingStatus: 'cancelled',
      cancellationType: cancellation.type,
      cancellationReason: cancellation.reason ?? null,
      cancellationDate: sql`greatest(${cancellation.now.toISOString()}::timestamptz, ${sessionBookings.bookingDate})`,
      updatedAt: sql`now()`,
    })
    .where(eq(sessionBookings.id, id))
    .returning();
  return row!;
}
