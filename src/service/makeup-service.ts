import { forbidden } from './actor';
import { requireAdministratorForCredits } from './administrator-decisions';
import { bookMakeup, bookMakeupSchema } from './makeup-book';
import { defineOperation } from './operation';
import type { ServiceContext } from './service-context';
import { promotionSettings } from './waitlist-promotion';

/**
 * `scheduler.makeups`: a student who missed or cancelled a session books a makeup in
 * another session of the same course within `makeupWindowDays` (default 30).
 * Admins, the student, or a linked parent may book; instructors may not. Only
 * administrators choose how many credits it uses (default 1).
 *
 * @example
 * ```ts
 * const makeups = createMakeupService(ctx);
 * const { booking } = await makeups.book(parent, { originalBookingId, sessionId });
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
          if (actor.kind === 'instructor') throw forbidden(actor, 'book a makeup');
          requireAdministratorForCredits(actor, input.creditsUsed);
        },
      },
    ),
  };
}

/** `scheduler.makeups`. */
export type MakeupService = ReturnType<typeof createMakeupService>;
