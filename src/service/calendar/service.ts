import { defineOperation } from '../kernel/operation';
import type { ServiceContext } from '../kernel/context';
import { feedForActor } from './feed';
import { defineFeedForToken } from './feed-for-token';
import { createTokenSchema, feedSchema, listTokensSchema, revokeTokenSchema, subjectOf } from './inputs';
import { createToken, listTokens, revokeToken } from './tokens';

/**
 * `scheduler.calendar`: subscribable iCalendar (RFC 5545) feeds of a student's, a
 * family's or an instructor's sessions, or of a place's timetable — one VEVENT per
 * session, in the location's time zone, with a UID that stays and a SEQUENCE that rises
 * with every change of time, place or status, so calendar apps update the event in place
 * and show a cancellation as cancelled. Personal feeds go to the family or the
 * instructor concerned and administrators; a place's timetable to anyone
 * (`feed-access.ts`). For a calendar app, which cannot sign in, make a token and serve
 * `feedForToken` from a public route.
 *
 * @example
 * ```ts
 * declare const parentId: string;
 * const parent = { kind: 'parent', parentId } as const;
 * const { ics, contentType } = await scheduler.calendar.feed(parent, {
 *   parent: parentId, from: '2030-01-01T00:00:00Z', until: '2030-07-01T00:00:00Z',
 * });
 *
 * // A subscribable URL: the token is shown once; only its hash is stored.
 * const { token, id } = await scheduler.calendar.createToken(parent, { feed: { parent: parentId }, label: "Pat's phone" });
 * // In the host's public route, GET /calendar/:token.ics:
 * const feed = await scheduler.calendar.feedForToken(token); // NOT_FOUND once revoked
 * await scheduler.calendar.revokeToken(parent, { id });
 * ```
 */
export function createCalendarService(ctx: ServiceContext) {
  return {
    /** The feed of one student, parent (all linked children), instructor, location or facility over `[from, until)` (at most 400 days), as `text/calendar`. */
    feed: defineOperation(ctx, feedSchema, (tx, input, actor) => feedForActor(tx, actor, subjectOf(input), input, ctx.now())),
    /** A token for a feed the actor may fetch; the token is in this result only. */
    createToken: defineOperation(ctx, createTokenSchema, (tx, input, actor) => createToken(tx, input, actor, ctx.now())),
    /** The tokens the actor may see (never the tokens themselves), of one feed or all. */
    listTokens: defineOperation(ctx, listTokensSchema, (tx, input, actor) => listTokens(tx, input, actor)),
    /** Revokes a token: its feed URL stops working at once. */
    revokeToken: defineOperation(ctx, revokeTokenSchema, (tx, input, actor) => revokeToken(tx, input, actor, ctx.now())),
    /** The feed a token opens, for the host's public route (no actor): `NOT_FOUND` for an unknown or revoked token. */
    feedForToken: defineFeedForToken(ctx),
  };
}

/** `scheduler.calendar`. */
export type CalendarService = ReturnType<typeof createCalendarService>;
