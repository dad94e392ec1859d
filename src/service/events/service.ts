import { requireAdministrator } from '../kernel/actor';
import { defineOperation } from '../kernel/operation';
import type { ServiceContext } from '../kernel/context';
import type { Actor } from '../kernel/types';
import {
  ackEventsSchema,
  claimEventsSchema,
  consumerSchema,
  consumersSchema,
  failEventsSchema,
  listEventsSchema,
  registerConsumerSchema,
  retryDeadSchema,
} from './inputs';
import { listConsumers, registerConsumer, removeConsumer } from './consumers';
import { claimEvents } from './claim';
import { ackEvents, failEvents, retryDeadEvents } from './settle';
import { listEvents } from './list';

/**
 * `scheduler.events`: the change events (docs/change-events.md). Every change to a
 * session, booking, waitlist entry, availability row, conflict or session resource is
 * recorded in the same transaction; named consumers claim them under a lease,
 * acknowledge them, or report failures (retried with backoff, then dead letters).
 * For administrators and the system (`FORBIDDEN` for everyone else).
 *
 * @example
 * ```ts
 * const system = { kind: 'system' } as const;
 * await scheduler.events.registerConsumer(system, { consumer: 'email' });
 * const { leaseId, events } = await scheduler.events.claim(system, { consumer: 'email', limit: 20, leaseSeconds: 60 });
 * for (const event of events) console.log(event.type, event.entity.code);
 * if (events.length) await scheduler.events.ack(system, { consumer: 'email', leaseId, eventIds: events.map((e) => e.id) });
 * ```
 */
export function createEventService(ctx: ServiceContext) {
  const administrators = { authorize: (actor: Actor) => requireAdministrator(actor, 'read or deliver change events') };
  return {
    /** Adds a named consumer (idempotent); it gets every event from now on, or (`from: 'retained'`) also every event still kept. */
    registerConsumer: defineOperation(ctx, registerConsumerSchema, (tx, input) => registerConsumer(tx, input), administrators),
    /** Every consumer with its pending, leased and dead counts. */
    consumers: defineOperation(ctx, consumersSchema, (tx) => listConsumers(tx), administrators),
    /** Leases due events to a consumer: each event to one claimer at a time, an entity's events in commit order. */
    claim: defineOperation(ctx, claimEventsSchema, (tx, input) => claimEvents(tx, input), administrators),
    /** Acknowledges events of a lease. */
    ack: defineOperation(ctx, ackEventsSchema, (tx, input) => ackEvents(tx, input), administrators),
    /** Reports events of a lease as failed: retried after a backoff, dead after the consumer's max attempts. */
    fail: defineOperation(ctx, failEventsSchema, (tx, input) => failEvents(tx, input), administrators),
    /** Puts a consumer's dead letters back to pending. */
    retryDead: defineOperation(ctx, retryDeadSchema, (tx, input) => retryDeadEvents(tx, input), administrators),
    /** The audit trail: events by entity, session, actor, type and time range, paged. */
    list: defineOperation(ctx, listEventsSchema, (tx, input) => listEvents(tx, input), administrators),
    /** Removes a consumer and what it still owed. */
    removeConsumer: defineOperation(ctx, consumerSchema, (tx, input) => removeConsumer(tx, input), administrators),
  };
}

/** `scheduler.events`. */
export type EventService = ReturnType<typeof createEventService>;
