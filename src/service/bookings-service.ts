import { defineOperation } from './operation';
import type { ServiceContext } from './service-context';
import { refuseInstructors } from './booking-access';
import { cancelBooking, moveBooking } from './booking-cancel';
import {
  bookManySchema,
  bookSchema,
  cancelBookingSchema,
  familyScheduleSchema,
  moveBookingSchema,
  participantsSchema,
  upcomingSchema,
} from './booking-inputs';
import { familySchedule, sessionParticipants, upcomingForStudent } from './booking-read';
import { bookSiblings, bookStudent } from './booking-write';
import { promotionSettings, requireAdministratorForWindow } from './waitlist-promotion';

/**
 * `scheduler.bookings`: book (or queue), book siblings, cancel, move, and the
 * booking queries. Every decision about places is made under the session's row lock.
 *
 * @example
 * ```ts
 * const bookings = createBookingService(ctx);
 * const result = await bookings.book(parent, { sessionId, studentId });
 * if (result.outcome === 'waitlisted') show(`You are number ${result.position} on the waitlist`);
 * ```
 */
export function createBookingService(ctx: ServiceContext) {
  return {
    /** Confirms a place, or queues the student when the session is full (offers held count as taken). */
    book: defineOperation(ctx, bookSchema, (tx, input, actor) => bookStudent(tx, input, actor, promotionSettings(ctx)), {
      authorize: refuseInstructors('book a place'),
    }),
    /** Books siblings into one session: all confirmed, or `CAPACITY_EXCEEDED` with nothing written. */
    bookMany: defineOperation(ctx, bookManySchema, (tx, input, actor) => bookSiblings(tx, input, actor, promotionSettings(ctx)), {
      authorize: refuseInstructors('book a place'),
    }),
    /** Cancels a booking and passes the place to the waitlist in the same transaction. */
    cancel: defineOperation(ctx, cancelBookingSchema, (tx, input, actor) => cancelBooking(tx, input, actor, promotionSettings(ctx, input.offerWindowMinutes)), {
      authorize: requireAdministratorForWindow,
    }),
    /** Moves a booking to another session of the same course; the old place goes to its waitlist. */
    move: defineOperation(ctx, moveBookingSchema, (tx, input, actor) => moveBooking(tx, input, actor, promotionSettings(ctx, input.offerWindowMinutes)), {
      authorize: (actor, input) => {
        refuseInstructors('move a booking')(actor);
        requireAdministratorForWindow(actor, input);
      },
    }),
    /** A student's confirmed bookings of sessions starting from `from` (default: now), by start time. */
    upcomingForStudent: defineOperation(ctx, upcomingSchema, (tx, input, actor) => upcomingForStudent(tx, input, actor, ctx.now())),
    /** The confirmed participants of a session by name (administrators and the session's instructor). */
    participants: defineOperation(ctx, participantsSchema, (tx, input, actor) => sessionParticipants(tx, input, actor)),
    /** A parent's children's bookings and waitlist entries in `[from, until)`. */
    familySchedule: defineOperation(ctx, familyScheduleSchema, (tx, input, actor) => familySchedule(tx, input, actor)),
  };
}

/** `scheduler.bookings`. */
export type BookingService = ReturnType<typeof createBookingService>;
