import { boolean, check, index, integer, text, unique, uuid, varchar } from 'drizzle-orm/pg-core';
import { WAITLIST_STATUSES } from '../domain/statuses';
import { sqlList } from '../db/sql-list';
import { sql } from 'drizzle-orm';
import { instant } from './namespace';
import type { AcademyNamespace, ReferencedTables } from './academy-namespace';

export { WAITLIST_STATUSES, type WaitlistStatus } from '../domain/statuses';
export const NOTIFICATION_METHODS = ['email', 'sms', 'app_push', 'phone_call'] as const;
export type NotificationMethod = (typeof NOTIFICATION_METHODS)[number];

/**
 * Session waitlists, in the namespace's schema; foreign keys point into `tables()`.
 *
 * @internal
 */
export function waitlistTables<S extends string | undefined>(ns: AcademyNamespace<S>, tables: ReferencedTables) {
  const sessionWaitlist = ns.table(
    'session_waitlist',
    {
      id: uuid('id').primaryKey().defaultRandom(),
      waitlistId: varchar('waitlist_id', { length: 20 }).notNull().unique().default(ns.humanIdDefault('WLT', 'waitlist_code_seq')),
      sessionId: uuid('session_id')
        .notNull()
        .references(() => tables().sessions.id, { onDelete: 'cascade' }),
      studentId: uuid('student_id')
        .notNull()
        .references(() => tables().students.id, { onDelete: 'cascade' }),
      parentId: uuid('parent_id').references(() => tables().parents.id, { onDelete: 'set null' }),
      position: integer('position').notNull(),
      priorityScore: integer('priority_score').default(0),
      addedAt: instant('added_at').defaultNow(),
      notifiedAt: instant('notified_at'),
      responseDeadline: instant('response_deadline'),
      expiresAt: instant('expires_at'),
      status: varchar('status', { length: 20, enum: WAITLIST_STATUSES }).notNull().default('waiting'),
      notificationMethod: varchar('notification_method', { length: 20, enum: NOTIFICATION_METHODS }),
      notificationSent: boolean('notification_sent').default(false),
      responseReceivedAt: instant('response_received_at'),
      responseNotes: text('response_notes'),
      createdAt: instant('created_at').defaultNow(),
      updatedAt: instant('updated_at').defaultNow(),
    },
    (t) => [
      unique('uk_session_waitlist').on(t.sessionId, t.studentId),
      check('chk_waitlist_status', sql`${t.status} IN ${sqlList(WAITLIST_STATUSES)}`),
      check('chk_notification_method', sql`${t.notificationMethod} IN ('email', 'sms', 'app_push', 'phone_call')`),
      check('chk_waitlist_position', sql`${t.position} > 0`),
      check('chk_waitlist_expiry', sql`${t.expiresAt} IS NULL OR ${t.expiresAt} > ${t.addedAt}`),
      index('idx_session_waitlist_session_id').on(t.sessionId),
      index('idx_session_waitlist_student_id').on(t.studentId),
      index('idx_session_waitlist_position').on(t.position),
      index('idx_session_waitlist_status').on(t.status),
      index('idx_session_waitlist_priority').on(t.sessionId, t.position, t.status),
      index('idx_session_waitlist_student_priority').on(t.studentId, t.status, t.addedAt),
      // Not in the reference: offer expiry and notification claiming scan only live rows.
      index('idx_session_waitlist_offer_deadline')
        .on(t.responseDeadline)
        .where(sql`status = 'offered'`),
    ],
  );

  return { sessionWaitlist };
}
