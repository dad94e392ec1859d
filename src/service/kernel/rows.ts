import type { scheduleConflicts, sessionBookings, sessionWaitlist, sessions } from '../../schema/unqualified';

/*
 * The rows the service passes around, named once. (Drizzle infers them from the
 * tables; these names are what the service's results and functions are typed with.)
 */

/** A `sessions` row. */
export type SessionRow = typeof sessions.$inferSelect;
/** A `session_bookings` row. */
export type BookingRow = typeof sessionBookings.$inferSelect;
/** A `session_waitlist` row. */
export type WaitlistRow = typeof sessionWaitlist.$inferSelect;
/** A `schedule_conflicts` row. */
export type ConflictRow = typeof scheduleConflicts.$inferSelect;
