import { check, integer, varchar } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { instant, scheduling } from './namespace';
import { SESSION_TYPES } from './sessions';

/**
 * The capacity policy the database enforces: one row per session type, read by the
 * `validate_session_capacity` trigger. Seeded with the domain's
 * `DEFAULT_CAPACITY_POLICY`; hosts change it through the scheduler so TypeScript and
 * the database never disagree.
 */
export const capacityPolicies = scheduling.table(
  'capacity_policies',
  {
    sessionType: varchar('session_type', { length: 20, enum: SESSION_TYPES }).primaryKey(),
    minCapacity: integer('min_capacity').notNull(),
    maxCapacity: integer('max_capacity').notNull(),
    updatedAt: instant('updated_at').defaultNow(),
  },
  (t) => [
    check('chk_capacity_policy_type', sql`${t.sessionType} IN ('group', 'private', 'school')`),
    check('chk_capacity_policy_range', sql`${t.minCapacity} >= 1 AND ${t.minCapacity} <= ${t.maxCapacity} AND ${t.maxCapacity} <= 50`),
  ],
);
