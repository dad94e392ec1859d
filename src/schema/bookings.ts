import { type AnyPgColumn, type PgUUIDBuilderInitial, boolean, check, decimal, index, integer, text, unique, uuid, varchar } from 'drizzle-orm/pg-core';
import { type NotNull, sql } from 'drizzle-orm';
import { instant } from './namespace';
import { BOOKING_STATUSES } from '../domain/statuses';
import { sqlList } from '../db/sql-list';
import type { AcademyNamespace, ReferencedTables } from './academy-namespace';

export { BOOKING_STATUSES, type BookingStatus } from '../domain/statuses';
export const CANCELLATION_TYPES = ['student', 'instructor', 'academy', 'emergency'] as const;
export type CancellationType = (typeof CANCELLATION_TYPES)[number];
export const ATTENDANCE_STATUSES = ['present', 'absent', 'late', 'partial'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/**
 * The columns of a booking, shared by `session_bookings` and its archive so that the
 * reference schema's `INSERT INTO session_bookings_archive SELECT * FROM
 * session_bookings` lines up column for column. The archive keeps no foreign keys:
 * archived rows outlive the sessions and students they refer to.
 */
const bookingColumnsAfterIds = (tables: ReferencedTables, withReferences: boolean) => {
  const ref = <T extends PgUUIDBuilderInitial<string> | NotNull<PgUUIDBuilderInitial<string>>>(
    column: T,
    target: () => AnyPgColumn,
    onDelete?: 'cascade' | 'set null',
  ): T => (withReferences ? (column.references(target, onDelete ? { onDelete } : {}) as T) : column);
  return {
    sessionId: ref(uuid('session_id').notNull(), () => tables().sessions.id, 'cascade'),
    studentId: ref(uuid('student_id').notNull(), () => tables().students.id, 'cascade'),
    parentId: ref(uuid('parent_id'), () => tables().parents.id, 'set null'),
    bookingStatus: varchar('booking_status', { length: 20, enum: BOOKING_STATUSES }).notNull().default('confirmed'),
    bookingDate: instant('booking_date').defaultNow(),
    bookingSource: varchar('booking_source', { length: 50 }).default('admin'),
    cancellationDate: instant('cancellation_date'),
    cancellationReason: text('cancellation_reason'),
    cancellationType: varchar('cancellation_type', { length: 20, enum: CANCELLATION_TYPES }),
    checkedInAt: instant('checked_in_at'),
    checkedOutAt: instant('checked_out_at'),
    attendanceStatus: varchar('attendance_status', { length: 20, enum: ATTENDANCE_STATUSES }),
    sessionCreditsUsed: integer('session_credits_used').default(1),
    isMakeupSession: boolean('is_makeup_session').default(false),
    originalSessionId: ref(uuid('original_session_id'), () => tables().sessions.id),
    amountCharged: decimal('amount_charged', { precision: 10, scale: 2 }),
    discountApplied: decimal('discount_applied', { precision: 10, scale: 2 }).default('0.00'),
    specialRequests: text('special_requests'),
    medicalNotes: text('medical_notes'),
    createdAt: instant('created_at').defaultNow(),
    updatedAt: instant('updated_at').defaultNow(),
    createdBy: ref(uuid('created_by'), () => tables().users.id),
    // "Schema Evolution" of the reference: added by migration 0002, to both tables.
    paymentStatus: varchar('payment_status', { length: 20 }).default('unpaid'),
    bookingNotes: text('booking_notes'),
  };
};

/**
 * Bookings and their archive, in the namespace's schema; foreign keys point into `tables()`.
 *
 * @internal
 */
export function bookingTables<S extends string | undefined>(ns: AcademyNamespace<S>, tables: ReferencedTables) {
  const sessionBookings = ns.table(
    'session_bookings',
    {
      id: uuid('id').primaryKey().defaultRandom(),
      bookingId: varchar('booking_id', { length: 20 }).notNull().unique().default(ns.humanIdDefault('BKG', 'booking_code_seq')),
      ...bookingColumnsAfterIds(tables, true),
    },
    (t) => [
      unique('uk_session_booking').on(t.sessionId, t.studentId),
      check('chk_booking_status', sql`${t.bookingStatus} IN ${sqlList(BOOKING_STATUSES)}`),
      check('chk_cancellation_type', sql`${t.cancellationType} IN ('student', 'instructor', 'academy', 'emergency')`),
      check('chk_attendance_status', sql`${t.attendanceStatus} IN ('present', 'absent', 'late', 'partial')`),
      check('chk_booking_times', sql`${t.checkedOutAt} IS NULL OR ${t.checkedInAt} IS NULL OR ${t.checkedOutAt} >= ${t.checkedInAt}`),
      check('chk_cancellation_date', sql`${t.cancellationDate} IS NULL OR ${t.cancellationDate} >= ${t.bookingDate}`),
      check('chk_booking_credits', sql`${t.sessionCreditsUsed} IS NULL OR ${t.sessionCreditsUsed} >= 0`),
      index('idx_session_bookings_session_id').on(t.sessionId),
      index('idx_session_bookings_student_id').on(t.studentId),
      index('idx_session_bookings_parent_id').on(t.parentId),
      index('idx_session_bookings_status').on(t.bookingStatus),
      index('idx_session_bookings_date').on(t.bookingDate),
      index('idx_session_bookings_student_status').on(t.studentId, t.bookingStatus),
      index('idx_session_bookings_session_status').on(t.sessionId, t.bookingStatus),
      index('idx_session_bookings_month').using('btree', sql`date_trunc('month', (booking_date AT TIME ZONE 'UTC'))`),
      // Not in the reference: makeups look up the session they replace.
      index('idx_session_bookings_original_session').on(t.originalSessionId),
    ],
  );

  const sessionBookingsArchive = ns.table(
    'session_bookings_archive',
    {
      id: uuid('id').primaryKey().defaultRandom(),
      bookingId: varchar('booking_id', { length: 20 }).notNull(),
      ...bookingColumnsAfterIds(tables, false),
    },
    (t) => [index('idx_session_bookings_archive_student').on(t.studentId), index('idx_session_bookings_archive_session').on(t.sessionId)],
  );

  return { sessionBookings, sessionBookingsArchive };
}
