import { pgSchema, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { SCHEDULING_SCHEMA, humanIdDefaultIn } from './academy-namespace';

/**
 * Every table this entry exports lives in the Postgres schema `scheduling`, so our
 * `users` never collides with the host's and `SET search_path = scheduling` makes the
 * reference schema's SQL run as written. `academyTables(name)` builds the same tables
 * in another schema.
 */
export const scheduling = pgSchema(SCHEDULING_SCHEMA);

/**
 * `PREFIX-YYYY-NNNN` from a sequence of the schema `scheduling`: unique under
 * concurrency without a counter row that would serialize unrelated inserts. The
 * `FM…0000` mask pads to four digits but, unlike `lpad`, never truncates a fifth.
 */
export const humanIdDefault = (prefix: string, sequence: string) => humanIdDefaultIn(SCHEDULING_SCHEMA, prefix, sequence);

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
