import * as z from 'zod/mini';
import { CALENDAR_FEED_KINDS, type CalendarFeedKind } from '../../schema/unqualified';
import { instantInput, requireRangeOrder, storableText, uuidInput } from '../kernel/inputs';

// Each schema is built on its first parse (`z.lazy`), not when the package is imported.

/** The longest range one feed covers: a school year and a bit. */
export const MAX_FEED_DAYS = 400;

/** How long a cancelled session stays in a feed (as `STATUS:CANCELLED`) after it was cancelled, by default. */
export const DEFAULT_CANCELLED_FOR_DAYS = 30;

/** Whose calendar a feed is: one kind and the uuid of its row. */
export interface FeedSubject {
  kind: CalendarFeedKind;
  id: string;
}

/** `{ student: uuid } | { parent: uuid } | …` as optional keys; {@link exactlyOneSubject} keeps one. */
const subjectKeys = {
  student: z.optional(uuidInput),
  parent: z.optional(uuidInput),
  instructor: z.optional(uuidInput),
  location: z.optional(uuidInput),
  facility: z.optional(uuidInput),
};

const ONE_SUBJECT = `name exactly one of ${CALENDAR_FEED_KINDS.join(', ')} (whose calendar the feed is)`;

/** Refinement: exactly one of the subject keys is set. */
function exactlyOneSubject(value: Partial<Record<CalendarFeedKind, unknown>>, ctx: z.core.$RefinementCtx<Partial<Record<CalendarFeedKind, unknown>>>) {
  const given = CALENDAR_FEED_KINDS.filter((kind) => value[kind] !== undefined);
  if (given.length !== 1) ctx.addIssue({ code: 'custom', path: given.length > 1 ? [given[1]!] : [], message: ONE_SUBJECT });
}

/**
 * The subject named by a validated input that holds exactly one subject key.
 *
 * @internal
 */
export function subjectOf(value: Partial<Record<CalendarFeedKind, string | undefined>>): FeedSubject {
  const kind = CALENDAR_FEED_KINDS.find((k) => value[k] !== undefined)!;
  return { kind, id: value[kind]! };
}

/**
 * `{ student: uuid }`, `{ parent: uuid }`, `{ instructor: uuid }`, `{ location: uuid }` or
 * `{ facility: uuid }`: the feed a token names.
 *
 * @internal
 */
export const feedSubjectInput = z.strictObject(subjectKeys).check(z.superRefine(exactlyOneSubject));

/** How many days a cancelled session stays visible: 0 (drop it at once) to a year. */
const cancelledForDaysInput = z._default(z.int().check(z.gte(0), z.lte(366)), DEFAULT_CANCELLED_FOR_DAYS);

/**
 * Input of `calendar.feed`: exactly one subject key, and the range `[from, until)` of
 * session starts (instants, at most {@link MAX_FEED_DAYS} days).
 *
 * @internal
 */
export const feedSchema = z.lazy(() =>
  z
    .strictObject({ ...subjectKeys, from: instantInput, until: instantInput, cancelledForDays: cancelledForDaysInput })
    .check(z.superRefine(exactlyOneSubject), z.superRefine(requireRangeOrder('from', 'until', MAX_FEED_DAYS))),
);

/** Input of `calendar.feed`. */
export type CalendarFeedInput = z.input<typeof feedSchema>;

/**
 * Input of `calendar.createToken`: the feed the token opens, and a label for the
 * family's or instructor's own use ("Pat's phone").
 *
 * @internal
 */
export const createTokenSchema = z.lazy(() =>
  z.strictObject({
    feed: feedSubjectInput,
    label: z.optional(storableText(z.string().check(z.trim(), z.minLength(1), z.maxLength(100)))),
  }),
);

/** Input of `calendar.createToken`. */
export type CreateCalendarTokenInput = z.input<typeof createTokenSchema>;

/**
 * Input of `calendar.listTokens`: optionally one feed.
 *
 * @internal
 */
export const listTokensSchema = z.lazy(() => z.strictObject({ feed: z.optional(feedSubjectInput) }));

/**
 * Input of `calendar.revokeToken`: the token's id (never the token itself).
 *
 * @internal
 */
export const revokeTokenSchema = z.lazy(() => z.strictObject({ id: uuidInput }));

/** A token as `createToken` makes it: the prefix, then 32 bytes in base64url (43 characters). */
export const TOKEN_PREFIX = 'acf_';

/**
 * The token argument of `calendar.feedForToken`: a string of sane length. Its shape is
 * not checked here: a string that is no live token is refused like an unknown one
 * (`NOT_FOUND`), never as `INVALID_INPUT`, so the answer does not tell which tokens
 * could exist.
 *
 * @internal
 */
export const tokenInput = z.string().check(z.maxLength(200));

/**
 * The range argument of `calendar.feedForToken`: both bounds optional (default: from 30
 * days before the scheduler's clock until 180 days after it).
 *
 * @internal
 */
export const feedForTokenSchema = z.lazy(() =>
  z.strictObject({ from: z.optional(instantInput), until: z.optional(instantInput) }).check(z.superRefine(requireRangeOrder('from', 'until', MAX_FEED_DAYS))),
);

/** The range argument of `calendar.feedForToken`. */
export type FeedForTokenInput = z.input<typeof feedForTokenSchema>;
