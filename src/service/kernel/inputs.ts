import * as z from 'zod/mini';
import { offerWindowMinutesInput } from './scheduler-options';
import { receivedAs } from '../../domain/input-messages';
import { localDateRangeToInterval, localDateTimeSchema, localTimeToInstant } from '../../domain/local-time';
import { localDateSchema } from '../../domain/schemas';
import { invalidInput, safeParseInput } from '../../domain/validate';
import type { SchedulingError, ValidationIssue } from '../../errors';

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

/**
 * A local date and wall-clock time, `{ date: 'YYYY-MM-DD', time: 'HH:MM[:SS]' }`: the
 * domain's `localDateTimeSchema` with its keys checked, so a misspelt key is refused
 * rather than dropped.
 *
 * @internal
 */
export const localDateTimeInput = z.strictObject(localDateTimeSchema.shape);
/** A local date and wall-clock time as a service input gives it. */
export type LocalDateTimeInput = z.output<typeof localDateTimeInput>;

/**
 * A local date, `{ date: 'YYYY-MM-DD' }`, as a bound of a query range: the first instant
 * of that day.
 *
 * @internal
 */
export const localDayInput = z.strictObject({ date: localDateSchema });
/** A local date as a range bound gives it. */
export type LocalDayInput = z.output<typeof localDayInput>;

const plainObject = (value: unknown): value is object => typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/**
 * An instant ({@link instantInput}) or, given as an object, a local reading parsed by
 * `local`. Which schema applies is decided by the value's type, not by trying both, so
 * a malformed local object is refused inside it (`startTime.date`), never as "matches
 * no option".
 */
function instantOr<L extends z.core.$ZodType<object>>(local: L, localExpected: string) {
  const expected = `expected a Date, an ISO-8601 instant with an offset (such as 2030-01-15T15:00:00Z) or ${localExpected}`;
  return z.pipe(
    z.custom<Date | string | object>((value) => value instanceof Date || typeof value === 'string' || plainObject(value), {
      error: (issue) => (issue.input === undefined ? `required (${expected})` : `${expected} (received ${receivedAs(issue.input)})`),
      abort: true,
    }),
    z.transform((value: Date | string | object, payload): Date | z.output<L> => {
      const parsed = safeParseInput(plainObject(value) ? local : instantInput, value);
      if (parsed.success) return parsed.data as Date | z.output<L>;
      // Aborting issues, as instantInput's own: the object's refinements do not run on a field that failed.
      for (const issue of parsed.error.issues) payload.issues.push({ code: 'custom', message: issue.message, input: value, path: [...issue.path] });
      return z.NEVER;
    }),
  );
}

/**
 * A session's start or end: an instant, or `{ date, time }`, a wall-clock time in the
 * zone of the session's location, which the use case converts once it has read the
 * location (`instantIn`).
 *
 * @internal
 */
export const instantOrLocalInput = instantOr(localDateTimeInput, "a local { date: 'YYYY-MM-DD', time: 'HH:MM' }");

/**
 * A bound of a query range: an instant, or `{ date }`, the first instant of that local
 * day (`instantRangeIn`).
 *
 * @internal
 */
export const instantOrLocalDayInput = instantOr(localDayInput, "a local day { date: 'YYYY-MM-DD' }");

/** True for a local reading (`{ date, time }` or `{ date }`), false for an instant. */
export function isLocal<L extends object>(value: Date | L | undefined): value is L {
  return value !== undefined && !(value instanceof Date);
}

/**
 * The instant of a session time: an instant as it is, a local `{ date, time }` read in
 * `timeZone` by the domain's `localTimeToInstant` (a time in a spring-forward gap moves
 * forward by the gap, a repeated fall-back time is the earlier instant).
 *
 * @internal
 */
export function instantIn(value: Date | LocalDateTimeInput, timeZone: string): Date {
  return value instanceof Date ? value : localTimeToInstant(value, timeZone);
}

/** Why a local date cannot be read: the call names no zone. */
export const LOCAL_DATE_NEEDS_A_ZONE = "a local date needs a time zone: give timeZone, or locationId to read it in the location's zone";

/**
 * A query range `[from, until)` of instants or local days, as instants: a local day is
 * the first instant of that date in `timeZone` (`localDateRangeToInterval`), so
 * `until` stays exclusive (the week of 11 January is `{ date: '2027-01-11' }` until
 * `{ date: '2027-01-18' }`). A local day without a zone is `INVALID_INPUT` at its key.
 * When a bound was local, the order (and length) the schema could not check is checked
 * here, as {@link requireRangeOrder} does.
 *
 * @internal
 */
export function instantRangeIn<K extends string>(
  range: Partial<Record<K, Date | LocalDayInput | undefined>>,
  keys: readonly [K, K],
  timeZone: string | undefined,
  limit: { maxDays?: number; tooLong?: string } = {},
): Partial<Record<K, Date>> {
  const instants: Partial<Record<K, Date>> = {};
  for (const key of keys) {
    const value: Date | LocalDayInput | undefined = range[key];
    if (!isLocal(value)) {
      instants[key] = value;
      continue;
    }
    if (timeZone === undefined) throw refusal({ path: [key], message: LOCAL_DATE_NEEDS_A_ZONE });
    instants[key] = localDateRangeToInterval({ fromDate: value.date, toDate: value.date }, timeZone).start;
  }
  const [fromKey, untilKey] = keys;
  if (isLocal(range[fromKey]) || isLocal(range[untilKey])) {
    const issue = rangeOrderIssue(instants, fromKey, untilKey, limit.maxDays, limit.tooLong);
    if (issue) throw refusal(issue);
  }
  return instants;
}

