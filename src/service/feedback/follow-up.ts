import { eq, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { SchedulingError } from '../../errors';
import { sessionFeedback } from '../../schema/unqualified';
import type { FeedbackRow } from './submit';
import { notFound } from '../kernel/lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import { markFollowUpDoneSchema } from './inputs';

/**
 * Marks the follow-up a piece of feedback asked for as done. Feedback that needs no
 * follow-up, or whose follow-up is already done, is `INVALID_STATE`.
 *
 * @internal
 */
export async function markFollowUpDone(tx: SchedulingDb, input: z.output<typeof markFollowUpDoneSchema>): Promise<FeedbackRow> {
  const [row] = await tx.select().from(sessionFeedback).where(eq(sessionFeedback.id, input.feedbackId)).for('update');
  if (!row) throw notFound('feedback', input.feedbackId, ['feedbackId']);
  if (!row.requiresFollowUp || row.followUpCompleted) {
    const reason = row.requiresFollowUp ? 'already_done' : 'no_follow_up';
    throw new SchedulingError('INVALID_STATE', reason === 'already_done' ? 'The follow-up is already done' : 'This feedback needs no follow-up', {
      feedbackId: row.id,
      reason,
    });
  }
  const [updated] = await tx
    .update(sessionFeedback)
    .set({
      followUpCompleted: true,
      ...(input.notes ? { followUpNotes: row.followUpNotes ? `${row.followUpNotes}\n${input.notes}` : input.notes } : {}),
      updatedAt: sql`now()`,
    })
    .where(eq(sessionFeedback.id, row.id))
    .returning();
  return updated!;
}
