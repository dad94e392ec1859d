import { and, eq, sql } from 'drizzle-orm';
import { queryTableRows } from '../../db/query';
import { SchedulingError, type SchedulingErrorDetailsByCode } from '../../errors';
import { sessionBookings } from '../../schema/unqualified';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { BookingRow } from '../kernel/rows';

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
 * @internal
 */
export function alreadyBooked(
  sessionId: string,
  studentId: string,
  details: Pick<SchedulingErrorDetailsByCode['ALREADY_BOOKED'], 'bookingId' | 'waitlistId' | 'status' | 'position'>,
): SchedulingError {
  const what = details.waitlistId ? 'is already on the waitlist of' : 'already has a booking in';
  return new SchedulingError('ALREADY_BOOKED', `The student ${what} this session`, { sessionId, studentId, ...details });
}

/**
 * The student's booking row in the session, whatever its status, locked for update.
 *
 * @internal
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
 * The caller holds the session row lock. One statement (`write_confirmed_booking`).
 *
 * @internal
 */
export async function writeConfirmedBooking(tx: SchedulingDb, details: BookingDetails): Promise<BookingRow> {
  const row = await callWriteConfirmedBooking(tx, details, null);
  if (row) return row;
  const existing = await findBookingRow(tx, details.sessionId, details.studentId);
  throw alreadyBooked(details.sessionId, details.studentId, { bookingId: existing?.id, status: existing?.bookingStatus });
}

/**
 * The short path of a booking: locks the session and writes the confirmed booking in
 * one statement when there is nothing to decide — the session is scheduled and starts
 * after `now`, has a free place, nobody is queued or holds an offer, and the student
 * is neither booked there nor confirmed in another session at that time (see
 * `takes_direct_booking`). Returns undefined, having written nothing, when
 * any of that is not so: the caller then takes the full path, which reaches the
 * outcome or the refusal, so every refusal comes from one place.
 *
 * @internal
 */
export async function writeDirectBooking(tx: SchedulingDb, details: BookingDetails, now: Date): Promise<BookingRow | undefined> {
  return callWriteConfirmedBooking(tx, details, now);
}

/** `write_confirmed_booking(…)`: the row written, if any. */
async function callWriteConfirmedBooking(tx: SchedulingDb, details: BookingDetails, directAt: Date | null): Promise<BookingRow | undefined> {
  const [row] = await queryTableRows(
    tx,
    sessionBookings,
    sql`SELECT * FROM write_confirmed_booking(
      ${details.sessionId}::uuid, ${details.studentId}::uuid, ${details.parentId ?? null}::uuid,
      ${details.source ?? 'admin'}::text, ${details.specialRequests ?? null}::text, ${details.medicalNotes ?? null}::text,
      ${details.amountCharged ?? null}::numeric, ${details.originalSessionId ?? null}::uuid,
      ${directAt?.toISOString() ?? null}::timestamptz)`,
  );
  return row;
}

/**
 * Cancels a confirmed or pending booking (the trigger gives the place back).
 * `cancellation_date` is never before the booking itself, whatever the injected clock says.
 *
 * @internal
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
