import type * as z from 'zod/mini';
import { sql } from 'drizzle-orm';
import { type SchedulingDb } from '../../db/scheduling-db';
import { queryRows } from '../../db/query';
import { requireConsumer } from './consumers';
import type { ackEventsSchema, failEventsSchema, retryDeadSchema } from './inputs';

/** `($1, $2, …)`: ids as one parameter each. */
const uuidList = (ids: readonly string[]) =>
  sql`(${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )})`;

/**
 * Acknowledges events delivered under `leaseId`: the consumer owes them no more.
 * An event whose lease is no longer this one (it ran out and the event was claimed
 * again, or it was settled already) is left alone and listed in `stale`.
 *
 * @internal
 */
export async function ackEvents(tx: SchedulingDb, input: z.output<typeof ackEventsSchema>) {
  await requireConsumer(tx, input.consumer);
  const acked = await queryRows<{ event_id: string }>(
    tx,
    sql`DELETE FROM event_deliveries
        WHERE consumer = ${input.consumer} AND lease_id = ${input.leaseId} AND state = 'leased'
          AND event_id IN ${uuidList(input.eventIds)}
        RETURNING event_id`,
  );
  const done = new Set(acked.map((a) => a.event_id));
  return { acked: done.size, stale: [...new Set(input.eventIds)].filter((id) => !done.has(id)) };
}

/**
 * Reports events delivered under `leaseId` as failed: each goes back to pending after
 * `retryInSeconds` (default: 10 s doubled for each attempt made, at most an hour), or to the dead letters when the
 * consumer's `maxAttempts` are used up. Events not under this lease are `stale`.
 *
 * @internal
 */
export async function failEvents(tx: SchedulingDb, input: z.output<typeof failEventsSchema>) {
  const maxAttempts = await requireConsumer(tx, input.consumer);
  // Two statements, not one UPDATE with a CASE: Citus refuses now() inside CASE.
  const dead = await queryRows<{ event_id: string; state: 'dead'; available_at: Date | string }>(
    tx,
    sql`UPDATE event_deliveries SET state = 'dead', lease_id = NULL, last_error = ${input.error ?? null}
        WHERE consumer = ${input.consumer} AND lease_id = ${input.leaseId} AND state = 'leased' AND attempts >= ${maxAttempts}
          AND event_id IN ${uuidList(input.eventIds)}
        RETURNING event_id, state, available_at`,
  );
  const retried = await queryRows<{ event_id: string; state: 'pending'; available_at: Date | string }>(
    tx,
    sql`UPDATE event_deliveries
        SET state = 'pending', lease_id = NULL, last_error = ${input.error ?? null},
            available_at = now() + make_interval(secs => coalesce(${input.retryInSeconds ?? null}::int, least(3600, 10 * power(2, greatest(attempts - 1, 0)))::int))
        WHERE consumer = ${input.consumer} AND lease_id = ${input.leaseId} AND state = 'leased'
          AND event_id IN ${uuidList(input.eventIds)}
        RETURNING event_id, state, available_at`,
  );
  const rows = [...dead, ...retried];
  const settled = new Set(rows.map((r) => r.event_id));
  return {
    retried: rows.filter((r) => r.state === 'pending').map((r) => ({ eventId: r.event_id, retryAt: new Date(r.available_at) })),
    dead: rows.filter((r) => r.state === 'dead').map((r) => r.event_id),
    stale: [...new Set(input.eventIds)].filter((id) => !settled.has(id)),
  };
}

/**
 * Puts dead letters back to pending with their attempts reset (all of the consumer's,
 * or those of `eventIds`). Returns how many.
 *
 * @internal
 */
export async function retryDeadEvents(tx: SchedulingDb, input: z.output<typeof retryDeadSchema>) {
  await requireConsumer(tx, input.consumer);
  const filter = input.eventIds ? sql`AND event_id IN ${uuidList(input.eventIds)}` : sql``;
  const rows = await queryRows(
    tx,
    sql`UPDATE event_deliveries SET state = 'pending', attempts = 0, available_at = now()
        WHERE consumer = ${input.consumer} AND state = 'dead' ${filter} RETURNING event_id`,
  );
  return { retried: rows.length };
}
