import type { SchedulingDb } from '../../db/scheduling-db';

import type { Actor } from '../kernel/types';
import { loadViewer, redactBooking, seenByActor } from '../kernel/visibility';
import type { BookingRow } from '../kernel/rows';

/**
 * The booking as the actor recording attendance sees it (the instructor: without what the family paid).
 *
 * @internal
 */
export async function bookingSeenBy(tx: SchedulingDb, actor: Actor, booking: BookingRow) {
  const viewer = await loadViewer(tx, actor, [booking.sessionId]);
  return seenByActor(actor, redactBooking(viewer, booking), 'see this booking');
}
