import { boolean, check, date, index, integer, text, unique, uuid, varchar } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { auditTimestamps, scheduling } from './namespace';

/** A site. Its IANA `timezone` is the zone every wall-clock time of its classes is read in. */
export const locations = scheduling.table('locations', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: varchar('code', { length: 50 }).notNull().unique(),
  name: varchar('name', { length: 255 }).notNull(),
  timezone: varchar('timezone', { length: 64 }).notNull().default('UTC'),
  address: text('address'),
  isActive: boolean('is_active').notNull().default(true),
  ...auditTimestamps(),
});

/** A room, pool or court at a location. */
export const facilities = scheduling.table(
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

/** Days without classes, for one location or (location null) the whole academy. */
export const holidays = scheduling.table(
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
