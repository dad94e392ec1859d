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

/**
 * Sessions not yet run and not final: a series edit may still move them.
 *
 * @internal
 */
export const UPCOMING_SESSION_STATUSES = ['scheduled', 'postponed'] as const satisfies readonly SessionStatus[];

/** The three session types of the reference schema (the `chk_session_type` CHECK). */
export const SESSION_TYPES = ['group', 'private', 'school'] as const;
/** `group` | `private` | `school`. */
export type SessionType = (typeof SESSION_TYPES)[number];

/** Every status a booking can have (the `chk_booking_status` CHECK); only `confirmed` takes a place. */
export const BOOKING_STATUSES = ['confirmed', 'cancelled', 'no_show', 'completed', 'pending'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/**
 * Bookings still open: confirmed, or pending a decision. Only these can be cancelled,
 * and a cancelled session cancels them.
 *
 * @internal
 */
export const OPEN_BOOKING_STATUSES = ['confirmed', 'pending'] as const satisfies readonly BookingStatus[];

/**
 * The bookings that count for attendance: the confirmed ones (before and during the
 * class) and those a settlement or `markNoShow` turned into `completed` / `no_show`.
 * Cancelled bookings are not on it; nor are `pending` ones, which hold no place, cannot
 * be checked in and are left as they are when the session is settled.
 *
 * @internal
 */
export const ATTENDANCE_BOOKING_STATUSES = ['confirmed', 'completed', 'no_show'] as const satisfies readonly BookingStatus[];

/** Every status a conflict record can have (the `chk_conflict_status` CHECK). */
export const CONFLICT_STATUSES = ['detected', 'acknowledged', 'resolved', 'ignored'] as const;
export type ConflictStatus = (typeof CONFLICT_STATUSES)[number];

/**
 * Conflict records still open: at most one per pair and kind (a partial unique index).
 *
 * @internal
 */
export const OPEN_CONFLICT_STATUSES = ['detected', 'acknowledged'] as const satisfies readonly ConflictStatus[];

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
 * Entries still waiting for a place (not yet offered one): the promotion's candidates.
 *
 * @internal
 */
export const WAITING_STATUSES = ['waiting', 'notified'] as const satisfies readonly WaitlistStatus[];

/**
 * True when `value` is one of `set` (a type guard usable with the readonly tuples above).
 *
 * @internal
 */
export function isOneOf<T extends string>(set: readonly T[], value: string): value is T {
  return (set as readonly string[]).includes(value);
}

/**
 * The kinds of actor a scheduler call names (`Actor['kind']`); change events record the
 * kind of the actor of each change (`scheduling.actor`).
 *
 * @internal
 */
export const ACTOR_KINDS = ['admin', 'instructor', 'parent', 'student', 'system'] as const;
