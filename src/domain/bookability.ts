import type { SessionStatus } from './statuses';

/*
 * "Bookable" and "has room": each rule stated once, here. Three layers apply them,
 * each as much as it can see (docs/architecture.md, "One rule, three layers"):
 *
 * | layer                                   | bookable                                  | has room                                                          |
 * |-----------------------------------------|-------------------------------------------|-------------------------------------------------------------------|
 * | full path (TypeScript, under the lock)  | `notBookableReason(session, now) === null` | `freePlaces(...) > 0`, offers held until their deadline          |
 * | short path (`takes_direct_booking`)     | the same, `start_time` cut to milliseconds | `current_bookings < capacity` AND nobody queued or offered       |
 * | the invariant (`update_session_bookings`)| status active (scheduled or in progress)   | `current_bookings < capacity` AND not taken by an `offered` entry |
 *
 * The full path decides; the short path only confirms what the full path would
 * confirm (it declines whenever a queue exists, so held offers are zero there), which
 * test/db/direct-booking.property.test.ts proves on random states; the trigger is
 * weaker on purpose, as the guard for every writer, the host's own SQL included: it
 * knows no clock (a booking into a running class is the host's call, not ours), and
 * counts every `offered` entry as held because only the scheduler expires offers.
 */

/** Why a session takes no bookings now (`NOT_BOOKABLE` → `details.reason`). */
export type NotBookableReason = Exclude<SessionStatus, 'scheduled'> | 'past';

/**
 * Why the session cannot take a booking at `now`, or null when it can. Only a
 * `scheduled` session that has not started is bookable: a started one (in progress,
 * or its start time has passed by the injected clock) is not. JavaScript instants
 * are milliseconds, so the start time is compared to the millisecond, as
 * `scheduling.takes_direct_booking` does.
 *
 * @internal
 */
export function notBookableReason(session: { status: string; startTime: Date }, now: Date): NotBookableReason | null {
  if (session.status !== 'scheduled') return session.status as NotBookableReason;
  return session.startTime.getTime() <= now.getTime() ? 'past' : null;
}

/**
 * Places a new booking may take: capacity less the confirmed bookings and the places
 * held by unexpired offers, never below 0.
 *
 * @internal
 */
export function freePlaces(load: { capacity: number; confirmed: number; heldOffers: number }): number {
  return Math.max(0, load.capacity - load.confirmed - load.heldOffers);
}
