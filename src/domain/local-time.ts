import * as z from 'zod/mini';
import { MS_PER_DAY, formatLocalDate, formatTimeOfDay, parseLocalDate, parseTimeOfDay } from './calendar';
import type { Interval } from './intervals';
import { instantSchema, localDateSchema, timeOfDaySchema, timeZoneSchema } from './schemas';
import { ZoneTimeline } from './time-zone';
import { invalidInput, parseInput } from './validate';

/**
 * Local dates and wall-clock times in an IANA zone ⇄ instants, for callers who think
 * in the academy's local time. The conversion is the one recurrence expansion and
 * availability use (`ZoneTimeline`), so a wall time in a spring-forward gap and an
 * ambiguous fall-back time resolve by the same rules everywhere
 * (docs/time-and-recurrence.md, "Instants and wall-clock times").
 */

/**
 * A local date and wall-clock time: `date` as `YYYY-MM-DD`, `time` as `HH:MM` or
 * `HH:MM:SS` (`24:00` is midnight at the end of `date`).
 *
 * @example
 * ```ts
 * import { localDateTimeSchema } from 'academy-scheduling/domain';
 * localDateTimeSchema.parse({ date: '2027-01-12', time: '16:30' });
 * ```
 */
export const localDateTimeSchema = z.object({ date: localDateSchema, time: timeOfDaySchema });
/** A local date and wall-clock time, as {@link localTimeToInstant} takes it. */
export type LocalDateTime = z.input<typeof localDateTimeSchema>;

/**
 * An inclusive range of local dates, `fromDate` to `toDate`, the later not before the earlier.
 *
 * @example
 * ```ts
 * import { localDateRangeSchema } from 'academy-scheduling/domain';
 * localDateRangeSchema.parse({ fromDate: '2027-01-11', toDate: '2027-01-17' });
 * ```
 */
export const localDateRangeSchema = z
  .object({ fromDate: localDateSchema, toDate: localDateSchema })
  .check(z.refine((range) => range.toDate >= range.fromDate, { message: 'toDate must not be before fromDate', path: ['toDate'] }));
/** An inclusive range of local dates, as {@link localDateRangeToInterval} takes it. */
export type LocalDateRange = z.input<typeof localDateRangeSchema>;

/** A wall-clock reading of an instant in a zone, as {@link instantToLocalTime} gives it. */
export interface ZonedLocalTime {
  /** The local date, `YYYY-MM-DD`. */
  date: string;
  /** The wall-clock time, `HH:MM`, or `HH:MM:SS` when it has seconds (milliseconds are dropped). */
  time: string;
  /** The zone's UTC offset at that instant, `±HH:MM` (`±HH:MM:SS` for the odd historic offsets in seconds). */
  offset: string;
  /** The zone, as given. */
  timeZone: string;
}

const FIRST_DAY = parseLocalDate('1000-01-01');
const LAST_DAY = parseLocalDate('9999-12-31');
/** Instants this far outside those days cannot have a local date inside them (UTC offsets stay under a day). */
const INSTANT_MIN = (FIRST_DAY - 1) * MS_PER_DAY;
const INSTANT_MAX = (LAST_DAY + 2) * MS_PER_DAY;

/**
 * The instant a local date and wall-clock time denote in `timeZone`. A time that does
 * not exist (a spring-forward gap) moves forward by the length of the gap; a time that
 * happens twice (fall back) is the earlier of the two instants: the rules of recurring
 * patterns and availability, so the same wall time gives the same instant everywhere.
 * Bad input throws `SchedulingError` `INVALID_INPUT` at `['date']`, `['time']` or
 * `['timeZone']`.
 *
 * @example
 * ```ts
 * import { localTimeToInstant } from 'academy-scheduling/domain';
 * localTimeToInstant({ date: '2027-01-12', time: '16:30' }, 'Europe/London'); // 2027-01-12T16:30:00.000Z
 * // 28 March 2027, London springs forward at 01:00: 01:30 does not exist and becomes 02:30 BST.
 * localTimeToInstant({ date: '2027-03-28', time: '01:30' }, 'Europe/London'); // 2027-03-28T01:30:00.000Z
 * // 31 October 2027, London falls back at 02:00: 01:30 happens twice, the earlier (BST) is taken.
 * localTimeToInstant({ date: '2027-10-31', time: '01:30' }, 'Europe/London'); // 2027-10-31T00:30:00.000Z
 * ```
 */
export function localTimeToInstant(local: LocalDateTime, timeZone: string): Date {
  const { date, time } = parseInput(localDateTimeSchema, local, { argument: 'local' });
  const zone = parseTimeZone(timeZone);
  return new Date(wallTimeToInstant(zone, parseLocalDate(date), parseTimeOfDay(time) * 1000));
}

