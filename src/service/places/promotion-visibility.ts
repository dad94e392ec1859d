import { type Viewer, childRelation, redactBooking, redactEntry, visibleRows } from '../kernel/visibility';
import type { PromotionResult } from './waitlist-promotion';

/*
 * A promotion result as an actor may see it (the kernel's visibility table applied):
 * who was offered a place, booked or passed over is another family's business.
 */

/**
 * What a waitlist promotion in `sessionId` did, as the viewer sees it: places offered
 * to (or booked for) other families' children are left out, so a parent cancelling
 * learns nothing of who is next in line.
 *
 * @internal
 */
export function redactPromotion(viewer: Viewer, sessionId: string, promotion: PromotionResult): PromotionResult {
  return {
    offered: visibleRows(promotion.offered, (e) => redactEntry(viewer, e)),
    confirmed: visibleRows(promotion.confirmed, ({ entry, booking }) => {
      const seenEntry = redactEntry(viewer, entry);
      const seenBooking = redactBooking(viewer, booking);
      return seenEntry && seenBooking && { entry: seenEntry, booking: seenBooking };
    }),
    expired: visibleRows(promotion.expired, (e) => redactEntry(viewer, e)),
    skipped: promotion.skipped.filter((s) => childRelation(viewer, sessionId, s.studentId) !== 'outsider'),
  };
}
