import { type AnyPgColumn, boolean, check, index, integer, text, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { auditTimestamps } from './namespace';
import type { AcademyNamespace, ReferencedTables } from './academy-namespace';

export const FEEDBACK_SOURCES = ['student', 'parent', 'instructor', 'admin'] as const;
export type FeedbackSource = (typeof FEEDBACK_SOURCES)[number];

const rating = (name: string) => integer(name);
const ratingCheck = (name: string, column: AnyPgColumn) => check(name, sql`${column} >= 1 AND ${column} <= 5`);

/**
 * Session feedback, in the namespace's schema; foreign keys point into `tables()`.
 *
 * @internal
 */
export function feedbackTables<S extends string | undefined>(ns: AcademyNamespace<S>, tables: ReferencedTables) {
  const sessionFeedback = ns.table(
    'session_feedback',
    {
      id: uuid('id').primaryKey().defaultRandom(),
      sessionId: uuid('session_id')
        .notNull()
        .references(() => tables().sessions.id, { onDelete: 'cascade' }),
      studentId: uuid('student_id').references(() => tables().students.id, { onDelete: 'set null' }),
      parentId: uuid('parent_id').references(() => tables().parents.id, { onDelete: 'set null' }),
      instructorId: uuid('instructor_id').references(() => tables().instructors.id, { onDelete: 'set null' }),
      feedbackSource: varchar('feedback_source', { length: 20, enum: FEEDBACK_SOURCES }).notNull(),
      overallRating: rating('overall_rating'),
      instructionQuality: rating('instruction_quality'),
      facilityRating: rating('facility_rating'),
      contentRating: rating('content_rating'),
      feedbackText: text('feedback_text'),
      positiveAspects: text('positive_aspects'),
      areasForImprovement: text('areas_for_improvement'),
      punctualityRating: rating('punctuality_rating'),
      communicationRating: rating('communication_rating'),
      safetyRating: rating('safety_rating'),
      requiresFollowUp: boolean('requires_follow_up').default(false),
      followUpNotes: text('follow_up_notes'),
      followUpCompleted: boolean('follow_up_completed').default(false),
      ...auditTimestamps(),
      // Not in the reference: who wrote it, so admin feedback has an author too.
      submittedBy: uuid('submitted_by').references(() => tables().users.id, { onDelete: 'set null' }),
    },
    (t) => [
      check('chk_feedback_source', sql`${t.feedbackSource} IN ('student', 'parent', 'instructor', 'admin')`),
      ratingCheck('chk_feedback_overall_rating', t.overallRating),
      ratingCheck('chk_feedback_instruction_quality', t.instructionQuality),
      ratingCheck('chk_feedback_facility_rating', t.facilityRating),
      ratingCheck('chk_feedback_content_rating', t.contentRating),
      ratingCheck('chk_feedback_punctuality_rating', t.punctualityRating),
      ratingCheck('chk_feedback_communication_rating', t.communicationRating),
      ratingCheck('chk_feedback_safety_rating', t.safetyRating),
      check('chk_feedback_has_rating', sql`${t.overallRating} IS NOT NULL OR ${t.feedbackText} IS NOT NULL`),
      index('idx_session_feedback_session').on(t.sessionId),
      index('idx_session_feedback_instructor').on(t.instructorId),
      // One piece of feedback per source and person per session.
      uniqueIndex('uk_session_feedback_author').using(
        'btree',
        t.sessionId,
        t.feedbackSource,
        sql`(CASE feedback_source WHEN 'student' THEN student_id WHEN 'parent' THEN parent_id WHEN 'instructor' THEN instructor_id ELSE submitted_by END)`,
      ),
    ],
  );

  return { sessionFeedback };
}
