import { textInput, uuidInput } from '../kernel/inputs';
import * as z from 'zod/mini';

// Each schema is built on its first parse (`z.lazy`), not when the package is imported: a call needs one or two.

/**
 * Input of `makeups.book`: the missed (or cancelled) booking to make up, the session
 * to make it up in, and how many session credits the makeup uses (default 1).
 *
 * @internal
 */
export const bookMakeupSchema = z.lazy(() =>
  z.strictObject({
    originalBookingId: uuidInput,
    sessionId: uuidInput,
    creditsUsed: z._default(z.int().check(z.gte(0), z.lte(100)), 1),
    specialRequests: z.optional(textInput),
  }),
);

/** Input of `makeups.book`. */
export type BookMakeupInput = z.input<typeof bookMakeupSchema>;
