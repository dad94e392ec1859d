import { sql } from 'drizzle-orm';
import { capacityPolicies } from '../../schema/unqualified';
import type { CapacityPolicy } from '../../domain';
import type { SchedulingDb } from '../../db/scheduling-db';

const TYPES = ['group', 'private', 'school'] as const;

/**
 * Makes `capacity_policies` (what the capacity trigger reads) equal to
 * `policy` (what the TypeScript side checks). Writes only rows that differ, so the
 * usual case is one SELECT and no row locks. A change that would strand existing
 * sessions outside the new range is refused by the database (`CAPACITY_POLICY_VIOLATION`).
 *
 * @internal
 */
export async function syncCapacityPolicy(tx: SchedulingDb, policy: CapacityPolicy): Promise<void> {
  const rows = await tx.select().from(capacityPolicies);
  const stored = new Map(rows.map((r) => [r.sessionType, r]));
  for (const type of TYPES) {
    const want = policy[type];
    const have = stored.get(type);
    if (have && have.minCapacity === want.min && have.maxCapacity === want.max) continue;
    await tx
      .insert(capacityPolicies)
      .values({ sessionType: type, minCapacity: want.min, maxCapacity: want.max })
      .onConflictDoUpdate({
        target: capacityPolicies.sessionType,
        // The inserted row's default (now(), taken where the statement is planned): Citus refuses a
        // non-immutable function in DO UPDATE SET, which its worker would evaluate.
        set: { minCapacity: want.min, maxCapacity: want.max, updatedAt: sql`excluded.updated_at` },
      });
  }
}
