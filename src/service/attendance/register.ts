import { ATTENDANCE_BOOKING_STATUSES } from '../../domain/statuses';

import { and, asc, eq, inArray } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { sessionBookings, sessions, students } from '../../schema/unqualified';
import { requireAdministratorOrInstructor } from '../kernel/actor';
import { notFound } from '../kernel/lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from '../kernel/types';
import { loadViewer, redactBookingWithStudent, visibleRows } from '../kernel/visibility';
import type { registerSchema } from './inputs';

/**
 * A session's attendance register, before, during and after the class: every booking
 * of {@link ATTENDANCE_BOOKING_STATUSES}, by the student's last name, first name (then
 * id), with the student, the booking and attendance statuses, check-in and check-out
 * times, special requests and medical notes. For administrators and the session's
 * instructor (`FORBIDDEN` otherwise); rows as `visibility.ts` lets them see bookings
 * (no amounts are read).
 *
 * @internal
 */
export async function attendanceRegister(tx: SchedulingDb, input: z.output<typeof registerSchema>, actor: Actor) {
  const [session] = await tx
    .select({ id: sessions.id, instructorId: sessions.instructorId, status: sessions.status })
    .from(sessions)
    .where(eq(sessions.id, input.sessionId));
  if (!session) throw notFound('session', input.sessionId, ['sessionId']);
  requireAdministratorOrInstructor(actor, session.instructorId, 'see the attendance register of this session');
  const rows = await tx
    .select({
      id: sessionBookings.id,
      bookingId: sessionBookings.bookingId,
      sessionId: sessionBookings.sessionId,
      studentId: sessionBookings.studentId,
      bookingStatus: sessionBookings.bookingStatus,
      attendanceStatus: sessionBookings.attendanceStatus,
      checkedInAt: sessionBookings.checkedInAt,
      checkedOutAt: sessionBookings.checkedOutAt,
      specialRequests: sessionBookings.specialRequests,
      medicalNotes: sessionBookings.medicalNotes,
      student: { id: students.id, studentCode: students.studentId, firstName: students.firstName, lastName: students.lastName },
    })
    .from(sessionBookings)
    .innerJoin(students, eq(students.id, sessionBookings.studentId))
    .where(and(eq(sessionBookings.sessionId, session.id), inArray(sessionBookings.bookingStatus, [...ATTENDANCE_BOOKING_STATUSES])))
    .orderBy(asc(students.lastName), asc(students.firstName), asc(students.id));
  const viewer = await loadViewer(tx, actor, [session]);
  return visibleRows(rows, (row) => redactBookingWithStudent(viewer, row));
}

/** One row of `attendance.register`. */
export type AttendanceRegisterEntry = Awaited<ReturnType<typeof attendanceRegister>>[number];
