import { SESSION_TYPES } from './statuses';
import * as z from 'zod/mini';
import { isValidTimeZone } from './time-zone';
import { receivedAs } from './input-messages';

/**
 * Shared zod building blocks for the domain's input schemas. Dates and times arrive
 * the way Drizzle returns Postgres `date` and `time` columns: strings.
 */

/*
 * A failed format check here ends the value's validation (`abort`): otherwise zod
 * would go on to run the refinements of the object holding it (date order, time
 * order) on a string that is not a date or a time.
 */

/**
 * A calendar date `YYYY-MM-DD` (a real date, years 1000–9999), as Drizzle returns `date`.
 *
 * @example
 * ```ts
 * import { localDateSchema } from 'academy-scheduling/domain';
 * localDateSchema.parse('2025-01-15');
 * ```
 */
export const localDateSchema = z
  .pipe(
    z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date as YYYY-MM-DD', abort: true })),
    z.iso.date({ message: 'not a real calendar date', abort: true }),
  )
  .check(z.refine((value) => Number(value.slice(0, 4)) >= 1000, { message: 'years before 1000 are not supported', abort: true }));

/**
 * A wall-clock time `HH:MM` or `HH:MM:SS` (`24:00[:00]` = end of day), as Drizzle returns `time`.
 *
 * @example
 * ```ts
 * import { timeOfDaySchema } from 'academy-scheduling/domain';
 * timeOfDaySchema.parse('10:00:00');
 * ```
 */
export const timeOfDaySchema = z
  .string()
  .check(z.regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?|24:00(?::00)?)$/, { message: 'expected a time as HH:MM or HH:MM:SS', abort: true }));

/** Why a value is not a valid `Date`: missing, an Invalid Date, or what it is instead. */
function notADate(value: unknown): string {
  if (value === undefined) return 'required (expected a valid Date)';
  return value instanceof Date ? 'expected a valid Date, not Invalid Date' : `expected a valid Date (received ${receivedAs(value)})`;
}

/**
 * An instant: a `Date` that is not `Invalid Date`. The domain takes `Date`s only;
 * strings are parsed at the service's edge, where only ISO-8601 with an offset or `Z`
 * is an instant (`instantInput`): a zone-less or date-only string is refused there,
 * never read in some guessed zone.
 *
 * @example
 * ```ts
 * import { instantSchema } from 'academy-scheduling/domain';
 * instantSchema.parse(new Date('2025-03-09T07:30:00Z'));
 * ```
 */
export const instantSchema = z.date({ error: (issue) => notADate(issue.input) });

/**
 * An IANA time-zone name the runtime knows, e.g. `America/New_York`.
 *
 * @example
 * ```ts
 * import { timeZoneSchema } from 'academy-scheduling/domain';
 * timeZoneSchema.parse('Australia/Sydney');
 * ```
 */
export const timeZoneSchema = z.string().check(z.refine(isValidTimeZone, 'unknown IANA time zone'));

/**
 * A non-empty identifier (uuid or human-readable id).
 *
 * @example
 * ```ts
 * import { idSchema } from 'academy-scheduling/domain';
 * idSchema.parse('SES-2025-0001');
 * ```
 */
export const idSchema = z.string().check(z.minLength(1, 'expected a non-empty id'));

/** How many of something one resource allows: a positive integer. */
const allowanceSchema = z.number().check(z.int(), z.gte(1));

/**
 * Per-resource allowances (`Map` or plain object from id to a positive integer),
 * normalised to a `Map`.
 *
 * @example
 * ```ts
 * import { allowanceMapSchema } from 'academy-scheduling/domain';
 * allowanceMapSchema.parse({ 'pool-1': 2 }); // Map { 'pool-1' => 2 }
 * ```
 */
export const allowanceMapSchema = z.pipe(
  z.union([z.map(idSchema, allowanceSchema), z.record(idSchema, allowanceSchema)]),
  z.transform((value) => (value instanceof Map ? value : new Map(Object.entries(value)))),
);

/** The three session types of the reference schema. */
export const sessionTypeSchema = z.enum(SESSION_TYPES);
export type { SessionType } from './statuses';
