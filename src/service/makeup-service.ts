import { forbidden } from './actor';
import { bookMakeup, bookMakeupSchema } from './makeup-book';
import { defineOperation } from './operation';
import type { ServiceContext } from './service-context';

/**
 * `scheduler.makeups`: a student who missed or cancelled a session books a makeup in
 * another session of the same course within `makeupWindowDays` (default 30).
 * Admins, the student, or a linked parent may book; instructors may not.
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
    book: defineOperation(ctx, bookMakeupSchema, (tx, input, actor) => bookMakeup(tx, input, actor, ctx.makeupWindowDays), {
      authorize: (actor) => {
        if (actor.kind === 'instructor') throw forbidden(actor, 'book a makeup');
      },
    }),
  };
}

/** `scheduler.makeups`. */
export type MakeupService = ReturnType<typeof createMakeupService>;
