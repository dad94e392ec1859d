import { instantInput } from '../kernel/inputs';
import * as z from 'zod/mini';

// Each schema is built on its first parse (`z.lazy`), not when the package is imported: a call needs one or two.

/**
 * Input of `maintenance.archiveBookings`: bookings created before `olderThan` move to
 * the archive, `batchSize` per transaction, at most `maxBatches` batches (unbounded
 * when omitted).
 *
 * @internal
 */
export const archiveBookingsSchema = z.lazy(() =>
  z.strictObject({
    olderThan: instantInput,
    batchSize: z._default(z.int().check(z.gte(1), z.lte(10_000)), 1000),
    maxBatches: z.optional(z.int().check(z.gte(1))),
  }),
);

/** Input of `maintenance.archiveBookings`. */
export type ArchiveBookingsInput = z.input<typeof archiveBookingsSchema>;

/**
 * Input of `maintenance.purgeCancelledSessions`: cancelled sessions that started
 * before `olderThan` are deleted.
 *
 * @internal
 */
export const purgeCancelledSessionsSchema = z.lazy(() => z.strictObject({ olderThan: instantInput }));

/**
 * Input of `maintenance.advanceStatuses`: the instant to advance to (default: the
 * scheduler's clock).
 *
 * @internal
 */
export const advanceStatusesSchema = z.lazy(() => z._default(z.strictObject({ now: z.optional(instantInput) }), {}));

export const noInput = z.lazy(() => z._default(z.strictObject({}), {}));

/** Input of `maintenance.purgeEvents`: events older than `olderThanDays` that no consumer still owes. @internal */
export const purgeEventsSchema = z.lazy(() => z.strictObject({ olderThanDays: z.int().check(z.gte(1), z.lte(36_500)) }));

/** Input of `maintenance.purgeEvents`. */
export type PurgeEventsInput = z.input<typeof purgeEventsSchema>;
