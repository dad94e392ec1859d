import { requireAdministrator } from '../kernel/actor';
import { defineOperation } from '../kernel/operation';

import type { ServiceContext } from '../kernel/context';

import { claimNotificationsSchema, markSentSchema } from './inputs';
import { claimNotifications } from './claim';
import { markNotificationsSent } from './mark-sent';

/**
 * `scheduler.notifications`: the library sends nothing; the host's mailer claims
 * what is owed and reports what it sent. For administrators and the system.
 *
 * @example
 * ```ts
 * const owed = await scheduler.notifications.claim({ kind: 'system' }, { limit: 20, method: 'email' });
 * await scheduler.notifications.markSent({ kind: 'system' }, { waitlistIds: owed.map((n) => n.id) });
 * ```
 */
export function createNotificationService(ctx: ServiceContext) {
  const administrators = { authorize: (actor: Parameters<typeof requireAdministrator>[0]) => requireAdministrator(actor, 'handle notifications') };
  return {
    /** Claims pending notifications exactly once (safe with several workers). */
    claim: defineOperation(ctx, claimNotificationsSchema, (tx, input) => claimNotifications(tx, input, ctx.now()), administrators),
    /** Marks claimed notifications as sent. */
    markSent: defineOperation(ctx, markSentSchema, (tx, input) => markNotificationsSent(tx, input), administrators),
  };
}

/** `scheduler.notifications`. */
export type NotificationService = ReturnType<typeof createNotificationService>;
