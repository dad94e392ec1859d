import { boolean, check, date, index, integer, text, time, uuid, varchar } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { auditTimestamps } from './namespace';
import type { AcademyNamespace, ReferencedTables } from './academy-namespace';

export const AVAILABILITY_TYPES = ['regular', 'temporary', 'exception'] as const;
export type AvailabilityType = (typeof AVAILABILITY_TYPES)[number];

/**
 * Instructor availability, in the namespace's schema; foreign keys point into `tables()`.
 *
 * @internal
 */
export function availabilityTables<S extends string | undefined>(ns: AcademyNamespace<S>, tables: ReferencedTables) {
  const instructorAvailability = ns.table(
    'instructor_availability',
    {
      id: uuid('id').primaryKey().defaultRandom(),
      instructorId: uuid('instructor_id')
        .notNull()
        .references(() => tables().instructors.id, { onDelete: 'cascade' }),
      availabilityType: varchar('availability_type', { length: 20, enum: AVAILABILITY_TYPES }).notNull(),
      dayOfWeek: integer('day_of_week'),
      startTime: time('start_time').notNull(),
      endTime: time('end_time').notNull(),
      locationId: uuid('location_id').references(() => tables().locations.id, { onDelete: 'cascade' }),
      facilityId: uuid('facility_id').references(() => tables().facilities.id, { onDelete: 'cascade' }),
      effectiveFrom: date('effective_from').notNull(),
      effectiveUntil: date('effective_until'),
      specificDate: date('specific_date'),
      breakDurationMinutes: integer('break_duration_minutes').default(0),
      breakStartTime: time('break_start_time'),
      maxConcurrentSessions: integer('max_concurrent_sessions').default(1),
      isActive: boolean('is_active').default(true),
      notes: text('notes'),
      ...auditTimestamps(),
      createdBy: uuid('created_by').references(() => tables().users.id),
    },
    (t) => [
      check('chk_availability_type', sql`${t.availabilityType} IN ('regular', 'temporary', 'exception')`),
      check('chk_availability_day', sql`${t.dayOfWeek} >= 0 AND ${t.dayOfWeek} <= 6`),
      check('chk_availability_times', sql`${t.endTime} > ${t.startTime}`),
      check('chk_availability_dates', sql`${t.effectiveUntil} IS NULL OR ${t.effectiveUntil} >= ${t.effectiveFrom}`),
      check(
        'chk_availability_context',
        sql`(${t.dayOfWeek} IS NOT NULL AND ${t.specificDate} IS NULL) OR (${t.dayOfWeek} IS NULL AND ${t.specificDate} IS NOT NULL)`,
      ),
      check('chk_availability_break', sql`${t.breakDurationMinutes} IS NULL OR ${t.breakDurationMinutes} >= 0`),
      check('chk_availability_concurrency', sql`${t.maxConcurrentSessions} IS NULL OR ${t.maxConcurrentSessions} >= 0`),
      index('idx_instructor_availability_instructor_id').on(t.instructorId),
      index('idx_instructor_availability_day').on(t.dayOfWeek),
      index('idx_instructor_availability_location').on(t.locationId),
      index('idx_instructor_availability_effective').on(t.effectiveFrom, t.effectiveUntil),
      index('idx_instructor_availability_schedule').on(t.instructorId, t.dayOfWeek, t.startTime),
      index('idx_instructor_availability_location_day').on(t.locationId, t.dayOfWeek),
      index('idx_instructor_availability_date_range').on(t.effectiveFrom, t.effectiveUntil),
    ],
  );

  return { instructorAvailability };
}
