import { and, eq, inArray } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { SchedulingError } from '../../errors';
import { constraintOf, findDriverError } from '../../db/database-errors';
import { type FeedbackSource, parentStudents, sessionBookings, sessionFeedback, sessions } from '../../schema/unqualified';
import { forbidden, requireAdministratorOrInstructor, requireUserId } from '../kernel/actor';
import { notFound } from '../kernel/lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from '../kernel/types';
import { submitFeedbackSchema } from './inputs';

/** A feedback row as Drizzle returns it. */
export type FeedbackRow = typeof sessionFeedback.$inferSelect;

/** Who wrote a piece of feedback, as the unique index `uk_session_feedback_author` sees it. */
interface Author {
  source: FeedbackSource;
  studentId: string | null;
  parentId: string | null;
}

// A participant is someone whose place was taken up: confirmed (not yet settled) or completed.
const PARTICIPATED = ['confirmed', 'completed'] as const;

/**
 * Records feedback on a completed session (`INVALID_STATE` otherwise) from a
 * participant, a parent of one, the session's instructor or an admin (`FORBIDDEN`
 * for anyone else). Each person gives one piece per session and source: a second
 * is `INVALID_STATE` with `details.reason = 'duplicate'`, decided by the unique index
 * so that two racing submissions cannot both pass.
 *
 * @internal
 */
export async function submitFeedback(tx: SchedulingDb, input: z.output<typeof submitFeedbackSchema>, actor: Actor): Promise<FeedbackRow> {
  const [session] = await tx.select().from(sessions).where(eq(sessions.id, input.sessionId));
  if (!session) throw notFound('session', input.sessionId, ['sessionId']);
  const author = await resolveAuthor(tx, actor, session, input.studentId);
  if (session.status !== 'completed') {
    throw new SchedulingError('INVALID_STATE', `Feedback is given on a completed session; ${session.sessionId} is ${session.status}`, {
      sessionId: session.id,
      sessionStatus: session.status,
      reason: 'not_completed',
    });
  }
  const { sessionId, studentId: _ignored, ...fields } = input;
  try {
    const [row] = await tx
      .insert(sessionFeedback)
      .values({
        ...fields,
        sessionId,
        feedbackSource: author.source,
        studentId: author.studentId,
        parentId: author.parentId,
        // The instructor the feedback is about (and, for instructor feedback, its author).
        instructorId: session.instructorId,
        submittedBy: actor.userId ?? null,
      })
      .returning();
    return row!;
  } catch (error) {
    const driver = findDriverError(error);
    if (driver?.code === '23505' && constraintOf(driver) === 'uk_session_feedback_author') {
      throw new SchedulingError(
        'INVALID_STATE',
        'This person has already given feedback on this session',
        { sessionId, feedbackSource: author.source, reason: 'duplicate' },
        { cause: error },
      );
    }
    throw error;
  }
}

async function resolveAuthor(
  tx: SchedulingDb,
  actor: Actor,
  session: { id: string; instructorId: string | null },
  studentId: string | undefined,
): Promise<Author> {
  const action = 'give feedback on this session';
  switch (actor.kind) {
    case 'admin':
    case 'system':
      // The unique index keys admin feedback on submitted_by: without a user it would not hold.
      requireUserId(actor);
      return { source: 'admin', studentId: null, parentId: null };
    case 'instructor':
      requireAdministratorOrInstructor(actor, session.instructorId, action);
      return { source: 'instructor', studentId: null, parentId: null };
    case 'student':
      if (!actor.studentId) throw forbidden(actor, action, 'actor_id_missing');
      if (studentId && studentId !== actor.studentId) throw forbidden(actor, action, 'not_this_student');
      if ((await participants(tx, session.id, [actor.studentId])).length === 0) throw forbidden(actor, action, 'not_a_participant');
      return { source: 'student', studentId: actor.studentId, parentId: null };
    case 'parent': {
      if (!actor.parentId) throw forbidden(actor, action, 'actor_id_missing');
      const children = await tx.select({ studentId: parentStudents.studentId }).from(parentStudents).where(eq(parentStudents.parentId, actor.parentId));
      if (studentId && !children.some((c) => c.studentId === studentId)) throw forbidden(actor, action, 'not_linked_to_student');
      const candidates = children.map((c) => c.studentId).filter((id) => !studentId || id === studentId);
      const attended = await participants(tx, session.id, candidates);
      if (attended.length === 0) throw forbidden(actor, action, 'not_a_participant');
      return { source: 'parent', studentId: attended[0]!, parentId: actor.parentId };
    }
  }
}

/** Those of `studentIds` who took part in the session, sorted. */
async function participants(tx: SchedulingDb, sessionId: string, studentIds: string[]): Promise<string[]> {
  if (studentIds.length === 0) return [];
  const rows = await tx
    .select({ studentId: sessionBookings.studentId })
    .from(sessionBookings)
    .where(
      and(eq(sessionBookings.sessionId, sessionId), inArray(sessionBookings.studentId, studentIds), inArray(sessionBookings.bookingStatus, [...PARTICIPATED])),
    );
  return rows.map((r) => r.studentId).sort();
}
