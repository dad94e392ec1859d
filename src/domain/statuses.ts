/*
 * The status sets every layer reasons with, each stated once. The TypeScript code
 * imports these; raw SQL in the service spells them with `sqlList` (src/db/sql-list.ts)
 * from the same constants; the database's own functions state the one they need
 * (`scheduling.is_active_status`) and test/db/status-sets.test.ts proves they agree.
 */

/** Every status a session can have (the `chk_session_status` CHECK). */
export const SESSION_STATUSES = ['scheduled', 'in_progress', 'completed', 'cancelled', 'postponed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/**
 * Sessions that run or will run: they occupy their instructor, facility and
 * students, and they are the only ones that may hold confirmed bookings. In SQL:
 * `scheduling.is_active_status(status)`.
 *
 * @internal
 */
export const ACTIVE_SESSION_STATUSES = ['scheduled', 'in_progress'] as const satisfies readonly SessionStatus[];

/**
 * Sessions still on the plan (active, or postponed to a date not yet fixed): they
 * keep their resources and count for integrity checks. Completed and cancelled are final.
 *
 * @internal
 */
export const PLANNED_SESSION_STATUSES = ['scheduled', 'in_progress', 'postponed'] as const satisfies readonly SessionStatus[];

/**
 * Sessions whose attendance can be recorded: those that have run, run now or are
 * to run (not cancelled, not postponed).
 *
 * @internal
 */
export const ATTENDABLE_SESSION_STATUSES = ['scheduled', 'in_progress', 'completed'] as const satisfies readonly SessionStatus[];

/** Every status a waitlist entry can have (the `chk_waitlist_status` CHECK). */
export const WAITLIST_STATUSES = ['waiting', 'notified', 'offered', 'accepted', 'declined', 'expired', 'cancelled'] as const;
export type WaitlistStatus = (typeof WAITLIST_STATUSES)[number];

/**
 * Waitlist entries still in the queue: they are numbered 1..n, and a student with one
 * is "already waiting". An `offered` one also holds a place until its deadline.
 *
 * @internal
 */
export const ACTIVE_WAITLIST_STATUSES = ['waiting', 'notified', 'offered'] as const satisfies readonly WaitlistStatus[];

/**
 * True when `value` is one of `set` (a type guard usable with the readonly tuples above).
 *
 * @internal
 */
export function isOneOf<T extends string>(set: readonly T[], value: string): value is T {
  return (set as readonly string[]).includes(value);
}
