import type * as z from 'zod/mini';
import { asc, inArray, sql } from 'drizzle-orm';
import { type SchedulingDb } from '../../db/scheduling-db';
import { queryRows } from '../../db/query';
import { changeEvents } from '../../schema/unqualified';
import { type ChangeEvent, toChangeEvent } from './change-event';
import { requireConsumer } from './consumers';
import type { claimEventsSchema } from './inputs';

/** What one claim hands a consumer: events leased to it until `leasedUntil`. */
export interface EventClaim {
  /** Pass it back to `events.ack` / `events.fail`: only the holder of the lease settles its events. */
  leaseId: string;
  leasedUntil: Date;
  /** Oldest due first; at most one event per entity (the next comes once this one is acknowledged). */
  events: Array<ChangeEvent & { attempt: number }>;
}

/**
 * Leases up to `limit` due events to `consumer`: deliveries that are pending, or leased
 * under a lease that has run out, and that are the earliest the consumer still owes of
 * their entity (so an entity's events go out one at a time, in order). Rows are picked
 * `FOR UPDATE SKIP LOCKED`, so workers claiming side by side never get the same event.
 * A delivery whose lease ran out counts as a failed attempt: once `maxAttempts` are
 * used up it goes to the dead letters instead of out again. Times are the database's
 * clock, which every worker shares.
 *
 * @internal
 */
export async function claimEvents(tx: SchedulingDb, input: z.output<typeof claimEventsSchema>): Promise<EventClaim> {
  const maxAttempts = await requireConsumer(tx, input.consumer);
  const leaseId = crypto.randomUUID();
  // Leases that ran out with no attempt left: dead letters.
  await tx.execute(
    sql`UPDATE event_deliveries SET state = 'dead', lease_id = NULL, last_error = coalesce(last_error, 'lease expired')
        WHERE consumer = ${input.consumer} AND state = 'leased' AND available_at <= now() AND attempts >= ${maxAttempts}`,
  );
  const leased = await queryRows<{ event_id: string; attempts: number; leased_until: Date | string }>(
    tx,
    sql`WITH due AS (
          SELECT d.entity_id, d.entity_version
          FROM event_deliveries d
          WHERE d.consumer = ${input.consumer} AND d.state <> 'dead' AND d.available_at <= now()
            AND NOT EXISTS (
              SELECT 1 FROM event_deliveries e
              WHERE e.consumer = d.consumer AND e.entity_id = d.entity_id AND e.entity_version < d.entity_version AND e.state <> 'dead')
          ORDER BY d.available_at, d.entity_version
          LIMIT ${input.limit}
          FOR UPDATE OF d SKIP LOCKED)
        UPDATE event_deliveries d
        SET state = 'leased', lease_id = ${leaseId}, attempts = d.attempts + 1,
            available_at = now() + make_interval(secs => ${input.leaseSeconds})
        FROM due
        WHERE d.consumer = ${input.consumer} AND d.entity_id = due.entity_id AND d.entity_version = due.entity_version
        RETURNING d.event_id, d.attempts, d.available_at AS leased_until`,
  );
  const [clock] = await queryRows<{ until: Date | string }>(tx, sql`SELECT now() + make_interval(secs => ${input.leaseSeconds}) AS until`);
  const leasedUntil = new Date(clock!.until);
  if (leased.length === 0) return { leaseId, leasedUntil, events: [] };
  const attempts = new Map(leased.map((l) => [l.event_id, l.attempts]));
  const rows = await tx
    .select()
    .from(changeEvents)
    .where(
      inArray(
        changeEvents.id,
        leased.map((l) => l.event_id),
      ),
    )
    .orderBy(asc(changeEvents.occurredAt), asc(changeEvents.entityVersion), asc(changeEvents.id));
  return { leaseId, leasedUntil, events: rows.map((row) => ({ ...toChangeEvent(row), attempt: attempts.get(row.id)! })) };
}
