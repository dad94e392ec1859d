import { NOTIFICATION_METHODS } from '../../schema';
import { waitlistRefInput } from '../kernel/inputs';
import { z } from 'zod';

/**
 * Input of `notifications.claim`.
 *
 * @internal
 */
export const claimNotificationsSchema = z.strictObject({
  limit: z.number().int().min(1).max(500).default(50),
  method: z.enum(NOTIFICATION_METHODS).optional(),
});

/**
 * Input of `notifications.markSent`.
 *
 * @internal
 */
export const markSentSchema = z.strictObject({ waitlistIds: z.array(waitlistRefInput).min(1).max(500) });
