import { check, index, integer, jsonb, primaryKey, smallint, text, unique, uuid, varchar } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { instant } from './namespace';
import { sqlList } from '../db/sql-list';
import { ACTOR_KINDS } from '../domain/statuses';
import type { AcademyNamespace } from './academy-namespace';

/** What a change event is about: one row of one of these. */
export const CHANGE_EVENT_ENTITY_TYPES = ['session', 'booking', 'waitlist_entry', 'availability', 'conflict', 'resource'] as const;
export type ChangeEventEntityType = (typeof CHANGE_EVENT_ENTITY_TYPES)[number];
/** Who made a change: the kind of the scheduler's actor, `user` for the host's SQL with `scheduling.actor_id` set, else `system`. */
export const CHANGE_EVENT_ACTOR_KINDS = [...ACTOR_KINDS, 'user'] as const;
export type ChangeEventActorKind = (typeof CHANGE_EVENT_ACTOR_KINDS)[number];
/** A delivery's state: waiting to be claimed (again), claimed under a lease, or given up on. */
export const EVENT_DELIVERY_STATES = ['pending', 'leased', 'dead'] as const;
export type EventDeliveryState = (typeof EVENT_DELIVERY_STATES)[number];

/**
 * The change-event tables (migration 0009): the events, the consumers and their
 * deliveries, in the namespace's schema.
 *
 * @internal
 */
export function changeEventTables<S extends string | undefined>(ns: AcademyNamespace<S>) {
  const changeEvents = ns.table(
    'change_events',
    {
      id: uuid('id').primaryKey().defaultRandom(),
      type: varchar('type', { length: 60 }).notNull(),
      typeVersion: smallint('type_version').default(1).notNull(),
      entityType: varchar('entity_type', { length: 30, enum: CHANGE_EVENT_ENTITY_TYPES }).notNull(),
      entityId: uuid('entity_id').notNull(),
      entityCode: varchar('entity_code', { length: 40 }),
      entityVersion: integer('entity_version').notNull(),
      sessionId: uuid('session_id'),
      actorId: uuid('actor_id'),
      actorKind: varchar('actor_kind', { length: 20, enum: CHANGE_EVENT_ACTOR_KINDS }).default('system').notNull(),
      actorRef: uuid('actor_ref'),
      dbRole: text('db_role')
        .default(sql`current_user`)
        .notNull(),
      operation: varchar('operation', { length: 60 }),
      changes: jsonb('changes').$type<Record<string, { old: unknown; new: unknown }>>().notNull(),
      occurredAt: instant('occurred_at').defaultNow().notNull(),
    },
    (t) => [
      unique('uk_change_event_entity_version').on(t.entityId, t.entityVersion),
      check('chk_change_event_entity_type', sql`${t.entityType} IN ${sqlList(CHANGE_EVENT_ENTITY_TYPES)}`),
      check('chk_change_event_entity_version', sql`${t.entityVersion} > 0`),
      check('chk_change_event_actor_kind', sql`${t.actorKind} IN ${sqlList(CHANGE_EVENT_ACTOR_KINDS)}`),
      index('idx_change_events_occurred').on(t.occurredAt, t.id),
      index('idx_change_events_actor')
        .on(t.actorId, t.occurredAt)
        .where(sql`actor_id IS NOT NULL`),
      index('idx_change_events_acting_as')
        .on(t.actorRef, t.occurredAt)
        .where(sql`actor_ref IS NOT NULL`),
      index('idx_change_events_session')
        .on(t.sessionId, t.occurredAt)
        .where(sql`session_id IS NOT NULL`),
    ],
  );

  const eventConsumers = ns.table(
    'event_consumers',
    {
      name: varchar('name', { length: 100 }).primaryKey(),
      maxAttempts: integer('max_attempts').default(10).notNull(),
      createdAt: instant('created_at').defaultNow().notNull(),
    },
    (t) => [
      check('chk_event_consumer_name', sql`${t.name} ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$'`),
      check('chk_event_consumer_attempts', sql`${t.maxAttempts} BETWEEN 1 AND 1000`),
    ],
  );

  const eventDeliveries = ns.table(
    'event_deliveries',
    {
      consumer: varchar('consumer', { length: 100 }).notNull(),
      entityId: uuid('entity_id').notNull(),
      entityVersion: integer('entity_version').notNull(),
      eventId: uuid('event_id').notNull(),
      state: varchar('state', { length: 10, enum: EVENT_DELIVERY_STATES }).default('pending').notNull(),
      attempts: integer('attempts').default(0).notNull(),
      availableAt: instant('available_at').defaultNow().notNull(),
      leaseId: uuid('lease_id'),
      lastError: text('last_error'),
    },
    (t) => [
      primaryKey({ name: 'event_deliveries_pkey', columns: [t.consumer, t.entityId, t.entityVersion] }),
      check('chk_event_delivery_state', sql`${t.state} IN ${sqlList(EVENT_DELIVERY_STATES)}`),
      check('chk_event_delivery_lease', sql`(${t.state} = 'leased') = (${t.leaseId} IS NOT NULL)`),
      index('idx_event_deliveries_due')
        .on(t.consumer, t.availableAt)
        .where(sql`state <> 'dead'`),
    ],
  );

  return { changeEvents, eventConsumers, eventDeliveries };
}
