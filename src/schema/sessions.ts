import { type AnyPgColumn, boolean, check, decimal, index, integer, text, uuid, varchar } from 'drizzle-orm/pg-core';
import { SESSION_STATUSES, SESSION_TYPES } from '../domain/statuses';
import { sqlList } from '../db/sql-list';
import { sql } from 'drizzle-orm';
import { actingUserDefault, auditTimestamps, instant } from './namespace';
import type { AcademyNamespace, ReferencedTables } from './academy-namespace';

export { SESSION_TYPES, type SessionType } from '../domain/statuses';

export { SESSION_STATUSES, type SessionStatus } from '../domain/statuses';

/**
 * The sessions, in the namespace's schema; foreign keys point into `tables()`.
 *
 * @internal
 */
export function sessionTables<S extends string | undefined>(ns: AcademyNamespace<S>, tables: ReferencedTables) {
  const sessions = ns.table(
    'sessions',
    {
      id: uuid('id').primaryKey().defaultRandom(),
      sessionId: varchar('session_id', { length: 20 }).notNull().unique().default(ns.humanIdDefault('SES', 'session_code_seq')),

      programId: uuid('program_id')
        .notNull()
        .references(() => tables().programs.id, { onDelete: 'cascade' }),
      courseId: uuid('course_id')
        .notNull()
        .references(() => tables().courses.id, { onDelete: 'cascade' }),
      curriculumId: uuid('curriculum_id').references(() => tables().curricula.id, { onDelete: 'set null' }),
      levelId: uuid('level_id').references(() => tables().levels.id, { onDelete: 'set null' }),

      locationId: uuid('location_id')
        .notNull()
        .references(() => tables().locations.id, { onDelete: 'cascade' }),
      facilityId: uuid('facility_id')
        .notNull()
        .references(() => tables().facilities.id, { onDelete: 'cascade' }),
      instructorId: uuid('instructor_id').references(() => tables().instructors.id, { onDelete: 'set null' }),

      sessionType: varchar('session_type', { length: 20, enum: SESSION_TYPES }).notNull(),
      title: varchar('title', { length: 255 }).notNull(),
      description: text('description'),

      startTime: instant('start_time').notNull(),
      endTime: instant('end_time').notNull(),
      durationMinutes: integer('duration_minutes').generatedAlwaysAs(sql`EXTRACT(EPOCH FROM (end_time - start_time)) / 60`),

      capacity: integer('capacity').notNull(),
      minParticipants: integer('min_participants').default(1),
      // NOT NULL, unlike the reference: a NULL count would make every capacity check pass.
      currentBookings: integer('current_bookings').notNull().default(0),
      availableSpots: integer('available_spots').generatedAlwaysAs(sql`capacity - current_bookings`),

      status: varchar('status', { length: 20, enum: SESSION_STATUSES }).notNull().default('scheduled'),

      isRecurring: boolean('is_recurring').default(false),
      recurringPatternId: uuid('recurring_pattern_id').references(() => tables().recurringPatterns.id, { onDelete: 'set null' }),
      parentSessionId: uuid('parent_session_id').references((): AnyPgColumn => sessions.id, { onDelete: 'cascade' }),

      cancellationReason: text('cancellation_reason'),
      cancelledAt: instant('cancelled_at'),
      cancelledBy: uuid('cancelled_by').references(() => tables().users.id),

      specialRequirements: text('special_requirements'),
      equipmentNeeded: text('equipment_needed').array(),
      preparationNotes: text('preparation_notes'),

      sessionPrice: decimal('session_price', { precision: 10, scale: 2 }),
      discountPercentage: decimal('discount_percentage', { precision: 5, scale: 2 }).default('0.00'),

      ...auditTimestamps(),
      // NOT NULL as in the reference, whose sample INSERT omits it: it defaults to the acting user.
      createdBy: uuid('created_by')
        .notNull()
        .default(actingUserDefault)
        .references(() => tables().users.id),
      updatedBy: uuid('updated_by').references(() => tables().users.id),

      // "Schema Evolution" of the reference: added by migration 0002.
      virtualMeetingUrl: varchar('virtual_meeting_url', { length: 500 }),
      recordingEnabled: boolean('recording_enabled').default(false),
      maxWaitlistSize: integer('max_waitlist_size').default(10),

      // Migration 0010: the calendar SEQUENCE, raised by a trigger on every change of time, place or status.
      calendarSequence: integer('calendar_sequence').default(0).notNull(),
    },
    (t) => [
      check('chk_session_times', sql`${t.endTime} > ${t.startTime}`),
      // Not in the reference: bounds every overlap search to a 24-hour index range.
      check('chk_session_max_duration', sql`${t.endTime} - ${t.startTime} <= interval '24 hours'`),
      check('chk_session_capacity', sql`${t.capacity} > 0 AND ${t.capacity} <= 50`),
      check('chk_session_participants', sql`${t.minParticipants} >= 1 AND ${t.minParticipants} <= ${t.capacity}`),
      check('chk_session_bookings', sql`${t.currentBookings} >= 0 AND ${t.currentBookings} <= ${t.capacity}`),
      check('chk_session_price', sql`${t.sessionPrice} IS NULL OR ${t.sessionPrice} >= 0`),
      check('chk_session_discount', sql`${t.discountPercentage} IS NULL OR (${t.discountPercentage} >= 0 AND ${t.discountPercentage} <= 100)`),
      check('chk_session_type', sql`${t.sessionType} IN ${sqlList(SESSION_TYPES)}`),
      check('chk_session_waitlist_size', sql`${t.maxWaitlistSize} IS NULL OR ${t.maxWaitlistSize} >= 0`),
      check('chk_session_status', sql`${t.status} IN ${sqlList(SESSION_STATUSES)}`),

      index('idx_sessions_location_id').on(t.locationId),
      index('idx_sessions_instructor_id').on(t.instructorId),
      index('idx_sessions_start_time').on(t.startTime),
      index('idx_sessions_status').on(t.status),
      index('idx_sessions_session_type').on(t.sessionType),
      index('idx_sessions_availability').on(t.locationId, t.startTime, t.status, t.sessionType),
      index('idx_sessions_instructor_schedule').on(t.instructorId, t.startTime, t.status),
      // date_trunc on timestamptz is not immutable; truncating the UTC wall time is.
      index('idx_sessions_month').using('btree', sql`date_trunc('month', (start_time AT TIME ZONE 'UTC'))`),
      index('idx_sessions_date_range').on(t.startTime, t.endTime),
      // Not in the reference: the facility overlap check and the series/course look-ups.
      index('idx_sessions_facility_schedule').on(t.facilityId, t.startTime, t.status),
      index('idx_sessions_course_schedule').on(t.courseId, t.startTime),
      index('idx_sessions_recurring_pattern').on(t.recurringPatternId),
      index('idx_sessions_parent_session').on(t.parentSessionId),
    ],
  );

  return { sessions };
}
