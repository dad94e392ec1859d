import { boolean, check, date, index, integer, text, unique, uuid, varchar } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { auditTimestamps } from './namespace';
import type { AcademyNamespace } from './academy-namespace';

/**
 * Locations, their facilities and holidays, in the namespace's schema.
 *
 * @internal
 */
export function locationTables<S extends string | undefined>(ns: AcademyNamespace<S>) {
  const locations = ns.table('locations', {
    id: uuid('id').primaryKey().defaultRandom(),
    code: varchar('code', { length: 50 }).notNull().unique(),
    name: varchar('name', { length: 255 }).notNull(),
    timezone: varchar('timezone', { length: 64 }).notNull().default('UTC'),
    address: text('address'),
    isActive: boolean('is_active').notNull().default(true),
    ...auditTimestamps(),
  });

  const facilities = ns.table(
    'facilities',
    {
      id: uuid('id').primaryKey().defaultRandom(),
      locationId: uuid('location_id')
        .notNull()
        .references(() => locations.id, { onDelete: 'cascade' }),
      code: varchar('code', { length: 50 }).notNull().unique(),
      name: varchar('name', { length: 255 }).notNull(),
      facilityType: varchar('facility_type', { length: 50 }),
      /** How many participants fit; a session's capacity may not exceed it. Null = unlimited. */
      capacity: integer('capacity'),
      /** How many sessions may run here at the same time (lanes of a pool, say). */
      maxConcurrentSessions: integer('max_concurrent_sessions').notNull().default(1),
      isActive: boolean('is_active').notNull().default(true),
      ...auditTimestamps(),
    },
    (t) => [
      index('idx_facilities_location').on(t.locationId),
      check('chk_facility_capacity', sql`${t.capacity} IS NULL OR ${t.capacity} > 0`),
      check('chk_facility_concurrency', sql`${t.maxConcurrentSessions} >= 1`),
    ],
  );

  const holidays = ns.table(
    'holidays',
    {
      id: uuid('id').primaryKey().defaultRandom(),
      locationId: uuid('location_id').references(() => locations.id, { onDelete: 'cascade' }),
      holidayDate: date('holiday_date').notNull(),
      name: varchar('name', { length: 255 }).notNull(),
      ...auditTimestamps(),
    },
    (t) => [unique('uk_holiday_location_date').on(t.locationId, t.holidayDate), index('idx_holidays_date').on(t.holidayDate)],
  );

  return { locations, facilities, holidays };
}
