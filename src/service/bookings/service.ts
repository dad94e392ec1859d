import { defineOperation } from '../kernel/operation';
import type { ServiceContext } from '../kernel/context';
import { requireAdministratorForCharges } from '../kernel/administrator-decisions';
import { refuseInstructors } from '../kernel/family-access';
import { cancelBooking, moveBooking } from './cancel';
import { bookManySchema, bookSchema, cancelBookingSchema, familyScheduleSchema, moveBookingSchema, participantsSchema, upcomingSchema } from './inputs';
import { familySchedule, sessionParticipants, upcomingForStudent } from './read';
import { bookSiblings, bookStudent } from './book';
import { promotionSettings, requireAdministratorForWindow } from '../places/waitlist-promotion';
import { loadViewer, redactBooking, seenByActor } from '../kernel/visibility';
import { redactPromotion } from '../places/promotion-visibility';

/**
 * `scheduler.bookings`: book (or queue), book siblings, cancel, move, and the
 * booking queries. Every decision about places is made under the session's row lock.
 *
 * @example
 * ```ts
 * const result = await scheduler.bookings.book(parent, { sessionId, studentId });
 * if (result.outcome === 'waitlisted') console.log(`You are number ${result.position} on the waitlist`);
 * ```
 */
export function createBookingService(ctx: ServiceContext) {
  return {
    /** Confirms a place, or queues the student when the session is full (offers held count as taken). */
    book: defineOperation(ctx, bookSchema, (tx, input, actor) => bookStudent(tx, input, actor, promotionSettings(ctx)), {
      authorize: (actor, input) => {
        refuseInstructors('book a place')(actor);
        requireAdministratorForCharges(actor, [input]);
      },
    }),
    /** Books siblings into one session: all confirmed, or `CAPACITY_EXCEEDED` with nothing written. */
    bookMany: defineOperation(ctx, bookManySchema, (tx, input, actor) => bookSiblings(tx, input, actor, promotionSettings(ctx)), {
      authorize: (actor, input) => {
        refuseInstructors('book a place')(actor);
        requireAdministratorForCharges(actor, input.students, (i) => ['students', i, 'amountCharged']);
      },
    }),
    /** Cancels a booking and passes the place to the waitlist in the same transaction. */
    cancel: defineOperation(
      ctx,
      cancelBookingSchema,
      async (tx, input, actor) => {
        const { booking, promotion } = await cancelBooking(tx, input, actor, promotionSettings(ctx, input.offerWindowMinutes));
        // The place went to someone else's child: the canceller learns only what is theirs to see.
        const viewer = await loadViewer(tx, actor, [booking.sessionId]);
        return {
          booking: seenByActor(actor, redactBooking(viewer, booking), 'see this booking'),
          promotion: redactPromotion(viewer, booking.sessionId, promotion),
        };
      },
      { authorize: requireAdministratorForWindow },
    ),
    /** Moves a booking to another session of the same course; the old place goes to its waitlist. */
    move: defineOperation(
      ctx,
      moveBookingSchema,
      async (tx, input, actor) => {
        const { from, booking, promotion } = await moveBooking(tx, input, actor, promotionSettings(ctx, input.offerWindowMinutes));
        const viewer = await loadViewer(tx, actor, [from.sessionId, booking.sessionId]);
        return {
          from: seenByActor(actor, redactBooking(viewer, from), 'see this booking'),
          booking: seenByActor(actor, redactBooking(viewer, booking), 'see this booking'),
          promotion: redactPromotion(viewer, from.sessionId, promotion),
        };
      },
      {
        authorize: (actor, input) => {
          refuseInstructors('move a booking')(actor);
          requireAdministratorForWindow(actor, input);
        },
      },
    ),
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
