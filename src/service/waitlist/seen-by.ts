import { type PromotionResult } from '../places/waitlist-promotion';

import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from '../kernel/types';
import { loadViewer, redactEntry, seenByActor } from '../kernel/visibility';
import { type WaitlistRow } from '../kernel/rows';
import { redactPromotion } from '../places/promotion-visibility';

/**
 * An answer to the queue (leave, decline) as the actor sees it: their entry, and nothing of whoever the place went to.
 *
 * @internal
 */
export async function queueAnswerSeenBy(tx: SchedulingDb, actor: Actor, result: { entry: WaitlistRow; promotion: PromotionResult }) {
  const viewer = await loadViewer(tx, actor, [result.entry.sessionId]);
  return {
    entry: seenByActor(actor, redactEntry(viewer, result.entry), 'see this waitlist entry'),
    promotion: redactPromotion(viewer, result.entry.sessionId, result.promotion),
  };
}
