import { check, customType, index, unique, uuid, varchar } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { actingUserDefault, instant } from './namespace';
import { sqlList } from '../db/sql-list';
import type { AcademyNamespace } from './academy-namespace';

/** The feeds a calendar token may name. */
export const CALENDAR_FEED_KINDS = ['student', 'parent', 'instructor', 'location', 'facility'] as const;
export type CalendarFeedKind = (typeof CALENDAR_FEED_KINDS)[number];

/** `bytea`, as a Uint8Array (a Buffer from the Node drivers). */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/**
 * Tokens of subscribable calendar feeds (migration 0010), in the namespace's schema:
 * only the SHA-256 of each token is stored, with the one feed it names.
 *
 * @internal
 */
export function calendarFeedTables<S extends string | undefined>(ns: AcademyNamespace<S>) {
  const calendarFeedTokens = ns.table(
    'calendar_feed_tokens',
    {
      id: uuid('id').primaryKey().defaultRandom(),
      tokenHash: bytea('token_hash').notNull(),
      feedKind: varchar('feed_kind', { length: 20, enum: CALENDAR_FEED_KINDS }).notNull(),
      subjectId: uuid('subject_id').notNull(),
      label: varchar('label', { length: 100 }),
      createdAt: instant('created_at').defaultNow().notNull(),
      createdBy: uuid('created_by').default(actingUserDefault),
      lastUsedAt: instant('last_used_at'),
      revokedAt: instant('revoked_at'),
      revokedBy: uuid('revoked_by'),
    },
    (t) => [
      unique('uk_calendar_feed_token_hash').on(t.tokenHash),
      check('chk_calendar_feed_kind', sql`${t.feedKind} IN ${sqlList(CALENDAR_FEED_KINDS)}`),
      check('chk_calendar_feed_token_hash', sql`octet_length(${t.tokenHash}) = 32`),
      index('idx_calendar_feed_tokens_subject').on(t.feedKind, t.subjectId),
    ],
  );

  return { calendarFeedTokens };
}
