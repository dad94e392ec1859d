import { PLANNED_SESSION_STATUSES, ACTIVE_WAITLIST_STATUSES } from '../../domain/statuses';
import { and, asc, eq, gte, inArray, lt } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { parentStudents, sessionBookings, sessionWaitlist, sessions, students } from '../../schema/unqualified';
import { requireAdministratorOrInstructor } from '../kernel/actor';
import { requireActsForStudent, requireParentOrAdministrator } from '../kernel/family-access';
import type { familyScheduleSchema, participantsSchema, upcomingSchema } from './inputs';
import { notFound, requireExisting } from '../kernel/lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from '../kernel/types';
import { loadViewer, redactBooking, redactEntry, redactSession, seenByActor } from '../kernel/visibility';

/**
 * The reference schema's "student's upcoming sessions", corrected: "now" is the
 * scheduler's clock (not the database's `NOW()`), the range is half-open
 * (`start_time >= from`), cancelled and completed sessions are left out (a postponed
 * one stays, with its status, because the place is still held), and the order is
 * stable (start time, then session id). Parents see their linked students, students
 * themselves, administrators anyone.
 *
 * @internal
 */
export async function upcomingForStudent(tx: SchedulingDb, input: z.output<typeof upcomingSchema>, actor: Actor, now: Date) {
  await requireActsForStudent(tx, actor, input.studentId, 'see this student\u2019s bookings');
  const rows = await tx
    .select({ session: sessions, booking: sessionBookings })
    .from(sessionBookings)
    .innerJoin(sessions, eq(sessions.id, sessionBookings.sessionId))
    .where(
      and(
        eq(sessionBookings.studentId, input.studentId),
        eq(sessionBookings.bookingStatus, 'confirmed'),
        gte(sessions.startTime, input.from ?? now),
        inArray(sessions.status, [...PLANNED_SESSION_STATUSES]),
      ),
    )
    .orderBy(asc(sessions.startTime), asc(sessions.id))
    .limit(input.limit);
  const viewer = await loadViewer(
    tx,
    actor,
    rows.map((r) => r.session),
  );
  return rows.map((r) => ({
    session: redactSession(viewer, r.session),
    booking: seenByActor(actor, redactBooking(viewer, r.booking), 'see this booking'),
  }));
}

/**
 * The reference schema's "session participant list": confirmed students by last
 * name, first name (then id, so namesakes keep a stable order), with booking and
 * check-in data. For administrators and the session's instructor.
 *
 * @internal
 */
export async function sessionParticipants(tx: SchedulingDb, input: z.output<typeof participantsSchema>, actor: Actor) {
  const [session] = await tx.select({ instructorId: sessions.instructorId }).from(sessions).where(eq(sessions.id, input.sessionId));
  if (!session) throw notFound('session', input.sessionId, ['sessionId']);
  requireAdministratorOrInstructor(actor, session.instructorId, 'see the participant list');
  return tx
    .select({
      studentId: students.id,
      studentCode: students.studentId,
      firstName: students.firstName,
      lastName: students.lastName,
      bookingId: sessionBookings.bookingId,
      bookingStatus: sessionBookings.bookingStatus,
      checkedInAt: sessionBookings.checkedInAt,
      attendanceStatus: sessionBookings.attendanceStatus,
      specialRequests: sessionBookings.specialRequests,
      medicalNotes: sessionBookings.medicalNotes,
    })
    .from(sessionBookings)
    .innerJoin(students, eq(students.id, sessionBookings.studentId))
    .where(and(eq(sessionBookings.sessionId, input.sessionId), eq(sessionBookings.bookingStatus, 'confirmed')))
    .orderBy(asc(students.lastName), asc(students.firstName), asc(students.id));
}

/**
 * A family's calendar: for every student linked to the parent, the confirmed
 * bookings and the active waitlist entries (waiting or offered) of sessions starting
 * in `[from, until)`, each list by start time. For that parent and administrators.
 *
 * @internal
 */
export async function familySchedule(tx: SchedulingDb, input: z.output<typeof familyScheduleSchema>, actor: Actor) {
  requireParentOrAdministrator(actor, input.parentId, 'see this family\u2019s schedule', ['parentId']);
  await requireExisting(tx, 'parent', [input.parentId], () => ['parentId']);
  const children = tx.select({ id: parentStudents.studentId }).from(parentStudents).where(eq(parentStudents.parentId, input.parentId));
  const inRange = and(gte(sessions.startTime, input.from), lt(sessions.startTime, input.until));
  const student = { id: students.id, firstName: students.firstName, lastName: students.lastName };
  const bookings = await tx
    .select({ student, session: sessions, booking: sessionBookings })
    .from(sessionBookings)
    .innerJoin(sessions, eq(sessions.id, sessionBookings.sessionId))
    .innerJoin(students, eq(students.id, sessionBookings.studentId))
    .where(and(inArray(sessionBookings.studentId, children), eq(sessionBookings.bookingStatus, 'confirmed'), inRange))
    .orderBy(asc(sessions.startTime), asc(students.lastName), asc(students.firstName), asc(students.id));
  const waitlist = await tx
    .select({ student, session: sessions, entry: sessionWaitlist })
    .from(sessionWaitlist)
    .innerJoin(sessions, eq(sessions.id, sessionWaitlist.sessionId))
    .innerJoin(students, eq(students.id, sessionWaitlist.studentId))
    .where(and(inArray(sessionWaitlist.studentId, children), inArray(sessionWaitlist.status, [...ACTIVE_WAITLIST_STATUSES]), inRange))
    .orderBy(asc(sessions.startTime), asc(students.lastName), asc(students.firstName), asc(students.id));
  const viewer = await loadViewer(
    tx,
    actor,
    [...bookings, ...waitlist].map((r) => r.session),
  );
  return {
    bookings: bookings.map((r) => ({
      student: r.student,
      session: redactSession(viewer, r.session),
      booking: seenByActor(actor, redactBooking(viewer, r.booking), 'see this booking'),
    })),
    waitlist: waitlist.map((r) => ({
      student: r.student,
      session: redactSession(viewer, r.session),
      entry: seenByActor(actor, redactEntry(viewer, r.entry), 'see this waitlist entry'),
    })),
  };
}
