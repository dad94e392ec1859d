import { check, decimal, index, integer, text, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { instant } from './namespace';
import { CONFLICT_STATUSES, OPEN_CONFLICT_STATUSES } from '../domain/statuses';
import { sqlList } from '../db/sql-list';
import type { AcademyNamespace, ReferencedTables } from './academy-namespace';

export const CONFLICT_TYPES = ['instructor_double_booking', 'facility_overlap', 'student_conflict', 'capacity_exceeded', 'availability_mismatch'] as const;
export type ConflictType = (typeof CONFLICT_TYPES)[number];
export const CONFLICT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type ConflictSeverity = (typeof CONFLICT_SEVERITIES)[number];
export { CONFLICT_STATUSES, type ConflictStatus } from '../domain/statuses';
export const RESOLUTION_METHODS = ['session_moved', 'instructor_changed', 'capacity_increased', 'booking_cancelled', 'manual_override'] as const;
export type ResolutionMethod = (typeof RESOLUTION_METHODS)[number];

/**
 * Schedule conflicts, in the namespace's schema; foreign keys point into `tables()`.
 *
 * @internal
 */
export function conflictTables<S extends string | undefined>(ns: AcademyNamespace<S>, tables: ReferencedTables) {
  const scheduleConflicts = ns.table(
    'schedule_conflicts',
    {
      id: uuid('id').primaryKey().defaultRandom(),
      conflictId: varchar('conflict_id', { length: 20 }).notNull().unique().default(ns.humanIdDefault('CON', 'conflict_code_seq')),
      conflictType: varchar('conflict_type', { length: 50, enum: CONFLICT_TYPES }).notNull(),
      sessionId: uuid('session_id')
        .notNull()
        .references(() => tables().sessions.id, { onDelete: 'cascade' }),
      conflictingSessionId: uuid('conflicting_session_id').references(() => tables().sessions.id, { onDelete: 'cascade' }),
      instructorId: uuid('instructor_id').references(() => tables().instructors.id, { onDelete: 'set null' }),
      studentId: uuid('student_id').references(() => tables().students.id, { onDelete: 'set null' }),
      facilityId: uuid('facility_id').references(() => tables().facilities.id, { onDelete: 'set null' }),
      conflictDescription: text('conflict_description').notNull(),
      conflictTimeStart: instant('conflict_time_start'),
      conflictTimeEnd: instant('conflict_time_end'),
      severity: varchar('severity', { length: 20, enum: CONFLICT_SEVERITIES }).notNull(),
      status: varchar('status', { length: 20, enum: CONFLICT_STATUSES }).notNull().default('detected'),
      resolutionMethod: varchar('resolution_method', { length: 50, enum: RESOLUTION_METHODS }),
      resolutionNotes: text('resolution_notes'),
      affectedBookings: integer('affected_bookings').default(0),
      financialImpact: decimal('financial_impact', { precision: 10, scale: 2 }).default('0.00'),
      detectedAt: instant('detected_at').defaultNow(),
      acknowledgedAt: instant('acknowledged_at'),
      resolvedAt: instant('resolved_at'),
      detectedBy: uuid('detected_by').references(() => tables().users.id),
      resolvedBy: uuid('resolved_by').references(() => tables().users.id),
    },
    (t) => [
      check(
        'chk_conflict_type',
        sql`${t.conflictType} IN ('instructor_double_booking', 'facility_overlap', 'student_conflict', 'capacity_exceeded', 'availability_mismatch')`,
      ),
      check('chk_conflict_severity', sql`${t.severity} IN ('low', 'medium', 'high', 'critical')`),
      check('chk_conflict_status', sql`${t.status} IN ${sqlList(CONFLICT_STATUSES)}`),
      check(
        'chk_conflict_resolution_method',
        sql`${t.resolutionMethod} IN ('session_moved', 'instructor_changed', 'capacity_increased', 'booking_cancelled', 'manual_override')`,
      ),
      check('chk_conflict_resolution', sql`${t.resolvedAt} IS NULL OR ${t.resolvedAt} >= ${t.detectedAt}`),
      check('chk_conflict_acknowledgment', sql`${t.acknowledgedAt} IS NULL OR ${t.acknowledgedAt} >= ${t.detectedAt}`),
      index('idx_schedule_conflicts_session_id').on(t.sessionId),
      index('idx_schedule_conflicts_instructor_id').on(t.instructorId),
      index('idx_schedule_conflicts_status').on(t.status),
      index('idx_schedule_conflicts_severity').on(t.severity),
      index('idx_schedule_conflicts_conflicting_session').on(t.conflictingSessionId),
      // Not in the reference: the same open conflict is never stored twice.
      uniqueIndex('uk_schedule_conflicts_open')
        .using(
          'btree',
          t.conflictType,
          t.sessionId,
          sql`coalesce(conflicting_session_id, '00000000-0000-0000-0000-000000000000'::uuid)`,
          sql`coalesce(student_id, '00000000-0000-0000-0000-000000000000'::uuid)`,
        )
        .where(sql`status IN ${sqlList(OPEN_CONFLICT_STATUSES)}`),
    ],
  );

  return { scheduleConflicts };
}
