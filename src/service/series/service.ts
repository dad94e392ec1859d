import { requireAdministrator } from '../kernel/actor';
import { defineOperation } from '../kernel/operation';
import type { ServiceContext } from '../kernel/context';
import { cancelFrom, cancelOccurrence } from './cancel';
import { createSeries } from './create';
import { editFollowing, editOccurrence } from './edit';
import { extendSeries } from './extend';
import { cancelFromSchema, cancelOccurrenceSchema, createSeriesSchema, editFollowingSchema, editOccurrenceSchema, extendSeriesSchema } from './inputs';
import type { Actor } from '../kernel/types';
import { promotionSettings } from '../places/waitlist-promotion';

/** Only administrators (admins and the system) manage series. */
const administrators = (action: string) => (actor: Actor) => requireAdministrator(actor, action);

/**
 * `scheduler.series`: recurring series of sessions — create from a pattern, edit one
 * occurrence or this-and-following, cancel one or from a date on, extend.
 *
 * @example
 * ```ts
 * declare const programId: string, courseId: string, locationId: string, facilityId: string, instructorId: string;
 * const { pattern, sessions } = await scheduler.series.create(admin, {
 *   pattern: { name: 'Swim club', patternType: 'weekly', daysOfWeek: [1, 3, 5], startDate: '2030-01-14', endDate: '2030-12-31', startTime: '10:00', endTime: '11:00' },
 *   session: { programId, courseId, locationId, facilityId, instructorId, sessionType: 'group', title: 'Swim club' },
 * });
 * await scheduler.series.cancelFrom(admin, { patternId: pattern.id, fromDate: '2030-06-01', reason: 'Pool renovation' });
 * ```
 */
export function createSeriesService(ctx: ServiceContext) {
  return {
    /** Creates a pattern and all its occurrences in one transaction (`all-or-nothing` or `skip-conflicts`). */
    create: defineOperation(ctx, createSeriesSchema, (tx, input, actor) => createSeries(tx, input, actor, ctx.policy), {
      override: (input) => input.override,
      authorize: administrators('create a recurring series'),
    }),
    /**
     * Changes one occurrence (times, instructor, facility); it stays in its series. A new
     * start before the clock is refused (`in_the_past`) unless `allowPast: true`, as in `sessions.update`.
     */
    editOccurrence: defineOperation(
      ctx,
      editOccurrenceSchema,
      (tx, input, actor) => editOccurrence(tx, input, actor, { policy: ctx.policy, promotion: promotionSettings(ctx), now: ctx.now() }),
      {
        override: (input) => input.override,
        authorize: administrators('edit a recurring series'),
      },
    ),
    /** Changes this and the following occurrences, splitting the pattern. */
    editFollowing: defineOperation(ctx, editFollowingSchema, (tx, input, actor) => editFollowing(tx, input, actor, ctx.now()), {
      override: (input) => input.override,
      authorize: administrators('edit a recurring series'),
    }),
    /** Cancels one occurrence and its bookings. */
    cancelOccurrence: defineOperation(ctx, cancelOccurrenceSchema, (tx, input, actor) => cancelOccurrence(tx, input, actor, ctx.policy, ctx.now()), {
      authorize: administrators('cancel a recurring series'),
    }),
    /** Cancels the occurrences from a date on and ends the pattern the day before. */
    cancelFrom: defineOperation(ctx, cancelFromSchema, (tx, input, actor) => cancelFrom(tx, input, actor, ctx.policy, ctx.now()), {
      authorize: administrators('cancel a recurring series'),
    }),
    /** Extends the end date or count, creating only the new dates. */
    extend: defineOperation(ctx, extendSeriesSchema, (tx, input, actor) => extendSeries(tx, input, actor, ctx.policy, ctx.now()), {
      override: (input) => input.override,
      authorize: administrators('extend a recurring series'),
    }),
  };
}

/** `scheduler.series`. */
export type SeriesService = ReturnType<typeof createSeriesService>;