/**
 * How an instant reads on the wall clocks of `timeZone`: local date, time and the UTC
 * offset in force. Every instant has exactly one reading, so this is the inverse of
 * {@link localTimeToInstant} for every instant except the later one of a repeated
 * (fall-back) hour, whose reading converts back to the earlier instant. Refused with
 * `INVALID_INPUT`: an invalid `Date` (at `['instant']`), an unknown zone (at
 * `['timeZone']`), or an instant whose local date is outside the years 1000–9999 that
 * local dates support (at `['instant']`).
 *
 * @example
 * ```ts
 * import { instantToLocalTime } from 'academy-scheduling/domain';
 * instantToLocalTime(new Date('2027-01-12T16:30:00Z'), 'Europe/London');
 * // { date: '2027-01-12', time: '16:30', offset: '+00:00', timeZone: 'Europe/London' }
 * instantToLocalTime(new Date('2027-07-12T20:30:00Z'), 'America/New_York');
 * // { date: '2027-07-12', time: '16:30', offset: '-04:00', timeZone: 'America/New_York' }
 * ```
 */
export function instantToLocalTime(instant: Date, timeZone: string): ZonedLocalTime {
  const ms = parseInput(instantSchema, instant, { prefix: ['instant'], argument: 'instant' }).getTime();
  const zone = parseTimeZone(timeZone);
  const outsideYears = () => invalidInput('Invalid input at instant: its local date is outside the years 1000–9999', ['instant'], { argument: 'instant' });
  // Checked before the zone is read too: the runtime's tz data cannot be asked about instants near the ends of `Date`'s range.
  if (ms < INSTANT_MIN || ms >= INSTANT_MAX) throw outsideYears();
  const floating = ZoneTimeline.for(zone, ms).toFloating(ms);
  const day = Math.floor(floating / MS_PER_DAY);
  if (day < FIRST_DAY || day > LAST_DAY) throw outsideYears();
  const seconds = Math.floor((floating - day * MS_PER_DAY) / 1000);
  const time = formatTimeOfDay(seconds);
  return {
    date: formatLocalDate(day),
    time: time.endsWith(':00') ? time.slice(0, 5) : time,
    offset: formatOffset(floating - ms),
    timeZone: zone,
  };
}

/**
 * The instants that bound the local days `fromDate` to `toDate` (inclusive) in
 * `timeZone`, as a half-open interval: `start` is the first instant of `fromDate`,
 * `end` the first instant of the day after `toDate`. A day's first instant is its
 * 00:00 by the same gap and fall-back rules as {@link localTimeToInstant} (where
 * midnight does not exist, the day starts when the clocks jump), so consecutive ranges
 * meet without a gap or overlap. Refused with `INVALID_INPUT`: a date that is not a
 * real `YYYY-MM-DD` (at `['fromDate']` or `['toDate']`), `toDate` before `fromDate`
 * (at `['toDate']`), an unknown zone (at `['timeZone']`).
 *
 * @example
 * ```ts
 * import { localDateRangeToInterval } from 'academy-scheduling/domain';
 * // The week of Monday 11 January 2027 in London:
 * localDateRangeToInterval({ fromDate: '2027-01-11', toDate: '2027-01-17' }, 'Europe/London');
 * // { start: 2027-01-11T00:00:00.000Z, end: 2027-01-18T00:00:00.000Z }
 * ```
 */
export function localDateRangeToInterval(range: LocalDateRange, timeZone: string): Interval {
  const { fromDate, toDate } = parseInput(localDateRangeSchema, range, { argument: 'range' });
  const zone = parseTimeZone(timeZone);
  return { start: new Date(wallTimeToInstant(zone, parseLocalDate(fromDate), 0)), end: new Date(wallTimeToInstant(zone, parseLocalDate(toDate) + 1, 0)) };
}

function parseTimeZone(timeZone: string): string {
  return parseInput(timeZoneSchema, timeZone, { prefix: ['timeZone'], argument: 'timeZone' });
}

/** Epoch ms of wall time `ms` after the start of local day `day` in `timeZone`. */
function wallTimeToInstant(timeZone: string, day: number, ms: number): number {
  const floating = day * MS_PER_DAY + ms;
  return ZoneTimeline.for(timeZone, floating).toInstant(floating);
}

/** `±HH:MM`, or `±HH:MM:SS` when the offset has seconds (Temporal's and RFC 9557's spelling). */
function formatOffset(offsetMs: number): string {
  const seconds = Math.round(Math.abs(offsetMs) / 1000);
  const hhmmss = formatTimeOfDay(seconds);
  return `${offsetMs < 0 ? '-' : '+'}${hhmmss.endsWith(':00') ? hhmmss.slice(0, 5) : hhmmss}`;
}
