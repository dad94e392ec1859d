import { and, eq, sql } from 'drizzle-orm';
import { sessionBookings } from '../../schema/unqualified';
import type { SchedulingDb } from '../../db/scheduling-db';

/** Booking ids a settlement moved: attended → `completed`, not attended → `no_show`. */
export interface Settlement {
  completed: string[];
  noShow: string[];
}

/**
 * Settles the confirmed bookings of a session that has just completed: students who
 * came (checked in, or marked present/late/partial) → `completed`; the others →
 * `no_show` (attendance `absent` unless recorded otherwise). The caller holds the
 * session lock; bookings are locked in id order, as a cancellation does.
 *
 * @internal
 */
export async function settleConfirmedBookings(tx: SchedulingDb, sessionId: string): Promise<Settlement> {
  const confirmedHere = and(eq(sessionBookings.sessionId, sessionId), eq(sessionBookings.bookingStatus, 'confirmed'));
  await tx.select({ id: sessionBookings.id }).from(sessionBookings).where(confirmedHere).orderBy(sessionBookings.id).for('update');
  const attended = sql`(${sessionBookings.checkedInAt} IS NOT NULL OR ${sessionBookings.attendanceStatus} IN ('present', 'late', 'partial'))`;
  const completed = await tx
    .update(sessionBookings)
    .set({ bookingStatus: 'completed', updatedAt: sql`now()` })
    .where(and(confirmedHere, attended))
    .returning({ id: sessionBookings.id });
  const noShow = await tx
    .update(sessionBookings)
    .set({ bookingStatus: 'no_show', attendanceStatus: sql`coalesce(${sessionBookings.attendanceStatus}, 'absent')`, updatedAt: sql`now()` })
    .where(confirmedHere)
    .returning({ id: sessionBookings.id });
  return { completed: completed.map((r) => r.id).sort(), noShow: noShow.map((r) => r.id).sort() };
}
