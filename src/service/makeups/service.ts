import { forbidden } from '../kernel/actor';
import { requireAdministratorForCredits } from '../kernel/administrator-decisions';
import { bookMakeup } from './book';
import { defineOperation } from '../kernel/operation';
import type { ServiceContext } from '../kernel/context';
import { promotionSettings } from '../places/waitlist-promotion';
import { bookMakeupSchema } from './inputs';

/**
 * `scheduler.makeups`: a student who missed or cancelled a session books a makeup in
 * another session of the same course within `makeupWindowDays` (default 30).
 * Admins, the student, or a linked parent may book; instructors may not. Only
 * administrators choose how many credits it uses (default 1).
 *
 * @example
 * ```ts
 * declare const missedBookingId: string; // the booking of the session the student missed
 * const { booking } = await scheduler.makeups.book(parent, { originalBookingId: missedBookingId, sessionId });
 * ```
 */
export function createMakeupService(ctx: ServiceContext) {
  return {
    /** Books a makeup for a missed or cancelled booking (once per original). */
    book: defineOperation(
      ctx,
      bookMakeupSchema,
      (tx, input, actor) => bookMakeup(tx, input, actor, { windowDays: ctx.makeupWindowDays, promotion: promotionSettings(ctx) }),
      {
        authorize: (actor, input) => {
          if (actor.kind === 'instructor') throw forbidden(actor, 'book a makeup', 'instructors_do_not_book');
          requireAdministratorForCredits(actor, input.creditsUsed);
        },
      },
    ),
  };
}

/** `scheduler.makeups`. */
export type MakeupService = ReturnType<typeof createMakeupService>;
