import type { SchedulingDb } from '../../db/scheduling-db';
import { type PromotionSettings, promoteFromWaitlist } from './waitlist-promotion';

/*
 * The hook is called from code that only has the transaction, so each scheduler
 * binds its clock and promotion rules to every transaction it opens. A WeakMap keyed
 * by the transaction object forgets them when the transaction is gone.
 */
const settingsByTransaction = new WeakMap<object, () => PromotionSettings>();

/**
 * Binds a scheduler's promotion settings to one of its transactions (the scheduler
 * does this for every call), so hooks that only receive `tx` promote with the
 * scheduler's clock, offer window and mode.
 *
 * @example
 * ```ts
 * bindPromotionSettings(tx, () => ({ now: ctx.now(), offerWindowMinutes: 60, mode: 'offer' }));
 * ```
 */
export function bindPromotionSettings(tx: object, settings: () => PromotionSettings): void {
  settingsByTransaction.set(tx, settings);
}

/**
 * The promotion settings bound to this transaction, or the library defaults (wall
 * clock, 24-hour offers) for a transaction no scheduler opened.
 *
 * @example
 * ```ts
 * const { now, mode } = promotionSettingsOf(tx);
 * ```
 */
export function promotionSettingsOf(tx: object): PromotionSettings {
  return settingsByTransaction.get(tx)?.() ?? { now: new Date(), offerWindowMinutes: 1440, mode: 'offer' };
}

/**
 * Called inside the transaction that raised a session's capacity (the session row is
 * locked), after the update: the new places go to the waitlist, as offers or direct
 * bookings depending on the scheduler's `promotionMode`.
 *
 * @example
 * ```ts
 * if (next.capacity > current.capacity) await afterCapacityRaised(tx, session.id);
 * ```
 */
export async function afterCapacityRaised(tx: SchedulingDb, sessionId: string): Promise<void> {
  await promoteFromWaitlist(tx, sessionId, promotionSettingsOf(tx));
}
