import { pgSchema, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * Every table lives in the Postgres schema `scheduling`, so our `users` never
 * collides with the host's and `SET search_path = scheduling` makes the reference
 * schema's SQL run as written.
 */
export const scheduling = pgSchema('scheduling');

/** Sequences behind the human-readable ids (`SES-2025-0001`, …). */
export const sessionCodeSeq = scheduling.sequence('session_code_seq');
export const bookingCodeSeq = scheduling.sequence('booking_code_seq');
export const waitlistCodeSeq = scheduling.sequence('waitlist_code_seq');
export const conflictCodeSeq = scheduling.sequence('conflict_code_seq');
export const studentCodeSeq = scheduling.sequence('student_code_seq');
export const parentCodeSeq = scheduling.sequence('parent_code_seq');

/**
 * `PREFIX-YYYY-NNNN` from a sequence: unique under concurrency without a counter
 * row that would serialize unrelated inserts. The `FM…0000` mask pads to four
 * digits but, unlike `lpad`, never truncates a fifth.
 */
export const humanIdDefault = (prefix: string, sequence: string) =>
  sql.raw(`('${prefix}-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' || to_char(nextval('scheduling.${sequence}'), 'FM999999999990000'))`);

/** An instant. Always `timestamptz`: the reference schema's `TIMESTAMP` loses the zone. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** `created_at` / `updated_at`, as every reference table has them. */
export const auditTimestamps = () => ({
  createdAt: instant('created_at').defaultNow(),
  updatedAt: instant('updated_at').defaultNow(),
});

/**
 * The user a transaction acts for, from the transaction-local setting
 * `scheduling.actor_id` that the scheduler sets (hosts writing SQL directly may set it
 * too). Used as the default of `created_by` and by triggers that record conflicts.
 */
export const actingUserDefault = sql`(nullif(current_setting('scheduling.actor_id', true), ''))::uuid`;
