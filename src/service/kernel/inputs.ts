import { isDrizzlePgDatabase } from '../../db/drizzle-internals';
import * as z from 'zod/mini';
import { receivedAs } from '../../domain/input-messages';

import type { AnyPgDatabase } from '../../db/query';

/*
 * Zod building blocks shared by the service's input schemas. Ids are uuids (checked
 * here so a malformed id is INVALID_INPUT with a path, not a database cast error);
 * instants are Dates or ISO-8601 strings with an offset.
 *
 * A value that fails here must stop its own validation with an aborting issue (an
 * issue from a transform, or a check with `abort: true`): zod runs an object's
 * refinements unless one of its fields aborted, and those refinements (time order,
 * range length) would otherwise be handed the raw string.
 */

/** A uuid in the 8-4-4-4-12 form Postgres accepts. */
export const uuidInput = z.guid('expected a uuid');

const INSTANT_EXPECTED = 'expected a Date or an ISO-8601 instant with an offset, such as 2030-01-15T15:00:00Z';
/** `YYYY-MM-DDTHH:MM[:SS[.fraction]]` then `Z` or `±HH:MM`. */
const INSTANT_PATTERN =
  /^(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})T(?<hour>\d{2}):(?<minute>\d{2})(?::(?<second>\d{2})(?:\.(?<fraction>\d{1,9}))?)?(?:Z|(?<sign>[+-])(?<offsetHours>\d{2}):(?<offsetMinutes>\d{2}))$/;
/** What an HTML `datetime-local` field sends: a wall-clock time with no zone. */
const ZONELESS_PATTERN = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;
const DATE_ONLY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** Instants are accepted from 1000-01-01T00:00:00Z up to (not including) 10000-01-01T00:00:00Z. */
const FIRST_INSTANT = Date.UTC(1000, 0, 1);
const END_OF_INSTANTS = Date.UTC(10000, 0, 1);
/** Longer than any accepted instant string (35 characters with nanoseconds and an offset). */
const MAX_INSTANT_LENGTH = 40;