/**
 * The `INVALID_INPUT` of one issue found after the schema (once local times are
 * converted), worded as the schema words its own: `Invalid input at endTime: …`.
 *
 * @internal
 */
export function refusal(issue: ValidationIssue): SchedulingError<'INVALID_INPUT'> {
  return invalidInput(`Invalid input at ${issue.path.join('.')}: ${issue.message}`, issue.path, { issues: [issue] });
}

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

/** The `Date` at `key` of a refined object, or undefined: refinements may still meet a value that failed (or a local time not yet converted). */
function instantAt(value: unknown, key: string): Date | undefined {
  const item = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return item instanceof Date && !Number.isNaN(item.getTime()) ? item : undefined;
}

/**
 * What is wrong with the interval `[start, end)` at `value[startKey]`, `value[endKey]`:
 * `end` not after `start` (half-open intervals cannot be empty), or longer than
 * `maxMs`. Only two valid `Date`s are checked: a field that failed is reported by its
 * own schema, and a local time is checked once converted.
 */
function orderIssue(value: unknown, startKey: string, endKey: string, maxMs: number, tooLong: string): ValidationIssue | undefined {
  const start = instantAt(value, startKey);
  const end = instantAt(value, endKey);
  if (!start || !end) return undefined;
  if (end.getTime() <= start.getTime()) return { path: [endKey], message: `${endKey} must be after ${startKey}` };
  if (end.getTime() - start.getTime() > maxMs) return { path: [endKey], message: tooLong };
  return undefined;
}

/**
 * The time-order issue of a session's times: `end` after `start`, and at most `maxHours`
 * (undefined when fine). The one rule behind {@link requireTimeOrder} and the check a
 * use case makes after converting local times.
 *
 * @internal
 */
export function timeOrderIssue<K extends string>(
  value: Partial<Record<K, Date | undefined>>,
  startKey: K,
  endKey: K,
  maxHours = 24,
): ValidationIssue | undefined {
  return orderIssue(value, startKey, endKey, maxHours * 3_600_000, `a session lasts at most ${maxHours} hours`);
}

/**
 * The order issue of a query range: `until` after `from`, and at most `maxDays` long
 * when given (undefined when fine). The rule behind {@link requireRangeOrder}.
 *
 * @internal
 */
export function rangeOrderIssue<K extends string>(
  value: Partial<Record<K, Date | undefined>>,
  fromKey: K,
  untilKey: K,
  maxDays = Number.POSITIVE_INFINITY,
  tooLong = `at most ${maxDays} days at a time`,
): ValidationIssue | undefined {
  return orderIssue(value, fromKey, untilKey, maxDays * 86_400_000, tooLong);
}

/**
 * Refinement: `end` after `start` (half-open intervals cannot be empty) and at most 24 hours.
 * It checks only two valid `Date`s: a field that failed is reported by its own schema,
 * and a local time by the use case that converts it (`timeOrderIssue`).
 *
 * @internal
 */
export function requireTimeOrder<K extends string>(startKey: K, endKey: K, maxHours = 24) {
  return (value: Partial<Record<K, unknown>>, ctx: z.core.$RefinementCtx<Partial<Record<K, unknown>>>) => {
    const issue = timeOrderIssue(value as Partial<Record<K, Date | undefined>>, startKey, endKey, maxHours);
    if (issue) ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
  };
}

/**
 * Refinement of a query range `[from, until)`: `until` after `from`, and at most
 * `maxDays` long (no limit when not given). Like {@link requireTimeOrder}, it checks
 * only two valid `Date`s.
 *
 * @internal
 */
export function requireRangeOrder<K extends string>(fromKey: K, untilKey: K, maxDays?: number, tooLong?: string) {
  return (value: Partial<Record<K, unknown>>, ctx: z.core.$RefinementCtx<Partial<Record<K, unknown>>>) => {
    const issue = rangeOrderIssue(value as Partial<Record<K, Date | undefined>>, fromKey, untilKey, maxDays, tooLong);
    if (issue) ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
  };
}

/** A booking's uuid or `BKG-…` code. */
export const bookingRefInput = z.union([uuidInput, z.string().check(z.regex(/^BKG-\d{4}-(?:\d+-)?\d{4,}$/, 'expected a booking uuid or BKG-YYYY-NNNN code'))]);

/** A waitlist entry's uuid or `WLT-…` code. */
export const waitlistRefInput = z.union([
  uuidInput,
  z.string().check(z.regex(/^WLT-\d{4}-(?:\d+-)?\d{4,}$/, 'expected a waitlist uuid or WLT-YYYY-NNNN code')),
]);

/** Per-call override of the offer window (administrators only). */
export const promotionOverrideInput = { offerWindowMinutes: z.optional(offerWindowMinutesInput) };

/** Input of the methods that take one session and nothing else. */
export const sessionRef = z.strictObject({ sessionId: uuidInput });
