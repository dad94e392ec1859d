import { requireAdministrator } from './actor';
import { feedbackAverages, feedbackAveragesSchema } from './feedback-averages';
import { markFollowUpDone, markFollowUpDoneSchema } from './feedback-follow-up';
import { submitFeedback, submitFeedbackSchema } from './feedback-submit';
import { defineOperation } from './operation';
import type { ServiceContext } from './service-context';

/**
 * `scheduler.feedback`: ratings and comments on completed sessions, follow-ups, and averages.
 *
 * @example
 * ```ts
 * const feedback = createFeedbackService(ctx);
 * await feedback.submit({ kind: 'student', studentId }, { sessionId, overallRating: 5, requiresFollowUp: true });
 * const { overall } = await feedback.averages(admin, { sessionId });
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