/** The time of an ISO-8601 string with an offset, or why it is not one. */
function parseInstantString(value: string): number | string {
  if (value.length > MAX_INSTANT_LENGTH) return INSTANT_EXPECTED;
  const parts = INSTANT_PATTERN.exec(value)?.groups;
  if (!parts) {
    if (DATE_ONLY_PATTERN.test(value)) {
      return 'a date alone is not an instant: give a time and an offset, such as 2030-01-15T00:00:00Z or 2030-01-15T00:00:00-05:00 (no time zone is guessed)';
    }
    if (ZONELESS_PATTERN.test(value)) {
      return 'a time without an offset (such as an HTML datetime-local value) is not an instant: add Z or ±HH:MM, such as 2030-01-15T16:00:00+01:00 (no time zone is guessed)';
    }
    return INSTANT_EXPECTED;
  }
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = [
    parts.year,
    parts.month,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
    parts.offsetHours,
    parts.offsetMinutes,
  ].map((digits) => Number(digits ?? 0)) as [number, number, number, number, number, number, number, number];
  const milliseconds = Number((parts.fraction ?? '').slice(0, 3).padEnd(3, '0'));
  if (hour > 23 || minute > 59 || second > 59) return 'not a real time of day (00:00:00 to 23:59:59)';
  if (offsetHours > 23 || offsetMinutes > 59) return 'not a valid offset (±HH:MM)';
  const local = Date.UTC(year, month - 1, day, hour, minute, second, milliseconds);
  const calendar = new Date(local);
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return 'not a real calendar date';
  const offset = (parts.sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return local - offset;
}

/** Why a value that is neither a `Date` nor a string is no instant: missing, or what it is instead. */
function notAnInstant(value: unknown): string {
  return value === undefined ? `required (${INSTANT_EXPECTED})` : `${INSTANT_EXPECTED} (received ${receivedAs(value)})`;
}

/**
 * An instant, as a `Date`. Accepted:
 *
 * - a `Date` that is not `Invalid Date`;
 * - an ISO-8601 string with an offset: `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by
 *   `Z` or `±HH:MM` (`2030-01-15T15:00:00Z`, `2030-01-15T10:00-05:00`); digits past
 *   milliseconds are dropped.
 *
 * Both between the years 1000 and 9999 (UTC). A string without an offset
 * (`2030-01-15T16:00`, what an HTML `datetime-local` field sends) or a date alone
 * (`2030-01-15`) names no instant: it is refused with `INVALID_INPUT`, and the message
 * says to add an offset. No time zone is guessed — not the server's, not the
 * location's; convert wall-clock times in the location's zone before calling.
 *
 * @internal
 */
export const instantInput = z.pipe(
  z.custom<Date | string>((value) => value instanceof Date || typeof value === 'string', { error: (issue) => notAnInstant(issue.input), abort: true }),
  z.transform((value: Date | string, payload): Date => {
    let time: number | string;
    try {
      time = typeof value === 'string' ? parseInstantString(value) : Date.prototype.getTime.call(value);
    } catch {
      time = 'expected a valid Date';
    }
    if (typeof time === 'number' && Number.isNaN(time)) time = 'expected a valid Date, not Invalid Date';
    if (typeof time === 'number' && (time < FIRST_INSTANT || time >= END_OF_INSTANTS)) time = 'instants before the year 1000 or after 9999 are not supported';
    if (typeof time === 'string') {
      // An issue without `continue` aborts: the refinements of the object holding the field do not run.
      payload.issues.push({ code: 'custom', message: time, input: value });
      return z.NEVER;
    }
    return new Date(time);
  }),
);

/** A non-negative amount below 100,000,000 (`numeric(10,2)`) with at most two decimals, as the string Postgres `numeric` takes. */
export const moneyInput = z.pipe(
  z.union([
    z.number().check(z.nonnegative(), z.lte(99_999_999.99, 'an amount is below 100,000,000')),
    z.string().check(z.regex(/^\d{1,8}(\.\d{1,2})?$/, 'expected an amount such as 12.50')),
  ]),
  z.transform((value: number | string) => (typeof value === 'number' ? value.toFixed(2) : value)),
);

/** A percentage 0–100 with at most two decimals. */
export const percentageInput = z
  .pipe(
    z.union([z.number().check(z.gte(0), z.lte(100)), z.string().check(z.regex(/^\d{1,3}(\.\d{1,2})?$/))]),
    z.transform((value: number | string) => (typeof value === 'number' ? value.toFixed(2) : value)),
  )
  .check(z.refine((value) => Number(value) <= 100, 'a percentage must be between 0 and 100'));

/** The largest Postgres `integer`: a count stored in an `integer` column is refused above it, not overflowed. */
export const INT4_MAX = 2_147_483_647;

/** Paging of list methods. */
export const pagingInput = {
  limit: z._default(z.number().check(z.int(), z.gte(1), z.lte(500)), 100),
  offset: z._default(z.number().check(z.int(), z.gte(0)), 0),
};

/** No NUL character and no unpaired UTF-16 surrogate: what Postgres text can hold as it is. */
const STORABLE = /^(?:[^\u0000\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;

/**
 * A string schema refined to text Postgres can store: a NUL character is refused by
 * every driver, and an unpaired surrogate is an error or a silent replacement
 * character depending on how the value travels. Both are `INVALID_INPUT` here.
 *
 * @internal
 */
export function storableText(schema: z.ZodMiniString<string>): z.ZodMiniString<string> {
  return schema.check(z.regex(STORABLE, 'contains a NUL character or an unpaired surrogate'));
}

/** Free text the database stores as TEXT; bounded so a request cannot be arbitrarily large. */
export const textInput = storableText(z.string().check(z.maxLength(10_000)));

/** The `Date` at `key` of a refined object, or undefined: refinements may still meet a value that failed. */
function instantAt(value: unknown, key: string): Date | undefined {
  const item = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return item instanceof Date && !Number.isNaN(item.getTime()) ? item : undefined;
}

/**
 * Refinement: `end` after `start` (half-open intervals cannot be empty) and at most 24 hours.
 * It checks only two valid `Date`s: a field that failed is reported by its own schema.
 *
 * @internal
 */
export function requireTimeOrder<K extends string>(startKey: K, endKey: K, maxHours = 24) {
  return (value: Partial<Record<K, Date | undefined>>, ctx: z.core.$RefinementCtx<Partial<Record<K, Date | undefined>>>) => {
    const start = instantAt(value, startKey);
    const end = instantAt(value, endKey);
    if (!start || !end) return;
    if (end.getTime() <= start.getTime()) {
      ctx.addIssue({ code: 'custom', path: [endKey], message: `${endKey} must be after ${startKey}` });
    } else if (end.getTime() - start.getTime() > maxHours * 3_600_000) {
      ctx.addIssue({ code: 'custom', path: [endKey], message: `a session lasts at most ${maxHours} hours` });
    }
  };
}

/**
 * Refinement of a query range `[from, until)`: `until` after `from`, and at most
 * `maxDays` long. Like {@link requireTimeOrder}, it checks only two valid `Date`s.
 *
 * @internal
 */
export function requireRangeOrder<K extends string>(fromKey: K, untilKey: K, maxDays: number, tooLong = `at most ${maxDays} days at a time`) {
  return (value: Partial<Record<K, Date | undefined>>, ctx: z.core.$RefinementCtx<Partial<Record<K, Date | undefined>>>) => {
    const from = instantAt(value, fromKey);
    const until = instantAt(value, untilKey);
    if (!from || !until) return;
    if (until.getTime() <= from.getTime()) {
      ctx.addIssue({ code: 'custom', path: [untilKey], message: `${untilKey} must be after ${fromKey}` });
    } else if (until.getTime() - from.getTime() > maxDays * 86_400_000) {
      ctx.addIssue({ code: 'custom', path: [untilKey], message: tooLong });
    }
  };
}

/**
 * A Drizzle PostgreSQL database or transaction (see {@link isDrizzlePgDatabase}).
 *
 * @internal
 */
export const drizzleDatabaseInput = z.custom<AnyPgDatabase>(isDrizzlePgDatabase, {
  message: 'expected a Drizzle PostgreSQL database or transaction (drizzle() of postgres.js, node-postgres or PGlite)',
  abort: true,
});

/** A booking's uuid or `BKG-…` code. */
export const bookingRefInput = z.union([uuidInput, z.string().check(z.regex(/^BKG-\d{4}-\d{4,}$/, 'expected a booking uuid or BKG-YYYY-NNNN code'))]);

/** A waitlist entry's uuid or `WLT-…` code. */
export const waitlistRefInput = z.union([uuidInput, z.string().check(z.regex(/^WLT-\d{4}-\d{4,}$/, 'expected a waitlist uuid or WLT-YYYY-NNNN code'))]);

/** How long an offer holds a place, in minutes: 1 minute to 30 days (the scheduler option and the per-call override). */
export const offerWindowMinutesInput = z.number().check(z.int(), z.gte(1), z.lte(60 * 24 * 30));

/** Per-call override of the offer window (administrators only). */
export const promotionOverrideInput = { offerWindowMinutes: z.optional(offerWindowMinutesInput) };

/** Input of the methods that take one session and nothing else. */
export const sessionRef = z.strictObject({ sessionId: uuidInput });
