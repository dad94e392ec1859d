import { instantInput } from '../kernel/inputs';
import { z } from 'zod';

/**
 * Input of `maintenance.archiveBookings`: bookings created before `olderThan` move to
 * the archive, `batchSize` per transaction, at most `maxBatches` batches (unbounded
 * when omitted).
 *
 * @internal
 */
export const archiveBookingsSchema = z.strictObject({
  olderThan: instantInput,
  batchSize: z.number().int().min(1).max(10_000).default(1000),
  maxBatches: z.number().int().min(1).optional(),
});

/** Input of `maintenance.archiveBookings`. */
export type ArchiveBookingsInput = z.input<typeof archiveBookingsSchema>;

/**
 * Input of `maintenance.purgeCancelledSessions`: cancelled sessions that started
 * before `olderThan` are deleted.
 *
 * @internal
 */
export const purgeCancelledSessionsSchema = z.strictObject({ olderThan: instantInput });

/**
 * Input of `maintenance.advanceStatuses`: the instant to advance to (default: the
 * scheduler's clock).
 *
 * @internal
 */
export const advanceStatusesSchema = z.strictObject({ now: instantInput.optional() }).default({});

export const noInput = z.strictObject({}).default({});
