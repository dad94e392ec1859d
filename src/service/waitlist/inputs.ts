import * as z from 'zod/mini';
import { NOTIFICATION_METHODS } from '../../schema/unqualified';
import { instantInput, promotionOverrideInput, textInput, uuidInput, waitlistRefInput } from '../kernel/inputs';

// Each schema is built on its first parse (`z.lazy`), not when the package is imported: a call needs one or two.

/**
 * Input of `waitlist.join`. `priorityScore` (higher goes first) is for administrators.
 *
 * @internal
 */
export const joinWaitlistSchema = z.lazy(() =>
  z.strictObject({
    sessionId: uuidInput,
    studentId: uuidInput,
    parentId: z.optional(uuidInput),
    priorityScore: z.optional(z.int().check(z.gte(-1000), z.lte(1000))),
    notificationMethod: z.optional(z.enum(NOTIFICATION_METHODS)),
  }),
);

/** Input of `waitlist.join`. */
export type JoinWaitlistInput = z.input<typeof joinWaitlistSchema>;

/**
 * Input of `waitlist.leave`, `waitlist.position` and `waitlist.accept`.
 *
 * @internal
 */
export const waitlistEntryRefSchema = z.lazy(() => z.strictObject({ waitlistId: waitlistRefInput }));

/**
 * Input of `waitlist.leave` and `waitlist.decline`.
 *
 * @internal
 */
export const respondSchema = z.lazy(() => z.strictObject({ waitlistId: waitlistRefInput, notes: z.optional(textInput), ...promotionOverrideInput }));

/**
 * Input of `waitlist.expireOffers`: `now` defaults to the scheduler's clock; `limit`
 * bounds how many sessions one call settles (the rest wait for the next run).
 *
 * @internal
 */
export const expireOffersSchema = z.lazy(() =>
  z.strictObject({
    now: z.optional(instantInput),
    limit: z._default(z.int().check(z.gte(1), z.lte(1000)), 100),
    ...promotionOverrideInput,
  }),
);

/**
 * Input of `waitlist.list`: the session whose queue to read.
 *
 * @internal
 */
export const listWaitlistSchema = z.lazy(() => z.strictObject({ sessionId: uuidInput }));
