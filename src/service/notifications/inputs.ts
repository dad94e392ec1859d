import { NOTIFICATION_METHODS } from '../../schema/unqualified';
import { waitlistRefInput } from '../kernel/inputs';
import * as z from 'zod/mini';

// Each schema is built on its first parse (`z.lazy`), not when the package is imported: a call needs one or two.

/**
 * Input of `notifications.claim`.
 *
 * @internal
 */
export const claimNotificationsSchema = z.lazy(() =>
  z.strictObject({
    limit: z._default(z.int().check(z.gte(1), z.lte(500)), 50),
    method: z.optional(z.enum(NOTIFICATION_METHODS)),
    /** A claim not marked sent within this many seconds may be claimed again (its worker is taken to have died). */
    leaseSeconds: z._default(z.int().check(z.gte(1), z.lte(86_400)), 300),
  }),
);

/**
 * Input of `notifications.markSent`.
 *
 * @internal
 */
export const markSentSchema = z.lazy(() => z.strictObject({ waitlistIds: z.array(waitlistRefInput).check(z.minLength(1), z.maxLength(500)) }));
