import { ACTIVE_SESSION_STATUSES, ACTIVE_WAITLIST_STATUSES } from '../../domain/statuses';
import { and, asc, count, eq, gt, inArray, isNull, ne, notInArray, or, sql } from 'drizzle-orm';
import { SchedulingError } from '../../errors';
import { freePlaces, notBookableReason } from '../../domain/bookability';
import { sessionBookings, sessionWaitlist, sessions } from '../../schema/unqualified';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { SessionRow } from '../kernel/rows';

/**
 * Throws `NOT_BOOKABLE` (with `details.reason`) unless the session takes bookings at `now`.
 *
 * @internal
 */
export function assertBookable(session: SessionRow, now: Date): void {
  const reason = notBookableReason(session, now);
  if (!reason) return;
  const why = reason === 'past' ? 'has already started' : `is ${reason}`;
  throw new SchedulingError('NOT_BOOKABLE', `Session ${session.sessionId} ${why} and takes no bookings`, {
    sessionId: session.id,
    status: session.status,
    reason,
  });
}

/** A confirmed booking of a student in another active session that overlaps. */
export interface StudentConflict {
  studentId: string;
  sessionId: string;
  sessionCode: string;
}

/**
 * Confirmed bookings of these students in other active sessions overlapping
 * `[startTime, endTime)` (half-open: back-to-back is fine). `exceptSessionIds` are
 * ignored (the session itself, or the one a booking is moving away from).
 *
 * @internal
 */
export async function findStudentConflicts(
  tx: SchedulingDb,
  studentIds: readonly string[],
  window: Pick<SessionRow, 'startTime' | 'endTime'>,
  exceptSessionIds: readonly string[],
): Promise<StudentConflict[]> {
  if (studentIds.length === 0) return [];
  return tx
    .select({ studentId: sessionBookings.studentId, sessionId: sessions.id, sessionCode: sessions.sessionId })
    .from(sessionBookings)
    .innerJoin(sessions, eq(sessions.id, sessionBookings.sessionId))
    .where(
      and(
        inArray(sessionBookings.studentId, [...studentIds]),
        eq(sessionBookings.bookingStatus, 'confirmed'),
        exceptSessionIds.length ? notInArray(sessions.id, [...exceptSessionIds]) : undefined,
        inArray(sessions.status, [...ACTIVE_SESSION_STATUSES]),
        sql`${sessions.startTime} < ${window.endTime.toISOString()}::timestamptz`,
        sql`${sessions.endTime} > ${window.startTime.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(asc(sessions.startTime), asc(sessions.id));
}

/**
 * Throws `STUDENT_CONFLICT` naming the session in the way (`conflictingSessionIds`,
 * `conflictingSessionCodes`) when any of the students is already confirmed in an
 * overlapping active session.
 *
 * @internal
 */
export async function assertStudentsFree(
  tx: SchedulingDb,
  studentIds: readonly string[],
  window: Pick<SessionRow, 'id' | 'startTime' | 'endTime'>,
  exceptSessionIds: readonly string[],
): Promise<void> {
  const [clash] = await findStudentConflicts(tx, studentIds, window, exceptSessionIds);
  if (!clash) return;
  throw new SchedulingError('STUDENT_CONFLICT', `Student is already booked into ${clash.sessionCode} at that time`, {
    sessionId: window.id,
    studentId: clash.studentId,
    conflictingSessionIds: [clash.sessionId],
    conflictingSessionCodes: [clash.sessionCode],
  });
}

/** How full a locked session is, offers included. */
export interface SessionLoad {
  session: SessionRow;
  /** Unanswered, unexpired offers: each holds a place. */
  heldOffers: number;
  /** capacity − confirmed − held offers (never below 0). */
  freeSpots: number;
  /** Entries waiting, notified or offered. */
  activeEntries: number;
}

/**
 * Reads the session (the caller holds its row lock) and counts what occupies it.
 * An offer counts as held until its deadline passes, so a new booking cannot take
 * the place promised to a waitlisted child.
 *
 * @internal
 */
export async function loadSessionLoad(tx: SchedulingDb, sessionId: string, now: Date): Promise<SessionLoad> {
  const [session] = await tx.select().from(sessions).where(eq(sessions.id, sessionId));
  const [counts] = await tx
    .select({
      active: count(),
      held: sql<number>`count(*) FILTER (WHERE ${sessionWaitlist.status} = 'offered')`.mapWith(Number),
    })
    .from(sessionWaitlist)
    .where(
      and(
        eq(sessionWaitlist.sessionId, sessionId),
        inArray(sessionWaitlist.status, [...ACTIVE_WAITLIST_STATUSES]),
        // An offer past its deadline is neither active nor held (it is expired lazily).
        or(ne(sessionWaitlist.status, 'offered'), isNull(sessionWaitlist.responseDeadline), gt(sessionWaitlist.responseDeadline, now)),
      ),
    );
  const heldOffers = counts?.held ?? 0;
  return {
    session: session!,
    heldOffers,
    freeSpots: freePlaces({ capacity: session!.capacity, confirmed: session!.currentBookings, heldOffers }),
    activeEntries: counts?.active ?? 0,
  };
}
