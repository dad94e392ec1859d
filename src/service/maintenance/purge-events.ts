import type * as z from 'zod/mini';
import { sql } from 'drizzle-orm';
import { type SchedulingDb } from '../../db/scheduling-db';
import { queryRows } from '../../db/query';
import type { purgeEventsSchema } from './inputs';

/**
 * The retention job of the change events: deletes events older than `olderThanDays`
 * that no consumer still owes (pending, leased or dead events stay, whatever their age).
 * The only delete the append-only guard lets through: it turns
 * `scheduling.event_retention` on for this one statement (`SET LOCAL`, which on Citus
 * the scheduler's transactions forward to the worker where the guard runs).
 *
 * @internal
 */
export async function purgeEvents(tx: SchedulingDb, input: z.output<typeof purgeEventsSchema>) {
  // No try/finally: after a failed statement the transaction (or the { tx } call's
  // savepoint) rolls back, and the setting with it.
  await tx.execute(sql`SET LOCAL scheduling.event_retention = on`);
  const [purged] = await queryRows<{ n: number }>(
    tx,
    sql`WITH gone AS (
            DELETE FROM change_events e
            WHERE e.occurred_at < now() - make_interval(days => ${input.olderThanDays})
              AND NOT EXISTS (SELECT 1 FROM event_deliveries d WHERE d.event_id = e.id)
            RETURNING 1)
          SELECT count(*)::int AS n FROM gone`,
  );
  const [kept] = await queryRows<{ n: number }>(
    tx,
    sql`SELECT count(DISTINCT d.event_id)::int AS n FROM event_deliveries d JOIN change_events e ON e.id = d.event_id
          WHERE e.occurred_at < now() - make_interval(days => ${input.olderThanDays})`,
  );
  await tx.execute(sql`SET LOCAL scheduling.event_retention = off`);
  return { purged: purged?.n ?? 0, keptUnconsumed: kept?.n ?? 0 };
}
