import { textInput, uuidInput } from '../kernel/inputs';
import { z } from 'zod';

const ratingInput = z.number().int().min(1, 'a rating is 1 to 5').max(5, 'a rating is 1 to 5');

/**
 * Input of `feedback.averages`: exactly one of a session, an instructor or a course.
 *
 * @internal
 */
export const feedbackAveragesSchema = z
  .strictObject({ sessionId: uuidInput.optional(), instructorId: uuidInput.optional(), courseId: uuidInput.optional() })
  .refine((v) => [v.sessionId, v.instructorId, v.courseId].filter(Boolean).length === 1, {
    message: 'give exactly one of sessionId, instructorId, courseId',
    path: ['sessionId'],
  });

/** Input of `feedback.averages`. */
export type FeedbackAveragesInput = z.input<typeof feedbackAveragesSchema>;

/**
 * Input of `feedback.markFollowUpDone`: the feedback and, optionally, notes on what was done.
 *
 * @internal
 */
export const markFollowUpDoneSchema = z.strictObject({ feedbackId: uuidInput, notes: textInput.trim().min(1).optional() });

/**
 * Input of `feedback.submit`. Who is writing (student, parent, instructor, admin)
 * comes from the actor; a parent may name which of their children attended. At least
 * an overall rating or a text is required.
 *
 * @internal
 */
export const submitFeedbackSchema = z
  .strictObject({
    sessionId: uuidInput,
    studentId: uuidInput.optional(),
    overallRating: ratingInput.optional(),
    instructionQuality: ratingInput.optional(),
    facilityRating: ratingInput.optional(),
    contentRating: ratingInput.optional(),
    punctualityRating: ratingInput.optional(),
    communicationRating: ratingInput.optional(),
    safetyRating: ratingInput.optional(),
    feedbackText: textInput.trim().min(1).optional(),
    positiveAspects: textInput.optional(),
    areasForImprovement: textInput.optional(),
    requiresFollowUp: z.boolean().default(false),
    followUpNotes: textInput.optional(),
  })
  .refine((v) => v.overallRating !== undefined || v.feedbackText !== undefined, {
    message: 'feedback needs an overall rating or a text',
    path: ['overallRating'],
  });

/** Input of `feedback.submit`. */
export type SubmitFeedbackInput = z.input<typeof submitFeedbackSchema>;
