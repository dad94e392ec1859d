import { and, eq, inArray, ne } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { SchedulingError, type InvalidInputReason, type InvalidStateReason, type SchedulingErrorCode, type SchedulingErrorDetailsByCode } from '../../errors';
import { courses, sessionBookings, sessions } from '../../schema/unqualified';
import { refuseUnlessActsForStudent } from '../kernel/family-access';
import { notFound } from '../kernel/lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from '../kernel/types';
import type { PromotionSettings } from '../places/waitlist-promotion';
import type { BookingRow } from '../kernel/rows';
import { openSessionForBooking } from '../places/open-session';
import { bookMakeupSchema } from './inputs';

/** Result of `makeups.book`. */
export interface BookMakeupResult {
  booking: BookingRow;
  /** The booking that was missed, unchanged. */
  original: BookingRow;
}

const DAY = 86_400_000;
const MISSED = new Set(['no_show', 'cancelled']);

/**
 * Books a makeup: a student who missed a session (`no_show`, or attendance
 * `absent`) or cancelled it takes a place in another session of the same course
 * (and level, when the original has one) that starts after the original ended and
 * within `windowDays` of its start. The new booking is confirmed, `is_makeup_session`,
 * linked by `original_session_id`, with `session_credits_used`.
 *
 * Each original is made up once: its booking row is locked (`FOR UPDATE`) before the
 * check for an existing makeup, so two racing calls serialize and the second sees the
 * first. A cancelled makeup gives the right back. The target session is opened like
 * every booking (locked, refused when it takes no bookings, offers past their
 * deadline settled first): a place held by an offer is not free, and a session
 * without a free place is `CAPACITY_EXCEEDED`.
 *
 * @internal
 */
export async function bookMakeup(
  tx: SchedulingDb,
  input: z.output<typeof bookMakeupSchema>,
  actor: Actor,
  settings: { windowDays: number; promotion: PromotionSettings },
): Promise<BookMakeupResult> {
  const { windowDays } = settings;
  const [original] = await tx.select().from(sessionBookings).where(eq(sessionBookings.id, input.originalBookingId)).for('update');
  if (!original) throw notFound('booking', input.originalBookingId, ['originalBookingId']);
  await refuseUnlessActsForStudent(tx, actor, original.studentId, 'book a makeup for this student');

  if (!MISSED.has(original.bookingStatus) && original.attendanceStatus !== 'absent') {
    throw refusal(
      'INVALID_STATE',
      `Booking ${original.bookingId} was attended (${original.bookingStatus}); only a missed or cancelled session is made up`,
      'not_missed',
      {
        bookingStatus: original.bookingStatus,
        attendanceStatus: original.attendanceStatus,
      },
    );
  }
  const [existing] = await tx
    .select({ id: sessionBookings.id })
    .from(sessionBookings)
    .where(
      and(
        eq(sessionBookings.studentId, original.studentId),
        eq(sessionBookings.originalSessionId, original.sessionId),
        eq(sessionBookings.isMakeupSession, true),
        ne(sessionBookings.bookingStatus, 'cancelled'),
      ),
    );
  if (existing) throw refusal('INVALID_STATE', 'This missed session has already been made up', 'already_made_up', { makeupBookingId: existing.id });

  const both = await tx
    .select({ session: sessions, courseLevelId: courses.levelId })
    .from(sessions)
    .innerJoin(courses, eq(courses.id, sessions.courseId))
    .where(inArray(sessions.id, [original.sessionId, input.sessionId]));
  const from = both.find((r) => r.session.id === original.sessionId)!;
  const to = both.find((r) => r.session.id === input.sessionId);
  if (!to) throw notFound('session', input.sessionId, ['sessionId']);
  if (to.session.id === from.session.id) throw refusal('INVALID_INPUT', 'A makeup is in another session', 'same_session', {}, ['sessionId']);
  if (to.session.courseId !== from.session.courseId) {
    throw refusal('INVALID_INPUT', 'A makeup is in a session of the same course', 'other_course', { expectedCourseId: from.session.courseId }, ['sessionId']);
  }
  // The session's own level wins over its course's.
  const originalLevel = from.session.levelId ?? from.courseLevelId;
  const targetLevel = to.session.levelId ?? to.courseLevelId;
  if (originalLevel && targetLevel !== originalLevel) {
    throw refusal('INVALID_INPUT', 'A makeup is in a session of the same level', 'other_level', { expectedLevelId: originalLevel }, ['sessionId']);
  }
  const windowStart = from.session.endTime;
  const windowEnd = new Date(from.session.startTime.getTime() + windowDays * DAY);
  if (to.session.startTime < windowStart || to.session.startTime > windowEnd) {
    throw refusal('INVALID_STATE', `A makeup starts after the missed session and within ${windowDays} days of it`, 'outside_window', {
      windowStart: windowStart.toISOString(),
      windowEnd: windowEnd.toISOString(),
    });
  }

  const load = await openSessionForBooking(tx, to.session.id, settings.promotion, async () => {});
  if (load.freeSpots <= 0) {
    throw new SchedulingError('CAPACITY_EXCEEDED', `Session ${to.session.sessionId} has no free place for a makeup`, {
      sessionId: to.session.id,
      capacity: load.session.capacity,
      currentBookings: load.session.currentBookings,
      heldOffers: load.heldOffers,
      reason: load.session.currentBookings >= load.session.capacity ? 'full' : 'held_offers',
    });
  }
  const [booking] = await tx
    .insert(sessionBookings)
    .values({
      sessionId: to.session.id,
      studentId: original.studentId,
      parentId: actor.kind === 'parent' ? actor.parentId! : original.parentId,
      bookingStatus: 'confirmed',
      bookingSource: 'makeup',
      isMakeupSession: true,
      originalSessionId: original.sessionId,
      sessionCreditsUsed: input.creditsUsed,
      specialRequests: input.specialRequests ?? null,
      createdBy: actor.userId ?? null,
    })
    .returning();
  return { booking: booking!, original };

  // One overload per code, so each call is checked against its code's details.
  function refusal(
    code: 'INVALID_STATE',
    message: string,
    reason: InvalidStateReason,
    extra: Pick<SchedulingErrorDetailsByCode['INVALID_STATE'], 'bookingStatus' | 'attendanceStatus' | 'makeupBookingId' | 'windowStart' | 'windowEnd'>,
  ): SchedulingError<'INVALID_STATE'>;
  function refusal(
    code: 'INVALID_INPUT',
    message: string,
    reason: InvalidInputReason,
    extra: Pick<SchedulingErrorDetailsByCode['INVALID_INPUT'], 'expectedCourseId' | 'expectedLevelId'>,
    path: string[],
  ): SchedulingError<'INVALID_INPUT'>;
  function refusal(code: 'INVALID_STATE' | 'INVALID_INPUT', message: string, reason: string, extra: object, path?: string[]): SchedulingError {
    return new SchedulingError(code as SchedulingErrorCode, message, {
      ...(path ? { path } : {}),
      originalBookingId: original!.id,
      sessionId: input.sessionId,
      reason,
      ...extra,
    });
  }
}
