import { and, asc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { facilities, instructors, locations, sessions } from '../../schema/unqualified';
import { instantRangeIn, isLocal } from '../kernel/inputs';
import { loadLocation, notFound } from '../kernel/lookups';
import { withLocalTimes } from '../kernel/session-fields';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from '../kernel/types';
import { loadViewer, redactBookingWithStudent, redactInstructor, redactSession, visibleRows } from '../kernel/visibility';
import { getSessionSchema, listSessionsSchema } from './inputs';

/**
 * A session with its bookings (and each booking's student), instructor, facility and
 * location, or `NOT_FOUND`, as the actor may see it (`visibility.ts`): everyone gets
 * the session; administrators and its instructor every booking; a family only its own
 * children's bookings; nobody else any. `local` gives its times in its location's zone.
 *
 * @internal
 */
export async function getSession(tx: SchedulingDb, input: z.output<typeof getSessionSchema>, actor: Actor) {
  const session = await tx.query.sessions.findFirst({
    where: eq(sessions.id, input.sessionId),
    with: {
      bookings: { with: { student: true }, orderBy: (b, { asc: ascending }) => [ascending(b.bookingId)] },
      instructor: true,
      facility: true,
      location: true,
    },
  });
  if (!session) throw notFound('session', input.sessionId, ['sessionId']);
  const viewer = await loadViewer(tx, actor, [session]);
  return {
    ...withLocalTimes(redactSession(viewer, session), session.location.timezone),
    bookings: visibleRows(session.bookings, (b) => redactBookingWithStudent(viewer, b)),
    instructor: session.instructor && redactInstructor(viewer, session.instructor),
  };
}

/** A session as `sessions.get` returns it. */
export type SessionDetails = Awaited<ReturnType<typeof getSession>>;

/**
 * The reference schema's "find available sessions" query, done right: a half-open
 * range on `start_time` (its `BETWEEN` counted a session starting exactly at the end
 * twice across pages), every filter an equality or range the composite indexes
 * (`idx_sessions_availability`, `_instructor_schedule`, `_facility_schedule`,
 * `_course_schedule`) can use, and a stable order for paging. The instructor's name,
 * the facility's name and the location's zone come in the same statement (joins on
 * their primary keys), not one read per row. A local `{ date }` bound is the first
 * instant of that day in `timeZone` (`INVALID_INPUT` without one). Returned unexecuted
 * so a test can EXPLAIN it.
 *
 * @internal
 */
export function buildSessionListQuery(tx: SchedulingDb, input: z.output<typeof listSessionsSchema>, timeZone: string | undefined = input.timeZone) {
  const { from, until } = instantRangeIn(input, ['from', 'until'], timeZone);
  const filters: Array<SQL | undefined> = [
    input.locationId ? eq(sessions.locationId, input.locationId) : undefined,
    input.facilityId ? eq(sessions.facilityId, input.facilityId) : undefined,
    input.instructorId ? eq(sessions.instructorId, input.instructorId) : undefined,
    input.courseId ? eq(sessions.courseId, input.courseId) : undefined,
    input.sessionType ? eq(sessions.sessionType, input.sessionType) : undefined,
    input.status ? eq(sessions.status, input.status) : undefined,
    from ? gte(sessions.startTime, from) : undefined,
    until ? lt(sessions.startTime, until) : undefined,
    input.hasFreeSpots === true ? sql`${sessions.currentBookings} < ${sessions.capacity}` : undefined,
    input.hasFreeSpots === false ? sql`${sessions.currentBookings} >= ${sessions.capacity}` : undefined,
  ];
  return tx
    .select({
      session: sessions,
      instructor: { id: instructors.id, firstName: instructors.firstName, lastName: instructors.lastName },
      facility: { id: facilities.id, name: facilities.name },
      timeZone: locations.timezone,
    })
    .from(sessions)
    .leftJoin(instructors, eq(instructors.id, sessions.instructorId))
    .leftJoin(facilities, eq(facilities.id, sessions.facilityId))
    .innerJoin(locations, eq(locations.id, sessions.locationId))
    .where(and(...filters))
    .orderBy(asc(sessions.startTime), asc(sessions.id))
    .limit(input.limit)
    .offset(input.offset);
}

/**
 * Sessions matching the filters, ordered by start time: the timetable, which everyone
 * may read (`visibility.ts` withholds preparation notes and meeting links). Each row
 * also names its instructor (`instructor: { id, firstName, lastName }`, null when the
 * session has none; who teaches is public, `redactInstructor` applies) and its facility
 * (`facility: { id, name }`), and gives its times in its location's zone (`local`),
 * read in the same statement. Local `from`/`until` dates are read in `timeZone`, else
 * in the zone of `locationId` (read first).
 *
 * @internal
 */
export async function listSessions(tx: SchedulingDb, input: z.output<typeof listSessionsSchema>, actor: Actor) {
  const needsLocationZone = input.timeZone === undefined && input.locationId !== undefined && (isLocal(input.from) || isLocal(input.until));
  const timeZone = needsLocationZone ? (await loadLocation(tx, input.locationId!)).timezone : input.timeZone;
  const rows = await buildSessionListQuery(tx, input, timeZone);
  const viewer = await loadViewer(
    tx,
    actor,
    rows.map((row) => row.session),
  );
  return rows.map((row) => ({
    ...withLocalTimes(redactSession(viewer, row.session), row.timeZone),
    instructor: row.instructor && redactInstructor(viewer, row.instructor),
    // The facility is on every session (a NOT NULL foreign key); a left join keeps the row should that ever change.
    facility: row.facility,
  }));
}

/** One row of `sessions.list`. */
export type SessionListItem = Awaited<ReturnType<typeof listSessions>>[number];
