import { textInput, uuidInput } from '../kernel/inputs';
import * as z from 'zod/mini';

// Each schema is built on its first parse (`z.lazy`), not when the package is imported: a call needs one or two.

/**
 * Input of `feedback.averages`: exactly one of a session, an instructor or a course.
 *
 * @internal
 */
export const feedbackAveragesSchema = z.lazy(() =>
  z.strictObject({ sessionId: z.optional(uuidInput), instructorId: z.optional(uuidInput), courseId: z.optional(uuidInput) }).check(
    z.refine((v) => [v.sessionId, v.instructorId, v.courseId].filter(Boolean).length === 1, {
      message: 'give exactly one of sessionId, instructorId, courseId',
      path: ['sessionId'],
    }),
  ),
);

/** Input of `feedback.averages`. */
export type FeedbackAveragesInput = z.input<typeof feedbackAveragesSchema>;

/**
 * Input of `feedback.markFollowUpDone`: the feedback and, optionally, notes on what was done.
 *
 * @internal
 */
export const markFollowUpDoneSchema = z.lazy(() => z.strictObject({ feedbackId: uuidInput, notes: z.optional(textInput.check(z.trim(), z.minLength(1))) }));

/**
 * Input of `feedback.submit`. Who is writing (student, parent, instructor, admin)
 * comes from the actor; a parent may name which of their children attended. At least
 * an overall rating or a text is required.
 *
 * @internal
 */
export const submitFeedbackSchema = z.lazy(() => {
  const rating = z.int().check(z.gte(1, 'a rating is 1 to 5'), z.lte(5, 'a rating is 1 to 5'));
  return z
    .strictObject({
      sessionId: uuidInput,
      studentId: z.optional(uuidInput),
      overallRating: z.optional(rating),
      instructionQuality: z.optional(rating),
      facilityRating: z.optional(rating),
      contentRating: z.optional(rating),
      punctualityRating: z.optional(rating),
      communicationRating: z.optional(rating),
      safetyRating: z.optional(rating),
      feedbackText: z.optional(textInput.check(z.trim(), z.minLength(1))),
      positiveAspects: z.optional(textInput),
      areasForImprovement: z.optional(textInput),
      requiresFollowUp: z._default(z.boolean(), false),
      followUpNotes: z.optional(textInput),
    })
    .check(
      z.refine((v) => v.overallRating !== undefined || v.feedbackText !== undefined, {
        message: 'feedback needs an overall rating or a text',
        path: ['overallRating'],
      }),
    );
});

/** Input of `feedback.submit`. */
export type SubmitFeedbackInput = z.input<typeof submitFeedbackSchema>;
