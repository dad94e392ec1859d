import type * as z from 'zod/mini';
import { asc, gt, sql } from 'drizzle-orm';
import { type SchedulingDb } from '../../db/scheduling-db';
import { queryRows } from '../../db/query';
import { notFound } from '../kernel/lookups';
import { changeEvents, eventDeliveries } from '../../schema/unqualified';

/** Delivery rows per INSERT when a consumer asks for the retained events. */
const BACKFILL_BATCH = 1000;
import type { consumerSchema, registerConsumerSchema } from './inputs';

/** A consumer of change events and what it still owes. */
export interface EventConsumer {
  name: string;
  maxAttempts: number;
  createdAt: Date;
  /** Deliveries waiting to be claimed (first time or again). */
  pending: number;
  /** Claimed under a lease not yet acknowledged. */
  leased: number;
  /** Given up on after `maxAttempts` (see `events.retryDead`). */
  dead: number;
}

/**
 * Adds a consumer (or changes an existing one's `maxAttempts`). With `from: 'retained'`
 * a new consumer also owes every event still kept. Returns whether it was created and
 * how many past events it was given.
 *
 * @internal
 */
export async function registerConsumer(tx: SchedulingDb, input: z.output<typeof registerConsumerSchema>) {
  const [row] = await queryRows<{ created: boolean }>(
    tx,
    sql`INSERT INTO event_consumers (name, max_attempts) VALUES (${input.consumer}, ${input.maxAttempts})
        ON CONFLICT (name) DO UPDATE SET max_attempts = EXCLUDED.max_attempts
        RETURNING (xmax = 0) AS created`,
  );
  let backfilled = 0;
  if (row!.created && input.from === 'retained') {
    // Read a batch, then INSERT ... VALUES: Citus could not plan an INSERT ... SELECT into
    // event_deliveries (42601). Batches by id, so a long trail is never all in memory.
    for (let after: string | undefined; ;) {
      const batch = await tx
        .select({ id: changeEvents.id, entityId: changeEvents.entityId, entityVersion: changeEvents.entityVersion })
        .from(changeEvents)
        .where(after ? gt(changeEvents.id, after) : undefined)
        .orderBy(asc(changeEvents.id))
        .limit(BACKFILL_BATCH);
      if (batch.length === 0) break;
      await tx
        .insert(eventDeliveries)
        .values(batch.map((e) => ({ consumer: input.consumer, entityId: e.entityId, entityVersion: e.entityVersion, eventId: e.id })))
        .onConflictDoNothing();
      backfilled += batch.length;
      after = batch.at(-1)!.id;
    }
  }
  return { consumer: input.consumer, created: row!.created, backfilled };
}

/**
 * Removes a consumer and everything it still owed (the events themselves stay).
 * `NOT_FOUND` for a name never registered.
 *
 * @internal
 */
export async function removeConsumer(tx: SchedulingDb, input: z.output<typeof consumerSchema>) {
  const removed = await queryRows(tx, sql`DELETE FROM event_consumers WHERE name = ${input.consumer} RETURNING name`);
  if (removed.length === 0) throw notFound('event consumer', input.consumer, ['consumer']);
  // No foreign key cascades (drizzle/0009): its deliveries go here, in the same transaction.
  const dropped = await queryRows(tx, sql`DELETE FROM event_deliveries WHERE consumer = ${input.consumer} RETURNING 1`);
  return { consumer: input.consumer, dropped: dropped.length };
}

/** Every consumer with its counts, by name. @internal */
export async function listConsumers(tx: SchedulingDb): Promise<EventConsumer[]> {
  const rows = await queryRows<{ name: string; max_attempts: number; created_at: Date | string; pending: number; leased: number; dead: number }>(
    tx,
    sql`SELECT c.name, c.max_attempts, c.created_at,
               count(*) FILTER (WHERE d.state = 'pending')::int AS pending,
               count(*) FILTER (WHERE d.state = 'leased')::int AS leased,
               count(*) FILTER (WHERE d.state = 'dead')::int AS dead
        FROM event_consumers c LEFT JOIN event_deliveries d ON d.consumer = c.name
        GROUP BY c.name, c.max_attempts, c.created_at ORDER BY c.name`,
  );
  return rows.map((r) => ({
    name: r.name,
    maxAttempts: r.max_attempts,
    createdAt: new Date(r.created_at),
    pending: r.pending,
    leased: r.leased,
    dead: r.dead,
  }));
}

/** Throws `NOT_FOUND` (at `consumer`) unless the consumer is registered; returns its max attempts. @internal */
export async function requireConsumer(tx: SchedulingDb, consumer: string): Promise<number> {
  const rows = await queryRows<{ max_attempts: number }>(tx, sql`SELECT max_attempts FROM event_consumers WHERE name = ${consumer}`);
  if (rows.length === 0) throw notFound('event consumer', consumer, ['consumer']);
  return rows[0]!.max_attempts;
}
