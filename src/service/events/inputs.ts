import { CHANGE_EVENT_ENTITY_TYPES } from '../../schema/unqualified';
import { instantInput, uuidInput } from '../kernel/inputs';
import * as z from 'zod/mini';

// Each schema is built on its first parse (`z.lazy`), not when the package is imported: a call needs one or two.

/** A consumer's name: letters, digits and `. _ : -`, up to 100 characters (`email-worker`, `crm.sync`). */
export const consumerNameInput = z
  .string()
  .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, 'expected a consumer name: a letter or digit, then up to 99 of letters, digits and . _ : -'));

/**
 * Input of `events.registerConsumer`. `from: 'now'` (the default): the consumer gets the
 * events written from now on; `'retained'`: also every event still kept.
 *
 * @internal
 */
export const registerConsumerSchema = z.lazy(() =>
  z.strictObject({
    consumer: consumerNameInput,
    maxAttempts: z._default(z.int().check(z.gte(1), z.lte(1000)), 10),
    from: z._default(z.enum(['now', 'retained']), 'now'),
  }),
);

/** Input of `events.removeConsumer` and of `events.consumers` (all when omitted). @internal */
export const consumerSchema = z.lazy(() => z.strictObject({ consumer: consumerNameInput }));
/** @internal */
export const consumersSchema = z.lazy(() => z._default(z.strictObject({}), {}));

/**
 * Input of `events.claim`: up to `limit` events, leased for `leaseSeconds`.
 *
 * @internal
 */
export const claimEventsSchema = z.lazy(() =>
  z.strictObject({
    consumer: consumerNameInput,
    limit: z._default(z.int().check(z.gte(1), z.lte(500)), 50),
    leaseSeconds: z._default(z.int().check(z.gte(1), z.lte(86_400)), 60),
  }),
);

/** Input of `events.ack`. @internal */
export const ackEventsSchema = z.lazy(() =>
  z.strictObject({
    consumer: consumerNameInput,
    leaseId: uuidInput,
    eventIds: z.array(uuidInput).check(z.minLength(1), z.maxLength(500)),
  }),
);

/**
 * Input of `events.fail`: the events go back for another attempt after `retryInSeconds`
 * (default: 10 s doubled per attempt, at most an hour), or to the dead letters once the
 * consumer's `maxAttempts` are used up.
 *
 * @internal
 */
export const failEventsSchema = z.lazy(() =>
  z.strictObject({
    consumer: consumerNameInput,
    leaseId: uuidInput,
    eventIds: z.array(uuidInput).check(z.minLength(1), z.maxLength(500)),
    error: z.optional(z.string().check(z.maxLength(2000))),
    retryInSeconds: z.optional(z.int().check(z.gte(0), z.lte(86_400))),
  }),
);

/** Input of `events.retryDead`: dead letters back to pending, attempts reset (all of the consumer's when `eventIds` is omitted). @internal */
export const retryDeadSchema = z.lazy(() =>
  z.strictObject({
    consumer: consumerNameInput,
    eventIds: z.optional(z.array(uuidInput).check(z.minLength(1), z.maxLength(500))),
  }),
);

/**
 * Input of `events.list`: filters (all optional, combined with AND), newest first or
 * oldest first, paged by an opaque cursor.
 *
 * @internal
 */
export const listEventsSchema = z.lazy(() =>
  z
    .strictObject({
      entityType: z.optional(z.enum(CHANGE_EVENT_ENTITY_TYPES)),
      entityId: z.optional(uuidInput),
      sessionId: z.optional(uuidInput),
      /** The user id of the actor (`actor.userId`). */
      actorId: z.optional(uuidInput),
      /** The instructor, parent or student row the actor acted as (`actor.id`). */
      actingAs: z.optional(uuidInput),
      types: z.optional(
        z.array(z.string().check(z.regex(/^[a-z_]+\.[a-z_]+$/, 'expected an event type such as booking.confirmed'))).check(z.minLength(1), z.maxLength(50)),
      ),
      from: z.optional(instantInput),
      until: z.optional(instantInput),
      order: z._default(z.enum(['oldest', 'newest']), 'oldest'),
      limit: z._default(z.int().check(z.gte(1), z.lte(1000)), 100),
      cursor: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,200}$/, 'expected a cursor returned by events.list'))),
    })
    .check(
      z.refine((input) => !input.from || !input.until || input.from < input.until, { message: '`until` must be after `from`', path: ['until'], abort: true }),
    ),
);

export type RegisterConsumerInput = z.input<typeof registerConsumerSchema>;
export type ClaimEventsInput = z.input<typeof claimEventsSchema>;
export type AckEventsInput = z.input<typeof ackEventsSchema>;
export type FailEventsInput = z.input<typeof failEventsSchema>;
export type ListEventsInput = z.input<typeof listEventsSchema>;
