import { OPEN_BOOKING_STATUSES } from '../../domain/statuses';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { SchedulingError } from '../../errors';
import type { CapacityPolicy, SessionStatus } from '../../domain';
import { facilities, sessionBookings, sessions } from '../../schema/unqualified';
import { requireAdministrator, requireAdministratorOrInstructor } from '../kernel/actor';
import { lockSession } from '../kernel/lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import { findScheduleProblems, throwIfBlocked } from '../kernel/schedule-problems';
import type { Actor } from '../kernel/types';
import { cancelSessionWaitlist } from './waitlist-queue';
import { type Settlement, settleConfirmedBookings } from './booking-settlement';
import { type ConflictRow, type SessionRow } from '../kernel/rows';
import { conflictsRecordedNow } from '../kernel/conflict-recording';
import { setSessionStatusSchema } from '../kernel/session-fields';
import { SESSION_TRANSITIONS } from '../../domain';

/** A booking cancelled because its session was. */
export interface CancelledBooking {
  id: string;
  bookingId: string;
  studentId: string;
  parentId: string | null;
  previousStatus: string;
}

/** Result of a status change. */
export interface SessionStatusResult {
  session: SessionRow;
  /** For a cancellation: the confirmed and pending bookings it cancelled. */
  cancelledBookings: CancelledBooking[];
  /** For a completion: how the confirmed bookings were settled. */
  settled?: Settlement;
  /** Conflicts recorded in this call (a postponed session brought back may record some). */
  conflicts: ConflictRow[];
}

/**
 * Moves a session along its life cycle; an invalid transition is `INVALID_STATE`.
 * Cancelling records reason, who and when, and cancels the session's confirmed and
 * pending bookings (`cancellation_type = 'academy'`). Bringing a postponed session
 * back re-checks it like a new one, students included.
 *
 * @internal
 */
export async function setSessionStatus(
  tx: SchedulingDb,
  input: z.output<typeof setSessionStatusSchema>,
  actor: Actor,
  policy: CapacityPolicy,
  now: Date,
): Promise<SessionStatusResult> {
  const current = await lockSession(tx, input.sessionId);
  const from = current.status as SessionStatus;
  if (input.status === 'in_progress' || input.status === 'completed') {
    requireAdministratorOrInstructor(actor, current.instructorId, `mark this session ${input.status}`);
  } else {
    requireAdministrator(actor, `mark a session ${input.status}`);
  }
  if (!SESSION_TRANSITIONS[from].includes(input.status)) {
    throw new SchedulingError('INVALID_STATE', `A ${from} session cannot become ${input.status}`, {
      sessionId: current.id,
      from,
      to: input.status,
      allowed: SESSION_TRANSITIONS[from],
    });
  }

  if (from === 'postponed' && input.status === 'scheduled') {
    const [facility] = await tx.select().from(facilities).where(eq(facilities.id, current.facilityId));
    const problems = await findScheduleProblems(
      tx,
      {
        ...current,
        id: current.id,
        facility: facility!,
        check: { overlaps: true, instructor: true, facility: true, facilitySize: true, students: true },
      },
      policy,
    );
    throwIfBlocked(problems, { override: input.override });
  }

  const cancelling = input.status === 'cancelled';
  // Bookings first, so the returned session row already shows the freed places.
  const cancelledBookings = cancelling ? await cancelSessionBookings(tx, current.id, input.reason!, now) : [];
  // Completing a session settles every confirmed booking: attended → completed, the rest → no_show.
  const settled = input.status === 'completed' ? await settleConfirmedBookings(tx, current.id) : undefined;
  // No offer may stay open, and no notification be owed, for a class that will not run.
  if (cancelling) await cancelSessionWaitlist(tx, current.id);
  const [session] = await tx
    .update(sessions)
    .set({
      status: input.status,
      updatedBy: actor.userId ?? null,
      updatedAt: sql`now()`,
      ...(cancelling ? { cancellationReason: input.reason!, cancelledAt: now, cancelledBy: actor.userId ?? null } : {}),
    })
    .where(eq(sessions.id, current.id))
    .returning();
  return { session: session!, cancelledBookings, ...(settled ? { settled } : {}), conflicts: await conflictsRecordedNow(tx, current.id) };
}

/** Cancels every confirmed or pending booking of a cancelled session, as the academy's decision. */
async function cancelSessionBookings(tx: SchedulingDb, sessionId: string, reason: string, now: Date): Promise<CancelledBooking[]> {
  const open = await tx
    .select({ id: sessionBookings.id, status: sessionBookings.bookingStatus })
    .from(sessionBookings)
    .where(and(eq(sessionBookings.sessionId, sessionId), inArray(sessionBookings.bookingStatus, [...OPEN_BOOKING_STATUSES])))
    .orderBy(sessionBookings.id)
    .for('update');
  if (open.length === 0) return [];
  const previous = new Map(open.map((b) => [b.id, b.status]));
  const rows = await tx
    .update(sessionBookings)
    .set({
      bookingStatus: 'cancelled',
      cancellationType: 'academy',
      cancellationReason: reason,
      // chk_cancellation_date: never before the booking itself, whatever the injected clock says.
      cancellationDate: sql`greatest(${now.toISOString()}::timestamptz, ${sessionBookings.bookingDate})`,
      updatedAt: sql`now()`,
    })
    .where(inArray(sessionBookings.id, [...previous.keys()]))
    .returning();
  return rows
    .map((b) => ({ id: b.id, bookingId: b.bookingId, studentId: b.studentId, parentId: b.parentId, previousStatus: previous.get(b.id)! }))
    .sort((a, b) => a.bookingId.localeCompare(b.bookingId));
}
