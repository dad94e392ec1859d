import { requireAdministrator } from '../kernel/actor';
import { feedbackAverages } from './averages';
import { markFollowUpDone } from './follow-up';
import { submitFeedback } from './submit';
import { defineOperation } from '../kernel/operation';
import type { ServiceContext } from '../kernel/context';
import { feedbackAveragesSchema, markFollowUpDoneSchema, submitFeedbackSchema } from './inputs';

/**
 * `scheduler.feedback`: ratings and comments on completed sessions, follow-ups, and averages.
 *
 * @example
 * ```ts
 * await scheduler.feedback.submit({ kind: 'student', studentId }, { sessionId, overallRating: 5, requiresFollowUp: true });
 * const { overall } = await scheduler.feedback.averages(admin, { sessionId });
 * ```
 */
export function createFeedbackService(ctx: ServiceContext) {
  return {
    /** Records one piece of feedback from the acting participant, parent, instructor or admin. */
    submit: defineOperation(ctx, submitFeedbackSchema, (tx, input, actor) => submitFeedback(tx, input, actor)),
    /** Marks a requested follow-up as done (admins only). */
    markFollowUpDone: defineOperation(ctx, markFollowUpDoneSchema, (tx, input) => markFollowUpDone(tx, input), {
      authorize: (actor) => requireAdministrator(actor, 'complete feedback follow-ups'),
    }),
    /** Counts and averages of each rating per session, instructor or course. */
    averages: defineOperation(ctx, feedbackAveragesSchema, (tx, input, actor) => feedbackAverages(tx, input, actor)),
  };
}

/** `scheduler.feedback`. */
export type FeedbackService = ReturnType<typeof createFeedbackService>;
