import { requireAdministrator } from '../kernel/actor';
import { requireActsForStudent, refuseInstructors } from '../kernel/family-access';
import { defineOperation } from '../kernel/operation';
import type { ServiceContext } from '../kernel/context';
import { expireOffersSchema, joinWaitlistSchema, respondSchema, waitlistEntryRefSchema } from './inputs';
import { acceptOffer, declineOffer, expireDueOffers, joinWaitlist, leaveWaitlist } from './offers';
import { type PromotionResult, promotionSettings, requireAdministratorForWindow } from '../places/waitlist-promotion';
import { waitlistStanding } from '../places/waitlist-queue';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from '../kernel/types';
import { loadViewer, redactEntry, seenByActor } from '../kernel/visibility';
import { type WaitlistRow } from '../kernel/rows';
import { redactPromotion } from '../places/promotion-visibility';

/** An answer to the queue (leave, decline) as the actor sees it: their entry, and nothing of whoever the place went to. */
async function asSeenBy(tx: SchedulingDb, actor: Actor, result: { entry: WaitlistRow; promotion: PromotionResult }) {
  const viewer = await loadViewer(tx, actor, [result.entry.sessionId]);
  return {
    entry: seenByActor(actor, redactEntry(viewer, result.entry), 'see this waitlist entry'),
    promotion: redactPromotion(viewer, result.entry.sessionId, result.promotion),
  };
}

/**
 * `scheduler.waitlist`: join, leave, see one's place, answer offers, and the cron
 * entry point that expires unanswered offers.
 *
 * @example
 * ```ts
 * const waitlist = createWaitlistService(ctx);
 * const { position } = await waitlist.join(parent, { sessionId, studentId });
 * await waitlist.accept(parent, { waitlistId });
 * await waitlist.expireOffers({ kind: 'system' }, {});
 * ```
 */
export function createWaitlistService(ctx: ServiceContext) {
  return {
    /** Queues a student for a full session; returns the entry and its position. */
    join: defineOperation(ctx, joinWaitlistSchema, (tx, input, actor) => joinWaitlist(tx, input, actor, promotionSettings(ctx)), {
      authorize: refuseInstructors('join a waitlist'),
    }),
    /** Leaves the queue; an open offer's place passes to the next in line. */
    leave: defineOperation(ctx, respondSchema, async (tx, input, actor) => asSeenBy(tx, actor, await leaveWaitlist(tx, input, actor, promotionSettings(ctx, input.offerWindowMinutes))), {
      authorize: requireAdministratorForWindow,
    }),
    /** The entry, its place (null once it left the queue) and the queue's length. */
    position: defineOperation(ctx, waitlistEntryRefSchema, async (tx, input, actor) => {
      const standing = await waitlistStanding(tx, input.waitlistId);
      await requireActsForStudent(tx, actor, standing.entry.studentId, 'see this waitlist entry');
      return standing;
    }),
    /** Accepts an open offer: confirmed booking, entry `accepted`. */
    accept: defineOperation(ctx, waitlistEntryRefSchema, (tx, input, actor) => acceptOffer(tx, input, actor, promotionSettings(ctx))),
    /** Declines an open offer; the place passes to the next in line. */
    decline: defineOperation(ctx, respondSchema, async (tx, input, actor) => asSeenBy(tx, actor, await declineOffer(tx, input, actor, promotionSettings(ctx, input.offerWindowMinutes))), {
      authorize: requireAdministratorForWindow,
    }),
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
