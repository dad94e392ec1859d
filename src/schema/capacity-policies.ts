import { check, integer, varchar } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { instant } from './namespace';
import { SESSION_TYPES } from './sessions';
import type { AcademyNamespace } from './academy-namespace';

/**
 * The capacity policy table, in the namespace's schema.
 *
 * @internal
 */
export function capacityPolicyTables<S extends string | undefined>(ns: AcademyNamespace<S>) {
  const capacityPolicies = ns.table(
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

  return { capacityPolicies };
}
