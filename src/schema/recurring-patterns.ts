import { boolean, check, date, index, integer, jsonb, text, time, uuid, varchar } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { actingUserDefault, auditTimestamps } from './namespace';
import type { AcademyNamespace, ReferencedTables } from './academy-namespace';

export const PATTERN_TYPES = ['daily', 'weekly', 'biweekly', 'monthly', 'custom'] as const;
export type PatternType = (typeof PATTERN_TYPES)[number];

/**
 * The recurring patterns of series, in the namespace's schema; foreign keys point into `tables()`.
 *
 * @internal
 */
export function recurringPatternTables<S extends string | undefined>(ns: AcademyNamespace<S>, tables: ReferencedTables) {
  const recurringPatterns = ns.table(
    'recurring_patterns',
    {
      id: uuid('id').primaryKey().defaultRandom(),
      name: varchar('name', { length: 100 }).notNull(),
      description: text('description'),
      patternType: varchar('pattern_type', { length: 20, enum: PATTERN_TYPES }).notNull(),
      intervalValue: integer('interval_value').notNull().default(1),
      daysOfWeek: integer('days_of_week').array(),
      startDate: date('start_date').notNull(),
      endDate: date('end_date'),
      maxOccurrences: integer('max_occurrences'),
      startTime: time('start_time').notNull(),
      endTime: time('end_time').notNull(),
      skipHolidays: boolean('skip_holidays').default(true),
      exceptionDates: date('exception_dates').array(),
      customPattern: jsonb('custom_pattern'),
      isActive: boolean('is_active').default(true),
      ...auditTimestamps(),
      // NOT NULL as in the reference, whose sample INSERT omits it: it defaults to the acting user.
      createdBy: uuid('created_by')
        .notNull()
        .default(actingUserDefault)
        .references(() => tables().users.id),
    },
    (t) => [
      check('chk_pattern_type', sql`${t.patternType} IN ('daily', 'weekly', 'biweekly', 'monthly', 'custom')`),
      check(
        'chk_days_of_week',
        sql`array_length(${t.daysOfWeek}, 1) > 0 AND array_length(${t.daysOfWeek}, 1) <= 7 AND 0 <= ALL(${t.daysOfWeek}) AND 6 >= ALL(${t.daysOfWeek})`,
      ),
      check('chk_recurring_interval', sql`${t.intervalValue} >= 1`),
      check('chk_recurring_end_time', sql`${t.endTime} > ${t.startTime}`),
      check('chk_recurring_dates', sql`${t.endDate} IS NULL OR ${t.endDate} >= ${t.startDate}`),
      check('chk_recurring_occurrences', sql`${t.maxOccurrences} IS NULL OR ${t.maxOccurrences} > 0`),
      index('idx_recurring_patterns_active').on(t.isActive),
      index('idx_recurring_patterns_dates').on(t.startDate, t.endDate),
    ],
  );

  return { recurringPatterns };
}
