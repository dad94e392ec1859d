import type * as z from 'zod/mini';
import { type SchedulingDb } from '../../db/scheduling-db';
import { parents, sessionWaitlist, sessions, students } from '../../schema/unqualified';
import { DEFAULT_NOTIFICATION_METHOD } from '../places/waitlist-promotion';
import { claimNotificationsSchema } from './inputs';
import { and, asc, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';

/** One notification the host's mailer owes a family. */
export interface PendingNotification {
  /** The entry's uuid and code: pass either to `markSent`. */
  id: string;
  waitlistId: string;
  /** `offer`: a place is held until `responseDeadline`; `confirmed`: the student was booked in (auto mode). */
  kind: 'offer' | 'confirmed';
  method: string;
  responseDeadline: Date | null;
  /** When this claim was made (stored as `notified_at`). */
  claimedAt: Date;
  session: { id: string; code: string; title: string; startTime: Date; endTime: Date };
  student: { id: string; firstName: string; lastName: string };
  parent: { id: string; firstName: string; lastName: string; email: string | null; phone: string | null } | null;
}

/**
 * Claims up to `limit` pending notifications, exactly once at a time even with several
 * workers: rows are picked `FOR UPDATE SKIP LOCKED` and marked claimed (`notified_at` =
 * the scheduler's now) in the same transaction. Pending means: an open offer (deadline
 * not passed) or an automatic booking nobody has answered, not yet sent, and either
 * never claimed or claimed more than `leaseSeconds` ago (a lease, as change events
 * have: a worker that dies before `markSent` does not leave it claimed forever; the
 * next claim after the lease hands it out again).
 *
 * @internal
 */
export async function claimNotifications(tx: SchedulingDb, input: z.output<typeof claimNotificationsSchema>, now: Date): Promise<PendingNotification[]> {
  const w = sessionWaitlist;
  const picked = await tx
    .select({ id: w.id })
    .from(w)
    .where(
      and(
        or(isNull(w.notifiedAt), lte(w.notifiedAt, new Date(now.getTime() - input.leaseSeconds * 1000))),
        or(isNull(w.notificationSent), eq(w.notificationSent, false)),
        or(
          and(eq(w.status, 'offered'), or(isNull(w.responseDeadline), gt(w.responseDeadline, now))),
          and(eq(w.status, 'accepted'), isNull(w.responseReceivedAt)),
        ),
        input.method ? eq(w.notificationMethod, input.method) : undefined,
      ),
    )
    .orderBy(sql`${w.responseDeadline} ASC NULLS LAST`, asc(w.updatedAt), asc(w.id))
    .limit(input.limit)
    .for('update', { skipLocked: true });
  if (picked.length === 0) return [];
  const ids = picked.map((p) => p.id);
  await tx
    .update(w)
    .set({ notifiedAt: now, updatedAt: sql`now()` })
    .where(inArray(w.id, ids));
  const rows = await tx
    .select({ entry: w, session: sessions, student: students, parent: parents })
    .from(w)
    .innerJoin(sessions, eq(sessions.id, w.sessionId))
    .innerJoin(students, eq(students.id, w.studentId))
    .leftJoin(parents, eq(parents.id, w.parentId))
    .where(inArray(w.id, ids))
    .orderBy(sql`${w.responseDeadline} ASC NULLS LAST`, asc(w.updatedAt), asc(w.id));
  return rows.map(({ entry, session, student, parent }) => ({
    id: entry.id,
    waitlistId: entry.waitlistId,
    kind: entry.status === 'offered' ? 'offer' : 'confirmed',
    method: entry.notificationMethod ?? DEFAULT_NOTIFICATION_METHOD,
    responseDeadline: entry.responseDeadline,
    claimedAt: entry.notifiedAt!,
    session: { id: session.id, code: session.sessionId, title: session.title, startTime: session.startTime, endTime: session.endTime },
    student: { id: student.id, firstName: student.firstName, lastName: student.lastName },
    parent: parent ? { id: parent.id, firstName: parent.firstName, lastName: parent.lastName, email: parent.email, phone: parent.phone } : null,
  }));
}
