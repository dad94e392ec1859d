import { textInput, uuidInput } from '../kernel/inputs';
import { z } from 'zod';

/**
 * Input of `makeups.book`: the missed (or cancelled) booking to make up, the session
 * to make it up in, and how many session credits the makeup uses (default 1).
 *
 * @internal
 */
export const bookMakeupSchema = z.strictObject({
  originalBookingId: uuidInput,
  sessionId: uuidInput,
  creditsUsed: z.number().int().min(0).max(100).default(1),
  specialRequests: textInput.optional(),
});

/** Input of `makeups.book`. */
export type BookMakeupInput = z.input<typeof bookMakeupSchema>;
