import type { SchedulingError } from '../../errors';
import { forbidden, isAdministrator } from './actor';
import type { Actor } from './types';

/*
 * Decisions only administrators (admins and the system) make, whoever else may call
 * the method: what a class costs and whom it is for, how many it takes and how many
 * may wait, whether it is recorded, and limits that work as an override. An instructor
 * may edit their own sessions and availability otherwise; a family books and queues.
 * Each is refused with FORBIDDEN (`administrators_only`) naming the field
 * (`details.path`), before anything is written.
 */

/**
 * Session fields only administrators change (`sessions.update`, `sessions.reschedule`).
 * The instructor of a session may still change its title, description, times,
 * facility, notes, equipment and meeting link.
 *
 * @internal
 */
export const ADMINISTRATOR_SESSION_FIELDS = Object.freeze({
  capacity: 'capacity',
  minParticipants: 'minimum number of participants',
  sessionType: 'type (it sets the capacity policy)',
  sessionPrice: 'price',
  discountPercentage: 'discount',
  maxWaitlistSize: 'waitlist size',
  programId: 'program',
  courseId: 'course',
  curriculumId: 'curriculum',
  levelId: 'level',
  locationId: 'location',
  instructorId: 'instructor',
  recordingEnabled: 'recording (families consent to it through the academy)',
} as const);

type SessionField = keyof typeof ADMINISTRATOR_SESSION_FIELDS;

/**
 * What a new session gets for the administrator fields an instructor may not set on
 * create (what it teaches, where, and its type are theirs to give; an administrator
 * then sets the rest). `capacity` has no fixed default (the policy and the room decide),
 * so an instructor leaves it out.
 */
const CREATE_DEFAULTS: Partial<Record<SessionField, unknown>> = {
  capacity: undefined,
  minParticipants: 1,
  sessionPrice: null,
  discountPercentage: 0,
  maxWaitlistSize: 10,
  recordingEnabled: false,
};

function refused(actor: Actor, action: string, path: Array<string | number>): SchedulingError {
  return forbidden(actor, action, 'administrators_only', path);
}

/** Same value, whatever its form: `'25'` and `'25.00'`, `null` and `undefined`. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  const numeric = (v: unknown) => (typeof v === 'number' || (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)) ? Number(v) : undefined);
  const [x, y] = [numeric(a), numeric(b)];
  if (x !== undefined && y !== undefined) return x === y;
  return a === b;
}

/**
 * Throws `FORBIDDEN` when a non-administrator changes an administrator field of a
 * session: a value given that differs from the current one (giving the same value
 * back, as an edit form does, is no change).
 *
 * @internal
 */
export function requireAdministratorForSessionChanges(
  actor: Actor,
  current: Partial<Record<SessionField, unknown>>,
  changes: Partial<Record<SessionField, unknown>>,
): void {
  if (isAdministrator(actor)) return;
  for (const field of Object.keys(ADMINISTRATOR_SESSION_FIELDS) as SessionField[]) {
    const value = changes[field];
    if (value !== undefined && !sameValue(value, current[field])) {
      throw refused(actor, `change a session's ${ADMINISTRATOR_SESSION_FIELDS[field]}`, [field]);
    }
  }
}

/**
 * Throws `FORBIDDEN` when a non-administrator creates a session with an administrator
 * field other than its default (capacity, minimum participants, price, discount,
 * waitlist size, recording).
 *
 * @internal
 */
export function requireAdministratorForSessionDefaults(actor: Actor, input: Partial<Record<SessionField, unknown>>): void {
  if (isAdministrator(actor)) return;
  for (const [field, fallback] of Object.entries(CREATE_DEFAULTS) as Array<[SessionField, unknown]>) {
    const value = input[field];
    if (value !== undefined && !sameValue(value, fallback)) {
      throw refused(actor, `set a session's ${ADMINISTRATOR_SESSION_FIELDS[field]}`, [field]);
    }
  }
}

/**
 * Throws `FORBIDDEN` when a non-administrator gives an availability slot a
 * `max_concurrent_sessions` above `ceiling`: the instructor's own limit
 * (`instructors.max_concurrent_sessions`), or what the slot already allows when that
 * is more. A slot's limit replaces the instructor's, so raising it would be an
 * override of the concurrency guarantee; lowering it (down to 0, a day off) is the
 * instructor's own business. `null` counts as 1, as in the database.
 *
 * @internal
 */
export function requireAdministratorToRaiseConcurrency(actor: Actor, requested: number | null | undefined, ceiling: number): void {
  if (isAdministrator(actor)) return;
  if ((requested ?? 1) > ceiling) {
    throw refused(actor, `allow more than ${ceiling} session(s) at once (only administrators raise an instructor's limit)`, ['maxConcurrentSessions']);
  }
}

/**
 * `authorize` of `bookings.book` / `bookings.bookMany`: what a booking is charged is
 * the academy's decision, not the family's (`FORBIDDEN` for non-administrators).
 *
 * @internal
 */
export function requireAdministratorForCharges(
  actor: Actor,
  bookings: ReadonlyArray<{ amountCharged?: string | null | undefined }>,
  path: (i: number) => Array<string | number> = () => ['amountCharged'],
): void {
  if (isAdministrator(actor)) return;
  bookings.forEach((booking, i) => {
    if (booking.amountCharged !== undefined && booking.amountCharged !== null) throw refused(actor, 'set the amount charged for a booking', path(i));
  });
}

/**
 * `authorize` of `makeups.book`: how many session credits a makeup uses is the
 * academy's decision; families get the default of 1.
 *
 * @internal
 */
export function requireAdministratorForCredits(actor: Actor, creditsUsed: number): void {
  if (isAdministrator(actor)) return;
  if (creditsUsed !== 1) throw refused(actor, 'choose how many credits a makeup uses', ['creditsUsed']);
}
