import { ACTIVE_WAITLIST_STATUSES } from '../../domain/statuses';
import { compareWaitlistEntries } from '../../domain/waitlist';
import { and, eq, inArray } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { sessionWaitlist, sessions, students } from '../../schema/unqualified';
import { requireAdministratorOrInstructor } from '../kernel/actor';
import { notFound } from '../kernel/lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from '../kernel/types';
import { loadViewer, redactEntryWithStudent, visibleRows } from '../kernel/visibility';
import type { listWaitlistSchema } from './inputs';

/**
 * A session's active queue (waiting, notified, offered) in the order promotion takes
 * it — priority score first, then position, then time added (`compareWaitlistEntries`),
 * which is position order unless an administrator set priorities — each entry with
 * its `rank` in that order (1-based) and its student's name and code, and the queue's
 * length. Rows follow `visibility.ts`: administrators and the session's instructor
 * see every entry (the instructor without the family's reply, `responseNotes`); a
 * parent or a student sees only their own family's entries, but the whole queue's
 * length (what joining would tell them anyway). Another instructor is `FORBIDDEN`,
 * as for the participant list. An offer past its deadline stays `offered` here until
 * `expireOffers` (or the next change of the queue) settles it: a read writes nothing.
 *
 * @internal
 */
export async function listWaitlist(tx: SchedulingDb, input: z.output<typeof listWaitlistSchema>, actor: Actor) {
  const [session] = await tx.select({ id: sessions.id, instructorId: sessions.instructorId }).from(sessions).where(eq(sessions.id, input.sessionId));
  if (!session) throw notFound('session', input.sessionId, ['sessionId']);
  if (actor.kind === 'instructor') requireAdministratorOrInstructor(actor, session.instructorId, 'see the waitlist of this session');
  const rows = await tx
    .select({
      entry: sessionWaitlist,
      student: { id: students.id, studentCode: students.studentId, firstName: students.firstName, lastName: students.lastName },
    })
    .from(sessionWaitlist)
    .innerJoin(students, eq(students.id, sessionWaitlist.studentId))
    .where(and(eq(sessionWaitlist.sessionId, session.id), inArray(sessionWaitlist.status, [...ACTIVE_WAITLIST_STATUSES])));
  const ranked = rows
    .map((row) => ({ ...row.entry, student: row.student }))
    .sort((a, b) => compareWaitlistEntries({ ...a, addedAt: a.addedAt ?? new Date(0) }, { ...b, addedAt: b.addedAt ?? new Date(0) }))
    .map((entry, index) => ({ ...entry, rank: index + 1 }));
  const viewer = await loadViewer(tx, actor, [session]);
  return {
    sessionId: session.id,
    /** Every active entry of the session, whether the actor sees it or not. */
    queueLength: ranked.length,
    entries: visibleRows(ranked, (entry) => redactEntryWithStudent(viewer, entry)),
  };
}

/** A session's queue as `waitlist.list` returns it. */
export type WaitlistQueue = Awaited<ReturnType<typeof listWaitlist>>;
