import { requireExisting } from '../kernel/lookups';
import { type SQL, eq, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { queryRows } from '../../db/query';
import { sessions } from '../../schema/unqualified';
import { forbidden, isAdministrator, requireAdministratorOrInstructor } from '../kernel/actor';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from '../kernel/types';
import { feedbackAveragesSchema } from './inputs';

/** How many pieces of feedback rated one aspect, and their average (2 decimals; null when none did). */
export interface RatingAverage {
  count: number;
  average: number | null;
}

/** Rating averages over every piece of feedback in scope. */
export interface FeedbackAverages {
  feedbackCount: number;
  overall: RatingAverage;
  instructionQuality: RatingAverage;
  facility: RatingAverage;
  content: RatingAverage;
  punctuality: RatingAverage;
  communication: RatingAverage;
  safety: RatingAverage;
}

const ASPECTS = {
  overall: 'overall_rating',
  instructionQuality: 'instruction_quality',
  facility: 'facility_rating',
  content: 'content_rating',
  punctuality: 'punctuality_rating',
  communication: 'communication_rating',
  safety: 'safety_rating',
} as const;

/**
 * Counts and averages of each rating for a session, an instructor (the instructor
 * the feedback is about) or a course. Admins see everything; an instructor sees
 * their own figures and their own sessions'; others are `FORBIDDEN`.
 *
 * @internal
 */
export async function feedbackAverages(tx: SchedulingDb, input: z.output<typeof feedbackAveragesSchema>, actor: Actor): Promise<FeedbackAverages> {
  await authorizeAverages(tx, input, actor);
  if (input.sessionId) await requireExisting(tx, 'session', [input.sessionId], () => ['sessionId']);
  else if (input.instructorId) await requireExisting(tx, 'instructor', [input.instructorId], () => ['instructorId']);
  else await requireExisting(tx, 'course', [input.courseId!], () => ['courseId']);
  const scope: SQL = input.sessionId
    ? sql`f.session_id = ${input.sessionId}`
    : input.instructorId
      ? sql`f.instructor_id = ${input.instructorId}`
      : sql`s.course_id = ${input.courseId!}`;
  const columns = Object.entries(ASPECTS).map(
    ([key, column]) =>
      sql`, count(f.${sql.raw(column)})::int AS ${sql.raw(`"${key}_count"`)}, round(avg(f.${sql.raw(column)}), 2)::float8 AS ${sql.raw(`"${key}_avg"`)}`,
  );
  const [row] = await queryRows<Record<string, number | null>>(
    tx,
    sql`SELECT count(*)::int AS feedback_count ${sql.join(columns, sql``)}
        FROM session_feedback f JOIN sessions s ON s.id = f.session_id
        WHERE ${scope}`,
  );
  const result = { feedbackCount: Number(row!.feedback_count) } as FeedbackAverages;
  for (const key of Object.keys(ASPECTS) as Array<keyof typeof ASPECTS>) {
    const average = row![`${key}_avg`];
    result[key] = { count: Number(row![`${key}_count`]), average: average === null || average === undefined ? null : Number(average) };
  }
  return result;
}

/** Administrators read any figures; an instructor those of their sessions and their own; a course's are the administrators'. */
async function authorizeAverages(tx: SchedulingDb, input: z.output<typeof feedbackAveragesSchema>, actor: Actor) {
  const action = 'read these feedback figures';
  if (isAdministrator(actor)) return;
  if (input.courseId) throw forbidden(actor, action, 'administrators_only', ['courseId']);
  if (input.instructorId) return requireAdministratorOrInstructor(actor, input.instructorId, action, 'not_their_records');
  // Only an instructor can be the session's: nobody else costs a read.
  const [session] =
    actor.kind === 'instructor' && actor.instructorId && input.sessionId
      ? await tx.select({ instructorId: sessions.instructorId }).from(sessions).where(eq(sessions.id, input.sessionId))
      : [];
  requireAdministratorOrInstructor(actor, session?.instructorId, action);
}
