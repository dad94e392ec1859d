import { and, asc, eq, gt, gte, inArray, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import { facilities, locations, parentStudents, sessionBookings, sessions } from '../../schema/unqualified';
import { invalidInput } from '../../domain/validate';
import type { BookingStatus, SessionStatus } from '../../domain/statuses';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { FeedSubject } from './inputs';

/** The most sessions one feed holds: a larger range is refused (`INVALID_INPUT`), never cut short in silence. */
export const MAX_FEED_EVENTS = 5000;

/**
 * The bookings that put a session on a student's calendar: a place the student holds
 * (`confirmed`) or held (`completed`, `no_show`: the session happened with them on
 * the register). A `pending` booking is not a place yet, and a booking the family or
 * the academy cancelled takes the session off their calendar — except when the
 * academy cancelled it because it cancelled the whole session (see
 * {@link cancelledWithSession}): then the family is told, with `STATUS:CANCELLED`.
 */
export const FEED_BOOKING_STATUSES = ['confirmed', 'completed', 'no_show'] as const satisfies readonly BookingStatus[];

/** One session of a feed, with what its VEVENT shows: the timetable, never who booked. */
export interface FeedSession {
  id: string;
  title: string;
  description: string | null;
  status: SessionStatus;
  startTime: Date;
  endTime: Date;
  cancelledAt: Date | null;
  calendarSequence: number;
  locationName: string;
  timeZone: string;
  facilityName: string | null;
}

/**
 * A booking that was cancelled because its session was: cancelling a session cancels its
 * open bookings as the academy's decision (`cancellation_type = 'academy'`) at the
 * moment the session's `cancelled_at` records. A booking cancelled before that (by the
 * family, or moved) is not one of them.
 */
function cancelledWithSession(): SQL {
  return and(
    eq(sessions.status, 'cancelled'),
    eq(sessionBookings.bookingStatus, 'cancelled'),
    eq(sessionBookings.cancellationType, 'academy'),
    gte(sessionBookings.cancellationDate, sessions.cancelledAt),
  )!;
}

/** Sessions where one of `students` holds a booking that puts it on their calendar. */
function bookedBy(students: SQL): SQL {
  const countingBooking = or(inArray(sessionBookings.bookingStatus, [...FEED_BOOKING_STATUSES]), cancelledWithSession());
  return sql`exists (select 1 from ${sessionBookings} where ${sessionBookings.sessionId} = ${sessions.id} and ${sessionBookings.studentId} in ${students} and ${countingBooking})`;
}

/** Which sessions belong to the subject's calendar. */
function subjectFilter(subject: FeedSubject): SQL {
  switch (subject.kind) {
    case 'instructor':
      return eq(sessions.instructorId, subject.id);
    case 'location':
      return eq(sessions.locationId, subject.id);
    case 'facility':
      return eq(sessions.facilityId, subject.id);
    case 'student':
      return bookedBy(sql`(${subject.id})`);
    case 'parent':
      return bookedBy(sql`(select ${parentStudents.studentId} from ${parentStudents} where ${parentStudents.parentId} = ${subject.id})`);
  }
}

/**
 * The sessions of a feed: those of the subject starting in `[from, until)` (half-open,
 * as `sessions.list`), by start time. Cancelled sessions stay while their cancellation
 * is younger than `cancelledForDays` (by the scheduler's clock) and then drop out; a
 * cancelled session without `cancelled_at` (cancelled by the host's own SQL) is left
 * out. More than {@link MAX_FEED_EVENTS} is `INVALID_INPUT` at `until`.
 *
 * @internal
 */
export async function loadFeedSessions(
  tx: SchedulingDb,
  subject: FeedSubject,
  range: { from: Date; until: Date; cancelledForDays: number },
  now: Date,
): Promise<FeedSession[]> {
  const cancelledSince = new Date(now.getTime() - range.cancelledForDays * 86_400_000);
  const rows = await tx
    .select({
      id: sessions.id,
      title: sessions.title,
      description: sessions.description,
      status: sessions.status,
      startTime: sessions.startTime,
      endTime: sessions.endTime,
      cancelledAt: sessions.cancelledAt,
      calendarSequence: sessions.calendarSequence,
      locationName: locations.name,
      timeZone: locations.timezone,
      facilityName: facilities.name,
    })
    .from(sessions)
    .innerJoin(locations, eq(locations.id, sessions.locationId))
    .leftJoin(facilities, eq(facilities.id, sessions.facilityId))
    .where(
      and(
        subjectFilter(subject),
        gte(sessions.startTime, range.from),
        lt(sessions.startTime, range.until),
        or(ne(sessions.status, 'cancelled'), gt(sessions.cancelledAt, cancelledSince)),
      ),
    )
    .orderBy(asc(sessions.startTime), asc(sessions.id))
    .limit(MAX_FEED_EVENTS + 1);
  if (rows.length > MAX_FEED_EVENTS) {
    throw invalidInput(`Invalid input at until: the range holds more than ${MAX_FEED_EVENTS} sessions; ask for a shorter one`, ['until'], {
      limit: MAX_FEED_EVENTS,
    });
  }
  return rows;
}
