import { requireAdministrator } from '../kernel/actor';
import { requireActsForStudent, refuseInstructors } from '../kernel/family-access';
import { defineOperation } from '../kernel/operation';
import { queueAnswerSeenBy } from './seen-by';
import type { ServiceContext } from '../kernel/context';
import { expireOffersSchema, joinWaitlistSchema, listWaitlistSchema, respondSchema, waitlistEntryRefSchema } from './inputs';
import { listWaitlist } from './list';
import { acceptOffer, declineOffer, expireDueOffers, joinWaitlist, leaveWaitlist } from './offers';
import { promotionSettings, requireAdministratorForWindow } from '../places/waitlist-promotion';
import { waitlistStanding } from '../places/waitlist-queue';

/**
 * `scheduler.waitlist`: join, leave, see one's place or the session's queue, answer
 * offers, and the cron entry point that expires unanswered offers.
 *
 * @example
 * ```ts
 * const { entry, position } = await scheduler.waitlist.join(parent, { sessionId, studentId });
 * // once a place is offered:
 * await scheduler.waitlist.accept(parent, { waitlistId: entry.id });
 * // the instructor's view of the queue, in the order places will be offered:
 * const { queueLength, entries } = await scheduler.waitlist.list(instructor, { sessionId });
 * for (const e of entries) console.log(`${e.rank}/${queueLength}`, e.student.firstName, e.status, e.responseDeadline);
 * // the host's cron job:
 * await scheduler.waitlist.expireOffers({ kind: 'system' }, {});
 * ```
 */
export function createWaitlistService(ctx: ServiceContext) {
  return {
    /** Queues a student for a full session; returns the entry and its position. */
    join: defineOperation(ctx, joinWaitlistSchema, (tx, input, actor) => joinWaitlist(tx, input, actor, promotionSettings(ctx)), {
      authorize: refuseInstructors('join a waitlist'),
    }),
    /** Leaves the queue; an open offer's place passes to the next in line. */
    leave: defineOperation(
      ctx,
      respondSchema,
      async (tx, input, actor) => queueAnswerSeenBy(tx, actor, await leaveWaitlist(tx, input, actor, promotionSettings(ctx, input.offerWindowMinutes))),
      {
        authorize: requireAdministratorForWindow,
      },
    ),
    /** The entry, its place (null once it left the queue) and the queue's length. */
    position: defineOperation(ctx, waitlistEntryRefSchema, async (tx, input, actor) => {
      const standing = await waitlistStanding(tx, input.waitlistId);
      await requireActsForStudent(tx, actor, standing.entry.studentId, 'see this waitlist entry');
      return standing;
    }),
    /** A session's active queue in promotion order, with names and the queue's length (a family sees only its own entries; another instructor is refused). */
    list: defineOperation(ctx, listWaitlistSchema, (tx, input, actor) => listWaitlist(tx, input, actor)),
    /** Accepts an open offer: confirmed booking, entry `accepted`. */
    accept: defineOperation(ctx, waitlistEntryRefSchema, (tx, input, actor) => acceptOffer(tx, input, actor, promotionSettings(ctx))),
    /** Declines an open offer; the place passes to the next in line. */
    decline: defineOperation(
      ctx,
      respondSchema,
      async (tx, input, actor) => queueAnswerSeenBy(tx, actor, await declineOffer(tx, input, actor, promotionSettings(ctx, input.offerWindowMinutes))),
      {
        authorize: requireAdministratorForWindow,
      },
    ),
    /** Expires offers past their deadline and passes the places on (admins and the system; safe to run concurrently). */
    expireOffers: defineOperation(
      ctx,
      expireOffersSchema,
      (tx, input) => expireDueOffers(tx, input, { ...promotionSettings(ctx, input.offerWindowMinutes), ...(input.now ? { now: input.now } : {}) }),
      { authorize: (actor) => requireAdministrator(actor, 'expire waitlist offers') },
    ),
  };
}

/** `scheduler.waitlist`. */
export type WaitlistService = ReturnType<typeof createWaitlistService>;
