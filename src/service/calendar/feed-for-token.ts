import { SchedulingError } from '../../errors';
import { parseInput } from '../../domain/validate';
import { operationNameOf } from '../kernel/lazy-feature';
import { parseCallOptions, parseOperationInput, withInputSchema } from '../kernel/operation';
import { rangeOrderIssue, refusal } from '../kernel/inputs';
import type { ServiceContext } from '../kernel/context';
import type { Actor, CallOptions } from '../kernel/types';
import { type CalendarFeed, buildFeed } from './feed';
import { DEFAULT_CANCELLED_FOR_DAYS, type FeedForTokenInput, MAX_FEED_DAYS, feedForTokenSchema, tokenInput } from './inputs';
import { useToken } from './tokens';

/** What a subscribed calendar gets by default: the last month and the next six. */
const DEFAULT_DAYS_BACK = 30;
const DEFAULT_DAYS_AHEAD = 180;
const DAY_MS = 86_400_000;

/** The token reads the feed as the system would: no user, no family; the token is the right. */
const TOKEN_READER: Actor = { kind: 'system' };

/**
 * The refusal of a token that opens no feed: never made, revoked, or not even shaped like
 * one — the same code and words for each, and never the token itself (it would end up in
 * logs), so the answer tells nothing about which tokens exist or existed.
 */
function noSuchFeed(): SchedulingError<'NOT_FOUND'> {
  return new SchedulingError('NOT_FOUND', 'No calendar feed for this token (unknown or revoked)', { path: ['token'], entity: 'calendar feed token' });
}

/** `calendar.feedForToken`: how the host's public feed URL calls it. */
export type FeedForToken = (token: string, input?: FeedForTokenInput, options?: CallOptions) => Promise<CalendarFeed>;

/**
 * `calendar.feedForToken`, for the host's public HTTP route (`GET /calendar/:token.ics`):
 * no actor, the token is the right. Validated as every operation is (`INVALID_INPUT` with
 * a path: a token that is not a string, a bad range), then one transaction (or the
 * host's `{ tx }`) that marks the token used and renders its feed. An unknown or revoked
 * token is `NOT_FOUND` (see {@link noSuchFeed}). `from`/`until` default to 30 days
 * before and 180 after the scheduler's clock; cancelled sessions stay 30 days.
 *
 * @internal
 */
export function defineFeedForToken(ctx: ServiceContext): FeedForToken {
  const feedForToken: FeedForToken = async (rawToken, rawInput = {}, options) => {
    const token = parseInput(tokenInput, rawToken, { prefix: ['token'], argument: 'token' });
    const input = parseOperationInput(feedForTokenSchema, rawInput);
    const { tx } = parseCallOptions(options);
    const now = ctx.now();
    const from = input.from ?? new Date(now.getTime() - DEFAULT_DAYS_BACK * DAY_MS);
    const until = input.until ?? new Date(now.getTime() + DEFAULT_DAYS_AHEAD * DAY_MS);
    // The schema checked two given bounds; a defaulted one is checked here, by the same rule.
    const issue = rangeOrderIssue({ from, until }, 'from', 'until', MAX_FEED_DAYS);
    if (issue) throw refusal(issue);
    return ctx.run({ actor: TOKEN_READER, tx, operation: operationNameOf(feedForToken) }, async (db) => {
      const subject = await useToken(db, token, now);
      if (!subject) throw noSuchFeed();
      return buildFeed(db, subject, { from, until, cancelledForDays: DEFAULT_CANCELLED_FOR_DAYS }, now);
    });
  };
  return withInputSchema(feedForToken, feedForTokenSchema);
}
